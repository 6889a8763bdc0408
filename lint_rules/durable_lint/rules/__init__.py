"""The rule registry: every rule class, in code order. A new rule is added here."""

from __future__ import annotations

from durable_lint.rules.base import Rule
from durable_lint.rules.clock_read import ClockRead
from durable_lint.rules.random_value import RandomValue

ALL_RULES: tuple[type[Rule], ...] = (
    ClockRead,
    RandomValue,
)

__all__ = ["ALL_RULES", "Rule"]
