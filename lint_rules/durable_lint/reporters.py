"""Reporters: how findings are printed. A registry, so formats can be added by name."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
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


def sarif_reporter(findings: Sequence[Finding], out: TextIO, sources: SourceLines) -> None:
    """A SARIF 2.1.0 log with every rule's metadata, for GitHub code scanning."""
    from durable_lint.report_sarif import render_sarif
    from durable_lint.rule_metadata import rule_metadata

    out.write(render_sarif(findings, rule_metadata(), Path.cwd()) + "\n")


def github_reporter(findings: Sequence[Finding], out: TextIO, sources: SourceLines) -> None:
    """GitHub Actions workflow commands, one annotation per finding."""
    from durable_lint.report_github import render_github

    if findings:
        out.write(render_github(findings) + "\n")


REPORTERS: dict[str, Reporter] = {
    "text": text_reporter,
    "json": json_reporter,
    "sarif": sarif_reporter,
    "github": github_reporter,
}


def write_statistics(findings: Sequence[Finding], out: TextIO) -> None:
    """One line per code: count, code, rule name."""
    names = known_codes()
    for code, count in sorted(Counter(f.code for f in findings).items()):
        out.write(f"{count:<5} {code} {names.get(code, '')}\n")
