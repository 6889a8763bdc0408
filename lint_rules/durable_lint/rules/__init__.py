"""The rule registry: every rule class, in code order. A new rule is added here."""

from __future__ import annotations

from durable_lint.rules.base import Rule
from durable_lint.rules.clock_read import ClockRead
from durable_lint.rules.random_value import RandomValue

ALL_RULES: tuple[type[Rule], ...] = (
    ClockRead,
    RandomValue,
)

ENGINE_CODES: dict[str, str] = {"DUR001": "unparsable-file"}
"""Codes the engine itself reports (never switched off by a rule selection)."""


def known_codes() -> dict[str, str]:
    """Every code the linter can report, mapped to its rule name."""
    codes = dict(ENGINE_CODES)
    codes.update({rule.code: rule.name for rule in ALL_RULES})
    return dict(sorted(codes.items()))


def default_codes() -> frozenset[str]:
    """The codes enabled when nothing is selected (opt-in rules left out)."""
    return frozenset(ENGINE_CODES) | {rule.code for rule in ALL_RULES if rule.default_enabled}


__all__ = ["ALL_RULES", "ENGINE_CODES", "Rule", "default_codes", "known_codes"]
