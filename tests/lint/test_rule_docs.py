"""docs/rules/ is exactly what the rule classes generate."""

from __future__ import annotations

from pathlib import Path

from durable_lint.codes import CODES
from durable_lint.rule_docs import rule_pages

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"
REGENERATE = "regenerate with: python -m durable_lint.rule_docs docs/rules"


def test_committed_pages_match_the_rule_classes() -> None:
    stale = [
        name
        for name, content in rule_pages().items()
        if not (DOCS / name).is_file() or (DOCS / name).read_text(encoding="utf-8") != content
    ]
    assert stale == [], f"out of date: {stale}; {REGENERATE}"


def test_no_page_without_a_rule() -> None:
    extra = {path.name for path in DOCS.glob("*.md")} - set(rule_pages())
    assert extra == set(), f"pages without a rule: {sorted(extra)}; {REGENERATE}"


def test_every_code_has_a_page_with_its_sections() -> None:
    pages = rule_pages()
    for code in CODES:
        page = pages[f"{code}.md"]
        assert page.splitlines()[2].startswith(f"# {code}: ")
        assert "## What it does" in page and "## Why is this bad?" in page
