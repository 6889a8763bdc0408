"""A FLAT batch whose result is over 256 KiB is checkpointed as a summary and rebuilt
on replay by running its items again: items record no CONTEXT of their own, so the
rebuilt result must come from the items' own operations."""

from __future__ import annotations

from collections import Counter
from typing import Any

from durable import AsyncDurableContext, DurableContext, durable_execution
from durable.batch import BatchResult
from durable.config import (
    CompletionConfig,
    Duration,
    MapConfig,
    NestingType,
    ParallelConfig,
    StepConfig,
)
from durable.retries import RetryPresets
from durable.testing import LocalDurableTestRunner

BLOB = 100_000  # three of these are over the 256 KiB payload limit
NO_RETRY = StepConfig(retry_strategy=RetryPresets.none())


def flat(**fields: Any) -> MapConfig[Any]:
    return MapConfig(nesting_type=NestingType.FLAT, **fields)


def run(handler: Any) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run({}, timeout=30)


def statuses(batch: BatchResult[Any]) -> list[str]:
    return [item.status.value for item in batch.all]


def test_a_summarised_flat_map_replays_to_the_same_result_without_rerunning_steps() -> None:
    results: list[BatchResult[Any]] = []
    executed: Counter[int] = Counter()

    def blob(ctx: DurableContext, x: int, index: int, items: Any) -> str:
        def body(_: Any) -> str:
            executed[index] += 1
            return str(index) * BLOB

        return ctx.step(body, name="blob")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        batch = context.map(list(range(4)), blob, name="big", config=flat())
        results.append(batch)
        context.wait(Duration(1))
        return batch.success_count

    result = run(handler)
    assert result.result == 4
    assert results[0] == results[1]
    assert executed == {0: 1, 1: 1, 2: 1, 3: 1}
    batch_op = result.get_context("big")
    assert '"type": "MapResult"' in (batch_op.raw_result or "")
    assert [child.type for child in batch_op.children] == ["STEP"] * 4


def test_a_summarised_flat_map_keeps_each_failed_item_and_its_error() -> None:
    results: list[BatchResult[Any]] = []

    def item(ctx: DurableContext, x: int, index: int, items: Any) -> str:
        if index == 1:
            raise ValueError("item 1 has no durable operation")
        if index == 2:
            return ctx.step(lambda _: 1 / 0, name="divide", config=NO_RETRY)
        return ctx.step(lambda _: "z" * BLOB, name="blob")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[str]:
        config = flat(completion_config=CompletionConfig.all_completed())
        batch = context.map(list(range(5)), item, name="big", config=config)
        results.append(batch)
        context.wait(Duration(1))
        return statuses(batch)

    result = run(handler)
    assert result.result == ["SUCCEEDED", "FAILED", "FAILED", "SUCCEEDED", "SUCCEEDED"]
    assert results[0] == results[1]
    assert [results[1].all[i].error.type for i in (1, 2)] == [  # type: ignore[union-attr]
        "ValueError",
        "durable.exceptions.StepError",
    ]


def test_a_summarised_flat_map_keeps_items_still_running_as_started() -> None:
    results: list[BatchResult[Any]] = []
    executed: Counter[int] = Counter()

    def item(ctx: DurableContext, x: int, index: int, items: Any) -> str:
        if index == 2:
            ctx.wait(Duration.from_seconds(60), name="slow")
        executed[index] += 1
        return ctx.step(lambda _: "q" * BLOB, name="blob")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[str]:
        config = flat(completion_config=CompletionConfig(min_successful=3))
        batch = context.map(list(range(4)), item, name="big", config=config)
        results.append(batch)
        context.wait(Duration(1))
        return statuses(batch)

    result = run(handler)
    assert result.result == ["SUCCEEDED", "SUCCEEDED", "STARTED", "SUCCEEDED"]
    assert all(batch == results[0] for batch in results)
    assert executed[2] == 0


def test_a_summarised_flat_parallel_replays_to_the_same_result() -> None:
    results: list[BatchResult[Any]] = []

    def branch(letter: str) -> Any:
        return lambda ctx: ctx.step(lambda _: letter * BLOB, name=letter)

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[int]:
        config = ParallelConfig(nesting_type=NestingType.FLAT)
        batch = context.parallel([branch("a"), branch("b"), branch("c")], name="p", config=config)
        results.append(batch)
        context.wait(Duration(1))
        return [len(text) for text in batch.get_results()]

    result = run(handler)
    assert result.result == [BLOB] * 3
    assert results[0] == results[1]


def test_an_async_summarised_flat_map_replays_like_a_sync_one() -> None:
    results: list[BatchResult[Any]] = []

    async def item(ctx: AsyncDurableContext, x: int, index: int, items: Any) -> str:
        if index == 1:
            raise ValueError("no")
        return await ctx.step(lambda _: "w" * BLOB, name="blob")

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> list[str]:
        config = flat(completion_config=CompletionConfig.all_completed())
        batch = await context.map(list(range(4)), item, name="big", config=config)
        results.append(batch)
        await context.wait(Duration(1))
        return statuses(batch)

    result = run(handler)
    assert result.result == ["SUCCEEDED", "FAILED", "SUCCEEDED", "SUCCEEDED"]
    assert results[0] == results[1]
