"""How a suite's handlers are registered: one factory per requirement id.

A factory builds a fresh :class:`Case` for every run, so state a handler keeps across
its own invocations (a counter that makes a step fail once, a flag that simulates a
crashed sandbox) never leaks from one test into another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CaseFactory = Callable[[], "Case"]


@dataclass
class Case:
    """A handler for one requirement, with the functions it invokes by name."""

    handler: Callable[..., Any]
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    durable_functions: dict[str, Callable[..., Any]] = field(default_factory=dict)


class Suite:
    """The handlers of one suite, and the requirements we could not express."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.factories: dict[str, CaseFactory] = {}
        self.not_expressible: dict[str, str] = {}

    def case(self, requirement_id: str) -> Callable[[CaseFactory], CaseFactory]:
        """Register the decorated factory as the handler of ``requirement_id``."""

        def register(factory: CaseFactory) -> CaseFactory:
            if requirement_id in self.factories:
                raise ValueError(f"{self.name}: requirement {requirement_id} registered twice")
            self.factories[requirement_id] = factory
            return factory

        return register

    def cannot_express(self, requirement_id: str, reason: str) -> None:
        """Record that a requirement has no handler, and why."""
        self.not_expressible[requirement_id] = reason
