"""The two checks every suite's test module makes."""

from __future__ import annotations

from .cases import Suite
from .driver import run_requirement
from .requirements import Requirement


def assert_requirement_holds(suite: Suite, requirement: Requirement) -> None:
    """Run the suite's handler for the requirement and fail with a readable diff."""
    case = suite.factories[requirement.id]()
    outcome = run_requirement(requirement, case)
    assert not outcome.mismatches, (
        f"{requirement.id} ({requirement.description.strip()}):\n{outcome.report()}"
    )


def expressible_ids(suite: Suite, requirements: dict[str, Requirement]) -> list[str]:
    """The requirement ids that have a handler (the rest are listed as not expressible)."""
    return [key for key in requirements if key not in suite.not_expressible]


def assert_suite_covered(suite: Suite, requirements: dict[str, Requirement]) -> None:
    """Every requirement has a handler or a stated reason; no handler is for a stray id."""
    handled = set(suite.factories)
    excused = set(suite.not_expressible)
    published = set(requirements)
    assert published - handled - excused == set(), "requirements without a handler"
    assert handled - published == set(), "handlers for requirements the suite does not have"
    assert handled & excused == set(), "requirements both handled and excused"
