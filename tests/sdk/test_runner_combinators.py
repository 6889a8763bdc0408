"""The combinators: all, any, race, all_settled, deterministic on replay."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from durable import (
    AsyncDurableContext,
    BatchCompletionError,
    ChildContextError,
    DurableContext,
    durable_execution,
)
from durable.config import Duration
from durable.testing import LocalDurableTestRunner


def run(handler: Any) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run(timeout=30)


def fails(ctx: DurableContext) -> Any:
    raise KeyError("nope")


def test_all_returns_every_result_in_order() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[int]:
        return context.all([lambda c: c.step(lambda _: 1), lambda c: 2, lambda c: 3], name="all")

    result = run(handler)
    assert result.result == [1, 2, 3]
    assert result.get_context("all").sub_type == "All"


def test_all_raises_the_first_failure() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.all([lambda c: 1, fails])
        except ChildContextError as error:
            return error.error_type
        return "no failure"

    assert run(handler).result == "KeyError"


def test_any_returns_the_first_success() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.any([fails, lambda c: "second"])

    assert run(handler).result == "second"


def test_any_fails_when_every_branch_fails() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        try:
            context.any([fails, fails])
        except BatchCompletionError as error:
            return error.message
        return "unreachable"

    assert run(handler).result.startswith("any: none of the 2 branches succeeded")


def test_race_returns_whichever_finishes_first_and_replays_it() -> None:
    release = threading.Event()
    seen: list[str] = []

    def slow(ctx: DurableContext) -> str:
        release.wait(5)
        return "slow"

    def fast(ctx: DurableContext) -> str:
        return "fast"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        winner = context.race([slow, fast], name="race")
        release.set()
        seen.append(winner)
        context.wait(Duration(1))
        return winner

    result = run(handler)
    assert (result.result, seen) == ("fast", ["fast", "fast"])


def test_race_raises_a_failure_that_finishes_first() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.race([fails])
        except ChildContextError as error:
            return error.error_type
        return "no failure"

    assert run(handler).result == "KeyError"


def test_all_settled_reports_each_outcome() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[str]:
        batch = context.all_settled([lambda c: 1, fails], name="settled")
        return [item.status.value for item in batch.all]

    result = run(handler)
    assert result.result == ["SUCCEEDED", "FAILED"]
    assert result.get_context("settled").sub_type == "AllSettled"


@pytest.mark.parametrize("kind", ["all", "any", "race"])
def test_async_combinators_take_async_branches(kind: str) -> None:
    async def one(ctx: AsyncDurableContext) -> int:
        return await ctx.step(lambda _: 1, name="one")

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        return await getattr(context, kind)([one])

    assert run(handler).result == ([1] if kind == "all" else 1)
