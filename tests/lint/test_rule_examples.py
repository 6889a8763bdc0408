"""Every rule's inline VALID and INVALID samples, run as test cases (Fixit style)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from durable_lint.codes import CODES, ENGINE_CODES
from durable_lint.engine import lint_source
from durable_lint.options import EngineOptions
from durable_lint.rules import ALL_RULES, Rule

WANT = re.compile(r"#\s*want:\s*(?P<codes>DUR\d{3}(?:\s*,\s*DUR\d{3})*)")


def wanted_lines(source: str, code: str) -> list[int]:
    lines = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = WANT.search(line)
        if match and code in re.split(r"\s*,\s*", match.group("codes")):
            lines.append(number)
    return lines


def found_lines(source: str, code: str) -> list[int]:
    options = EngineOptions(codes=frozenset({code}))
    return sorted({f.line for f in lint_source(source, "sample.py", options) if f.code == code})


VALID = [
    pytest.param(rule, sample, id=f"{rule.code}-valid-{i}")
    for rule in ALL_RULES
    for i, sample in enumerate(rule.VALID)
]
INVALID = [
    pytest.param(rule, sample, id=f"{rule.code}-invalid-{i}")
    for rule in ALL_RULES
    for i, sample in enumerate(rule.INVALID)
]


@pytest.mark.parametrize(("rule", "sample"), VALID)
def test_valid_sample_is_silent(rule: type[Rule], sample: str) -> None:
    assert found_lines(sample, rule.code) == []


@pytest.mark.parametrize(("rule", "sample"), INVALID)
def test_invalid_sample_reports_exactly_the_wanted_lines(rule: type[Rule], sample: str) -> None:
    wanted = wanted_lines(sample, rule.code)
    assert wanted, "an INVALID sample must mark its offending lines"
    assert found_lines(sample, rule.code) == wanted


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented_with_every_section(rule: type[Rule]) -> None:
    doc = rule.__doc__ or ""
    for section in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix"):
        assert f"## {section}" in doc, f"{rule.code} lacks the section {section!r}"
    assert rule.VALID and rule.INVALID


def test_codes_are_unique() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert len(codes) == len(set(codes))


def test_code_table_matches_the_rule_classes() -> None:
    rules = {rule.code: (rule.name, rule.default_enabled) for rule in ALL_RULES}
    table = {code: entry for code, entry in CODES.items() if code not in ENGINE_CODES}
    assert table == rules


def test_cli_module_does_not_import_libcst() -> None:
    code = "import sys, durable_lint.cli; print('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
