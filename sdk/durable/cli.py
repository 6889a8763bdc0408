"""The `durable` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from durable import __version__


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for the `durable` command."""
    parser = argparse.ArgumentParser(
        prog="durable",
        description="Run and inspect durable executions on the embedded local engine.",
    )
    parser.add_argument("--version", action="version", version=f"durable {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `durable` console script."""
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
