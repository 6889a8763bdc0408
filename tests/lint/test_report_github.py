"""The github reporter writes one workflow command per finding, escaped as Actions requires."""

from __future__ import annotations

from dataclasses import dataclass

from durable_lint.report_github import annotation, render_github


@dataclass(frozen=True)
class SampleFinding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    fix: None = None


def test_annotation_names_file_position_and_code() -> None:
    finding = SampleFinding("app/handler.py", 3, 5, 3, 16, "DUR101", "clock read")
    assert annotation(finding) == (
        "::error file=app/handler.py,line=3,col=5,endLine=3,endColumn=16,"
        "title=durable-lint DUR101::DUR101 clock read"
    )


def test_message_newlines_and_percent_are_escaped() -> None:
    finding = SampleFinding("h.py", 1, 1, 1, 1, "DUR110", "100% lost\nnext")
    assert annotation(finding).endswith("::DUR110 100%25 lost%0Anext")


def test_commas_and_colons_in_paths_are_escaped() -> None:
    finding = SampleFinding("C:/a,b.py", 1, 1, 1, 1, "DUR001", "cannot parse")
    assert "file=C%3A/a%2Cb.py," in annotation(finding)


def test_one_line_per_finding() -> None:
    findings = [SampleFinding("h.py", n, 1, n, 1, "DUR101", "x") for n in (1, 2)]
    assert len(render_github(findings).splitlines()) == 2
