"""Every code the linter reports, with its rule name and whether it is on by default.

Plain data, importable without libcst (the CLI validates options before it loads the
engine). `tests/lint/test_rule_examples.py` checks it against the rule classes.
"""

from __future__ import annotations

CODES: dict[str, tuple[str, bool]] = {
    "DUR001": ("unparsable-file", True),
    "DUR101": ("clock-read", True),
    "DUR102": ("random-value", True),
}
"""code -> (rule name, enabled by default)."""

ENGINE_CODES = frozenset({"DUR001"})
"""Codes the engine itself reports rather than a rule."""


def known_codes() -> dict[str, str]:
    """Every code the linter can report, mapped to its rule name."""
    return {code: name for code, (name, _) in sorted(CODES.items())}


def default_codes() -> frozenset[str]:
    """The codes enabled when nothing is selected (opt-in rules left out)."""
    return frozenset(code for code, (_, default) in CODES.items() if default)


def opt_in_codes() -> frozenset[str]:
    return frozenset(code for code, (_, default) in CODES.items() if not default)
