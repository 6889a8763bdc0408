"""The `durable-lint` command line.

Exit status: 0 when nothing is reported, 1 when anything is (or `--fix` leaves
something unfixed), 2 on a usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace

from durable_lint import __version__
from durable_lint.cache import CACHE_FOLDER_NAME
from durable_lint.config import ConfigError, Settings, check_codes, load_settings, split_codes
from durable_lint.discovery import iter_python_files
from durable_lint.findings import Finding
from durable_lint.fixing import FixRequest, attach_fixes, fix_files
from durable_lint.reporters import REPORTERS, SourceLines, write_statistics
from durable_lint.runner import FileJob, default_jobs, lint_jobs

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for the `durable-lint` command."""
    parser = argparse.ArgumentParser(
        prog="durable-lint",
        description="Check durable-function handlers for replay-rule violations.",
    )
    parser.add_argument("--version", action="version", version=f"durable-lint {__version__}")
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders to lint")
    parser.add_argument(
        "--select", metavar="CODES", help="comma-separated codes or prefixes to enable"
    )
    parser.add_argument(
        "--extend-select", metavar="CODES", help="codes to enable on top of the selection"
    )
    parser.add_argument("--ignore", metavar="CODES", help="codes or prefixes to switch off")
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text", help="output format")
    parser.add_argument(
        "--statistics", action="store_true", help="print the number of findings per code"
    )
    parser.add_argument(
        "--show-source", action="store_true", help="print the offending line under each finding"
    )
    parser.add_argument("--config", metavar="FILE", help="read settings from this TOML file")
    parser.add_argument(
        "--fix", action="store_true", help="apply safe fixes; fails when anything remains"
    )
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply fixes that may change behaviour",
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff instead of writing them"
    )
    parser.add_argument(
        "--jobs", type=_positive, metavar="N", help="worker processes (default: the core count)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help=f"neither read nor write {CACHE_FOLDER_NAME}/"
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings are reported"
    )
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.paths, args.config)
    if args.select is not None:
        settings = replace(settings, select=check_codes(split_codes(args.select), "--select"))
    if args.extend_select is not None:
        extra = check_codes(split_codes(args.extend_select), "--extend-select")
        settings = replace(settings, extend_select=(*settings.extend_select, *extra))
    if args.ignore is not None:
        ignored = check_codes(split_codes(args.ignore), "--ignore")
        settings = replace(settings, ignore=(*settings.ignore, *ignored))
    return settings


def run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    files = {
        shown_as: (path, settings.engine_options(path))
        for path, shown_as in iter_python_files(args.paths, settings)
    }
    jobs = [FileJob(path, shown_as, options) for shown_as, (path, options) in files.items()]
    cache_folder = None if args.no_cache else settings.root / CACHE_FOLDER_NAME
    result = lint_jobs(jobs, workers=args.jobs or default_jobs(), cache_folder=cache_folder)
    for error in result.errors:
        print(f"durable-lint: {error}", file=sys.stderr)
    failed = bool(result.errors)
    findings = result.findings
    if args.fix or args.diff:
        request = FixRequest(unsafe=args.unsafe_fixes, diff_only=args.diff)
        findings, fixed = fix_files(findings, result.sources, files, request, sys.stdout)
        if fixed and not args.diff:
            print(f"durable-lint: fixed {fixed} finding(s)", file=sys.stderr)
    elif args.format in ("json", "sarif"):
        findings = attach_fixes(findings, result.sources)
    findings.sort(key=Finding.sort_key)
    REPORTERS[args.format](findings, sys.stdout, SourceLines(args.show_source))
    if args.statistics:
        write_statistics(findings, sys.stdout if args.format == "text" else sys.stderr)
    if failed:
        return EXIT_ERROR
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `durable-lint` console script."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except ConfigError as error:
        print(f"durable-lint: error: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
