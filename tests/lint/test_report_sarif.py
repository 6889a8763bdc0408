"""The SARIF reporter writes logs that validate against the published 2.1.0 schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from durable_lint.report_sarif import RuleMetadata, artifact_uri, sarif_log
from sarif_schema import sarif_validator


@dataclass(frozen=True)
class SampleEdit:
    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class SampleFix:
    applicability: str
    edits: tuple[SampleEdit, ...]


@dataclass(frozen=True)
class SampleFinding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    fix: SampleFix | None = None


RULES = [
    RuleMetadata("DUR101", "clock-read", "Clock read in replayed code", "## What it does\n..."),
    RuleMetadata("DUR107", "unordered-iteration", "Set iteration drives operations", "Use sorted"),
]


def test_log_with_findings_and_fixes_validates_against_the_schema(tmp_path: Path) -> None:
    findings = [
        SampleFinding(str(tmp_path / "app" / "handler.py"), 3, 5, 3, 16, "DUR101", "clock read"),
        SampleFinding(
            "app/loop.py",
            7,
            14,
            7,
            17,
            "DUR107",
            "set iteration",
            SampleFix("safe", (SampleEdit(7, 14, 7, 17, "sorted(ids)"),)),
        ),
    ]
    log = sarif_log(findings, RULES, tmp_path)
    errors = [error.message for error in sarif_validator().iter_errors(log)]
    assert errors == []


def test_empty_log_validates_against_the_schema(tmp_path: Path) -> None:
    assert list(sarif_validator().iter_errors(sarif_log([], RULES, tmp_path))) == []


def test_rules_carry_their_name_summary_and_help(tmp_path: Path) -> None:
    driver = sarif_log([], RULES, tmp_path)["runs"][0]["tool"]["driver"]
    first = driver["rules"][0]
    assert (first["id"], first["name"]) == ("DUR101", "clock-read")
    assert first["shortDescription"]["text"] == "Clock read in replayed code"
    assert first["help"]["markdown"].startswith("## What it does")


def test_result_points_at_its_rule_and_region(tmp_path: Path) -> None:
    finding = SampleFinding("handler.py", 3, 5, 3, 16, "DUR107", "set iteration")
    result = sarif_log([finding], RULES, tmp_path)["runs"][0]["results"][0]
    location = result["locations"][0]["physicalLocation"]
    assert result["ruleIndex"] == 1
    assert location["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 16}


def test_paths_inside_the_root_become_relative_posix_uris(tmp_path: Path) -> None:
    assert artifact_uri(str(tmp_path / "pkg" / "mod.py"), tmp_path) == "pkg/mod.py"
