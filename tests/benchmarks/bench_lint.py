"""Speed benchmark: durable-lint against flake8 + bugbear, Fixit and a bare libcst parse.

One command measures every tool in the same run, on the same files, one process each:

    .venv/bin/python tests/benchmarks/bench_lint.py            # full corpora (minutes)
    .venv/bin/python tests/benchmarks/bench_lint.py --quick    # small corpora

Two corpora: (a) real public code, the installed sources of well-known packages
(requests, flask, werkzeug, jinja2, click, httpx, then botocore up to the line budget),
where few files hold handlers; (b) hundreds of generated durable handler modules
(`handler_corpus.py`). The peers and the corpus packages are installed by this script
into cached virtual environments (`--cache-dir`, default `~/.cache/durable-py-bench`):
`peers` (flake8, flake8-bugbear, fixit, libcst and the corpus packages) and `ours`
(this checkout, editable, with flake8 and nothing else, so `flake8 --select DUR` pays
for pyflakes and pycodestyle as a user's flake8 would, but not for bugbear).

It prints lines per second, wall time and peak memory (the child's whole process
tree) per tool, then each target of the lint-depth issue with its measured ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handler_corpus import write_corpus
from process_meter import Measurement, run_measured

REPO = Path(__file__).resolve().parents[2]
CORPUS_PACKAGES = ["requests", "flask", "werkzeug", "jinja2", "click", "httpx", "botocore"]
PEER_REQUIREMENTS = ["flake8", "flake8-bugbear", "fixit", "libcst", "requests", "flask", "httpx"]
PEER_REQUIREMENTS += ["botocore"]
OURS_REQUIREMENTS = ["flake8", "-e", str(REPO)]
FLAKE8_ALONE_REQUIREMENTS = ["flake8"]
HANDLERS_IN_REAL_CORPUS = 6

PARSE_DRIVER = textwrap.dedent("""
    import sys, pathlib, libcst
    failed = 0
    for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
        try:
            libcst.parse_module(path.read_bytes())
        except Exception:
            failed += 1
    print("unparsable files:", failed)
""")

# Fixit's CLI fans out over a process pool; its API runs in this one process.
FIXIT_DRIVER = textwrap.dedent("""
    import sys, pathlib
    from fixit.api import fixit_paths
    reports = errors = 0
    for result in fixit_paths([pathlib.Path(sys.argv[1])], parallel=False):
        reports += result.violation is not None
        errors += result.error is not None
    print("fixit reports:", reports, "errors:", errors)
""")

PROBE_SOURCE = textwrap.dedent("""
    import time
    from durable import DurableContext, durable_execution

    @durable_execution
    def handler(event: dict, context: DurableContext) -> float:
        return time.time()
