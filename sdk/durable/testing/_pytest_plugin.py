"""The pytest plugin of `durable` (registered by the `pytest11` entry point)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from durable.testing.runner import LocalDurableTestRunner


@pytest.fixture
def durable_runner() -> Iterator[Callable[..., LocalDurableTestRunner]]:
    """A factory of `LocalDurableTestRunner`s, closed when the test ends:

    def test_order(durable_runner):
        result = durable_runner(handler).run({"order_id": "o-1"})
    """
    runners: list[LocalDurableTestRunner] = []

    def make(handler: Callable[..., Any], **options: Any) -> LocalDurableTestRunner:
        runner = LocalDurableTestRunner(handler, **options)
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()
