"""The `durable-lint` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from durable_lint import __version__


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for the `durable-lint` command."""
    parser = argparse.ArgumentParser(
        prog="durable-lint",
        description="Check durable-function handlers for replay-rule violations.",
    )
    parser.add_argument("--version", action="version", version=f"durable-lint {__version__}")
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders to lint")
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings are reported"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `durable-lint` console script."""
    build_parser().parse_args(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
