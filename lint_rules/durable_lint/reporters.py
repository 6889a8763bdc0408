"""Reporters: how findings are printed. A registry, so formats can be added by name."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TextIO

from durable_lint.codes import known_codes
from durable_lint.findings import Finding

Reporter = Callable[[Sequence[Finding], TextIO, "SourceLines"], None]


class SourceLines:
    """Source lines of the linted files, read on demand (for `--show-source`)."""

    def __init__(self, show_source: bool = False) -> None:
        self.show_source = show_source
        self._lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self._lines:
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    self._lines[path] = handle.read().splitlines()
            except OSError:
                self._lines[path] = []
        lines = self._lines[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def text_reporter(findings: Sequence[Finding], out: TextIO, sources: SourceLines) -> None:
    """`path:line:col: CODE message`, as flake8 prints it."""
    for finding in findings:
        out.write(
            f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}\n"
        )
        if sources.show_source:
            line = sources.line(finding.path, finding.line)
            if line is not None:
                out.write(f"    {line}\n    {' ' * (finding.column - 1)}^\n")


def json_reporter(findings: Sequence[Finding], out: TextIO, sources: SourceLines) -> None:
    """A JSON array of findings with the keys the contract fixes."""
    json.dump([f.to_dict() for f in findings], out, indent=2)
    out.write("\n")


REPORTERS: dict[str, Reporter] = {"text": text_reporter, "json": json_reporter}


def write_statistics(findings: Sequence[Finding], out: TextIO) -> None:
    """One line per code: count, code, rule name."""
    names = known_codes()
    for code, count in sorted(Counter(f.code for f in findings).items()):
        out.write(f"{count:<5} {code} {names.get(code, '')}\n")