""")


@dataclass(frozen=True)
class Row:
    """One tool measured on one corpus."""

    tool: str
    wall_seconds: float
    peak_rss_mb: float
    lines_per_second: float
    returncode: int


def ensure_venv(path: Path, requirements: list[str]) -> Path:
    """Create or reuse a virtual environment holding `requirements`; return its bin dir."""
    marker = path / "bench-requirements.json"
    wanted = json.dumps(requirements)
    if not (marker.exists() and marker.read_text() == wanted):
        shutil.rmtree(path, ignore_errors=True)
        print(f"installing {' '.join(requirements)} into {path} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        pip = [str(path / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, *requirements], check=True)
        marker.write_text(wanted)
    return path / "bin"


def site_packages(bin_dir: Path) -> Path:
    """Return the site-packages folder of the environment whose bin dir is given."""
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    out = subprocess.run([str(bin_dir / "python"), "-c", code], capture_output=True, text=True)
    return Path(out.stdout.strip())


def build_real_corpus(packages_dir: Path, target: Path, line_budget: int) -> None:
    """A few handler modules, then package sources in a fixed order up to the line budget."""
    shutil.rmtree(target, ignore_errors=True)
    # As in a real repository: a handful of files hold handlers, the rest is ordinary code.
    handlers = write_corpus(target / "handlers", HANDLERS_IN_REAL_CORPUS, seed=7)
    lines = sum(path.read_bytes().count(b"\n") for path in handlers)
    for package in CORPUS_PACKAGES:
        for source in sorted((packages_dir / package).rglob("*.py")):
            if lines >= line_budget:
                return
            text = source.read_bytes()
            destination = target / source.relative_to(packages_dir)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(text)
            lines += text.count(b"\n")


def count_lines(corpus: Path) -> tuple[int, int]:
    """Return (files, lines) of the Python sources under `corpus`."""
    files = sorted(corpus.rglob("*.py"))
    return len(files), sum(path.read_bytes().count(b"\n") for path in files)


def cli_capabilities(ours: Path, scratch: Path) -> tuple[bool, str]:
    """Return whether our CLI reports findings yet, and its `--help` text."""
    probe = scratch / "probe"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir(parents=True)
    (probe / "handler.py").write_text(PROBE_SOURCE)
    run = subprocess.run(
        [str(ours / "durable-lint"), "--no-cache", "handler.py"]
        if "--no-cache" in _help(ours)
        else [str(ours / "durable-lint"), "handler.py"],
        cwd=probe,
        capture_output=True,
        text=True,
    )
    return run.returncode == 1 and "DUR101" in run.stdout, _help(ours)


def _help(ours: Path) -> str:
    run = subprocess.run([str(ours / "durable-lint"), "--help"], capture_output=True, text=True)
    return run.stdout


def measure(tool: str, command: list[str], corpus: Path, lines: int) -> Row:
    """Run one tool over the corpus and turn its cost into a row."""
    print(f"  running {tool} ...", flush=True)
    result: Measurement = run_measured(command, cwd=corpus)
    if result.returncode not in (0, 1):
        tail = "\n".join(result.output.splitlines()[-5:])
        print(f"  {tool} failed with exit {result.returncode}:\n{tail}", flush=True)
    return Row(
        tool,
        result.wall_seconds,
        result.peak_rss_mb,
        lines / result.wall_seconds,
        result.returncode,
    )


def run_corpus(
    corpus: Path, venvs: tuple[Path, Path, Path], engine_ready: bool, help_text: str
) -> dict[str, Row]:
    """Measure every tool on one corpus; return the rows by tool name."""
    peers, ours, flake8_alone = venvs
    files, lines = count_lines(corpus)
    print(f"\ncorpus {corpus.name}: {files} files, {lines} lines", flush=True)
    rows: dict[str, Row] = {}
    rows["libcst parse"] = measure(
        "libcst parse", [str(peers / "python"), "-c", PARSE_DRIVER, "."], corpus, lines
    )
    flake8 = [str(peers / "flake8"), "-j", "1", "--isolated", "."]
    rows["flake8+bugbear"] = measure("flake8+bugbear", flake8, corpus, lines)
    rows["fixit"] = measure(
        "fixit", [str(peers / "python"), "-c", FIXIT_DRIVER, "."], corpus, lines
    )
    if not engine_ready:
        print("  durable-lint reports nothing yet (engine not built): measured peers only")
        return rows
    cli = [str(ours / "durable-lint"), "--exit-zero"]
    if "--jobs" in help_text:
        cli += ["--jobs", "1"]
    shutil.rmtree(corpus / ".durable-lint-cache", ignore_errors=True)
    rows["durable-lint cold"] = measure("durable-lint cold", [*cli, "."], corpus, lines)
    if "--no-cache" in help_text:
        rows["durable-lint warm"] = measure("durable-lint warm", [*cli, "."], corpus, lines)
    if "--jobs" in help_text:
        shutil.rmtree(corpus / ".durable-lint-cache", ignore_errors=True)
        all_cores = [str(ours / "durable-lint"), "--exit-zero", "--no-cache", "."]
        rows["durable-lint all cores"] = measure("durable-lint all cores", all_cores, corpus, lines)
    front_end = [str(ours / "flake8"), "-j", "1", "--isolated", "--select", "DUR", "."]
    rows["flake8 --select DUR"] = measure("flake8 --select DUR", front_end, corpus, lines)
    # flake8 runs pyflakes and pycodestyle whatever is selected: this is that floor.
    alone = [str(flake8_alone / "flake8"), "-j", "1", "--isolated", "--select", "DUR", "."]
    rows["flake8 alone (no plugin)"] = measure("flake8 alone (no plugin)", alone, corpus, lines)
    return rows


def print_rows(rows: dict[str, Row]) -> None:
    print(f"  {'tool':<24}{'wall s':>9}{'lines/s':>11}{'peak MB':>10}{'exit':>6}")
    for row in rows.values():
        print(
            f"  {row.tool:<24}{row.wall_seconds:>9.2f}{row.lines_per_second:>11.0f}"
            f"{row.peak_rss_mb:>10.1f}{row.returncode:>6}"
        )


def targets(rows: dict[str, Row], handler_dense: bool) -> list[tuple[str, str, bool | None]]:
    """Return (target, measured, met) for every target that this run can judge."""
    out: list[tuple[str, str, bool | None]] = []
    cold = rows.get("durable-lint cold")
    if cold is None:
        return out
    wall = cold.wall_seconds

    def ratio(name: str, value: float, goal: str, met: bool) -> None:
        out.append((name, f"{value:.2f}x (target {goal})", met))

    flake = rows["flake8+bugbear"].wall_seconds
    ratio("cold speed vs flake8+bugbear", flake / wall, ">= 1", flake / wall >= 1)
    fixit = rows["fixit"].wall_seconds
    ratio("cold speed vs Fixit", fixit / wall, ">= 8", fixit / wall >= 8)
    if handler_dense:
        parse = rows["libcst parse"].wall_seconds
        ratio("cold time / bare parse", wall / parse, "<= 2", wall / parse <= 2)
    if "durable-lint warm" in rows:
        warm = rows["durable-lint warm"].wall_seconds
        ratio("warm speed-up over cold", wall / warm, ">= 20", wall / warm >= 20)
    ours = [row for name, row in rows.items() if "durable" in name or "DUR" in name]
    peak = max(row.peak_rss_mb for row in ours)
    out.append(("peak memory (ours)", f"{peak:.0f} MB (target < 300)", peak < 300))
    front = rows["flake8 --select DUR"].wall_seconds
    ratio("flake8 front-end time / CLI", front / wall, "<= 1.2", front / wall <= 1.2)
    added = front - rows["flake8 alone (no plugin)"].wall_seconds
    out.append(
        (
            "plugin's added time / CLI",
            f"{added / wall:.2f}x (flake8's own checks excluded; context for the row above)",
            None,
        )
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="durable-lint speed benchmark")
    parser.add_argument("--quick", action="store_true", help="small corpora, for a smoke run")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "durable-py-bench",
        help="where the benchmark's venvs and corpora live",
    )
    parser.add_argument("--json", type=Path, help="also write the measurements to this file")
    args = parser.parse_args()
    cache: Path = args.cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    peers = ensure_venv(cache / "venv-peers", PEER_REQUIREMENTS)
    ours = ensure_venv(cache / "venv-ours", OURS_REQUIREMENTS)
    flake8_alone = ensure_venv(cache / "venv-flake8", FLAKE8_ALONE_REQUIREMENTS)
    line_budget, modules = (8_000, 40) if args.quick else (80_000, 400)
    real = cache / ("corpus-real-quick" if args.quick else "corpus-real")
    build_real_corpus(site_packages(peers), real, line_budget)
    dense = cache / ("corpus-handlers-quick" if args.quick else "corpus-handlers")
    shutil.rmtree(dense, ignore_errors=True)
    write_corpus(dense, modules)
    engine_ready, help_text = cli_capabilities(ours, cache)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")

    report: dict[str, object] = {}
    for corpus, handler_dense in ((real, False), (dense, True)):
        rows = run_corpus(corpus, (peers, ours, flake8_alone), engine_ready, help_text)
        print_rows(rows)
        judged = targets(rows, handler_dense)
        for name, measured, met in judged:
            verdict = "INFO" if met is None else "MET " if met else "MISS"
            print(f"  {verdict} {name:<32} {measured}")
        report[corpus.name] = {
            "rows": [asdict(row) for row in rows.values()],
            "targets": [{"target": t, "measured": m, "met": ok} for t, m, ok in judged],
        }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
