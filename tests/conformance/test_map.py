"""The public conformance requirements of the map suite, on the local runner."""

from __future__ import annotations

import pytest

from .checks import assert_requirement_holds, assert_suite_covered, expressible_ids
from .handlers.map import SUITE
from .requirements import load_suite

REQUIREMENTS = load_suite("map")


@pytest.mark.parametrize("requirement_id", expressible_ids(SUITE, REQUIREMENTS))
def test_requirement_holds_on_local_runner(requirement_id: str) -> None:
    assert_requirement_holds(SUITE, REQUIREMENTS[requirement_id])


def test_every_requirement_has_a_handler_or_a_reason() -> None:
    assert_suite_covered(SUITE, REQUIREMENTS)
