"""The `sarif` reporter: a SARIF 2.1.0 log for GitHub code scanning and other viewers.

One run, one tool (`durable-lint`) whose driver lists every rule with its name,
summary and full help text, then one result per finding with its region. Paths are
written relative to the folder the linter ran in (`%SRCROOT%`), with forward slashes,
as code scanning expects. A finding that carries a fix also carries it as a SARIF
`fix` with its replacements.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Protocol

from durable_lint import __version__

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/durable-py/durable-py"


class ReportedEdit(Protocol):
    """The part of a fix edit the reporter reads."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...
    @property
    def content(self) -> str: ...


class ReportedFix(Protocol):
    """The part of a fix the reporter reads."""

    @property
    def applicability(self) -> str: ...
    @property
    def edits(self) -> Sequence[ReportedEdit]: ...


class ReportedFinding(Protocol):
    """The part of a finding the reporters read (positions are 1-based)."""

    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def fix(self) -> ReportedFix | None: ...


@dataclass(frozen=True)
class RuleMetadata:
    """What a viewer shows about a rule: its code, name, one-line summary and full help."""

    code: str
    name: str
    summary: str
    help_markdown: str


def artifact_uri(path: str, root: Path) -> str:
    """Return `path` relative to `root` with forward slashes when it lies inside it."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(root)
        except ValueError:
            return candidate.as_uri()
    return PurePath(candidate).as_posix()


def _rule_descriptor(rule: RuleMetadata) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": rule.help_markdown, "markdown": rule.help_markdown},
        "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules/{rule.code}.md",
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["durable-execution", "replay"]},
    }


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if (end_line, end_column) > (line, column):
        region["endLine"] = end_line
        region["endColumn"] = max(end_column, 1)
    return region


def _fix(finding: ReportedFinding, uri: str) -> list[dict[str, Any]]:
    fix = finding.fix
    if fix is None:
        return []
    replacements = [
        {
            "deletedRegion": _region(edit.line, edit.column, edit.end_line, edit.end_column),
            "insertedContent": {"text": edit.content},
        }
        for edit in fix.edits
    ]
    return [
        {
            "description": {"text": f"{fix.applicability} fix for {finding.code}"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "replacements": replacements,
                }
            ],
        }
    ]


def sarif_log(
    findings: Iterable[ReportedFinding], rules: Sequence[RuleMetadata], root: Path
) -> dict[str, Any]:
    """Return the SARIF log, as a JSON-ready dictionary, for `findings` under `root`."""
    known = {rule.code: index for index, rule in enumerate(rules)}
    results = []
    for finding in findings:
        uri = artifact_uri(finding.path, root)
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": "error",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                        "region": _region(
                            finding.line, finding.column, finding.end_line, finding.end_column
                        ),
                    }
                }
            ],
        }
        if finding.code in known:
            result["ruleIndex"] = known[finding.code]
        fixes = _fix(finding, uri)
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "durable-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(
    findings: Iterable[ReportedFinding], rules: Sequence[RuleMetadata], root: Path
) -> str:
    """Return the SARIF log as indented JSON text."""
    return json.dumps(sarif_log(findings, rules, root), indent=2)
