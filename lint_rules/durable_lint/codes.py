"""Every code the linter reports, with its rule name and whether it is on by default.

Plain data, importable without libcst (the CLI validates options before it loads the
engine). `tests/lint/test_rule_examples.py` checks it against the rule classes.
"""

from __future__ import annotations

CODES: dict[str, tuple[str, bool]] = {
    "DUR001": ("unparsable-file", True),
    "DUR101": ("clock-read", True),
    "DUR102": ("random-value", True),
    "DUR103": ("unique-identifier", True),
    "DUR104": ("external-io", True),
    "DUR105": ("host-identity", True),
    "DUR106": ("environment-read", False),
    "DUR107": ("unordered-iteration", True),
    "DUR108": ("blocking-sleep", True),
    "DUR109": ("unstable-operation-name", True),
    "DUR110": ("replay-unaware-output", True),
    "DUR201": ("operation-in-step", True),
    "DUR202": ("operation-in-sdk-callback", True),
    "DUR203": ("operation-on-unmanaged-concurrency", True),
    "DUR301": ("parent-context-in-child", True),
    "DUR302": ("context-escapes", True),
    "DUR303": ("suspension-swallowed", True),
    "DUR304": ("captured-state-written", True),
    "DUR305": ("module-state-written", True),
    "DUR306": ("handler-shape", True),
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
