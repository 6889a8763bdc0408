"""The `github` reporter: GitHub Actions workflow commands that annotate the diff.

Each finding becomes one `::error file=...,line=...::message` line, which the Actions
runner turns into an annotation on the pull request. Values are escaped as the
runner requires (`%`, CR and LF everywhere; `:` and `,` inside properties too).
"""

from __future__ import annotations

from collections.abc import Iterable

from durable_lint.report_sarif import ReportedFinding


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: ReportedFinding) -> str:
    """Return the workflow command that annotates one finding."""
    properties = [
        f"file={_escape_property(finding.path)}",
        f"line={finding.line}",
        f"col={finding.column}",
    ]
    if (finding.end_line, finding.end_column) > (finding.line, finding.column):
        properties += [f"endLine={finding.end_line}", f"endColumn={finding.end_column}"]
    properties.append(f"title={_escape_property('durable-lint ' + finding.code)}")
    return f"::error {','.join(properties)}::{_escape_data(finding.code + ' ' + finding.message)}"


def render_github(findings: Iterable[ReportedFinding]) -> str:
    """Return one annotation line per finding, newline-separated."""
    return "\n".join(annotation(finding) for finding in findings)
