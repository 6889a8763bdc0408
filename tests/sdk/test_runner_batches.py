"""map and parallel on the local runner."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from conftest import run_recording
from durable import (
    AsyncDurableContext,
    ChildContextError,
    DurableContext,
    durable_execution,
    durable_parallel_branch,
)
from durable._core.ids import operation_id
from durable.batch import BatchResult, CompletionReason
from durable.config import (
    CompletionConfig,
    Duration,
    MapConfig,
    NestingType,
    ParallelConfig,
    StepConfig,
)
from durable.exceptions import ValidationError
from durable.retries import RetryPresets
from durable.testing import LocalDurableTestRunner

NO_RETRY = StepConfig(retry_strategy=RetryPresets.none())
ALL = CompletionConfig.all_completed()


def run(handler: Any, payload: Any = None) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run(payload, timeout=30)


def square(ctx: DurableContext, item: int, index: int, items: Any) -> int:
    return ctx.step(lambda _: item * item, name="square")


def test_map_returns_every_result_in_index_order() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[int]:
        return context.map([1, 2, 3, 4], square, name="squares").get_results()

    assert run(handler).result == [1, 4, 9, 16]


def test_map_items_are_contexts_named_and_numbered_by_index() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.map([5, 6], square, name="squares")

    result = run(handler)
    batch = result.get_context("squares")
    assert batch.sub_type == "Map"
    assert [(c.name, c.sub_type, c.id) for c in batch.children] == [
        ("map-item-0", "MapIteration", operation_id(batch.id, 0)),
        ("map-item-1", "MapIteration", operation_id(batch.id, 1)),
    ]


def test_item_namer_names_the_iterations() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.map(
            ["a", "b"],
            lambda ctx, x, i, xs: x,
            name="m",
            config=MapConfig(item_namer=lambda x, i: f"do-{x}"),
        )

    assert [c.name for c in run(handler).get_context("m").children] == ["do-a", "do-b"]


def test_failed_items_do_not_fail_the_map() -> None:
    def item(ctx: DurableContext, x: int, i: int, xs: Any) -> int:
        return ctx.step(lambda _: 10 // x, name="div", config=NO_RETRY)

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.map([1, 0, 2], item, config=MapConfig(completion_config=ALL))
        return [batch.get_results(), [e.type for e in batch.get_errors()], batch.status.value]

    assert run(handler).result == [[10, 5], ["durable.exceptions.StepError"], "FAILED"]


def test_throw_if_error_raises_the_first_failure() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        batch = context.parallel(
            [lambda c: 1, lambda c: int("x")], config=ParallelConfig(completion_config=ALL)
        )
        try:
            batch.throw_if_error()
        except ChildContextError as error:
            return error.error_type
        return "no error"

    assert run(handler).result == "ValueError"


def test_by_default_map_stops_at_the_first_failure() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        batch = context.map(
            [0, 1, 2], lambda c, x, i, xs: 1 // x, config=MapConfig(max_concurrency=1)
        )
        return f"{batch.completion_reason.value} {batch.total_count}"

    assert run(handler).result == "FAILURE_TOLERANCE_EXCEEDED 1"


def test_first_successful_completes_early() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.map(
            [1, 2, 3],
            lambda c, x, i, xs: x,
            config=MapConfig(
                max_concurrency=1, completion_config=CompletionConfig.first_successful()
            ),
        )
        return [batch.get_results(), batch.completion_reason.value]

    assert run(handler).result == [[1], "MIN_SUCCESSFUL_REACHED"]


def test_max_concurrency_bounds_the_running_items() -> None:
    lock = threading.Lock()
    running = [0, 0]  # now, peak

    def item(ctx: DurableContext, x: int, i: int, xs: Any) -> int:
        def body(_: Any) -> int:
            with lock:
                running[0] += 1
                running[1] = max(running)
            time.sleep(0.01)
            with lock:
                running[0] -= 1
            return x

        return ctx.step(body, name="work")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return len(context.map(list(range(12)), item, config=MapConfig(max_concurrency=3)).all)

    assert run(handler).result == 12
    assert 1 <= running[1] <= 3


def test_a_waiting_item_keeps_its_slot_across_invocations() -> None:
    order: list[int] = []

    def item(ctx: DurableContext, x: int, i: int, xs: Any) -> int:
        ctx.step(lambda _: order.append(i), name="mark")
        if i == 0:
            ctx.wait(Duration(5))
        return i

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[int]:
        return context.map([0, 1], item, config=MapConfig(max_concurrency=1)).get_results()

    result = run(handler)
    assert (result.result, order, len(result.invocations)) == ([0, 1], [0, 1], 2)


def test_flat_nesting_records_no_iteration_contexts() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[int]:
        config = MapConfig(nesting_type=NestingType.FLAT)
        return context.map([1, 2], square, name="flat", config=config).get_results()

    result = run(handler)
    batch = result.get_context("flat")
    assert result.result == [1, 4]
    assert [(c.type, c.name) for c in batch.children] == [("STEP", "square"), ("STEP", "square")]


def test_parallel_branches_have_their_names() -> None:
    @durable_parallel_branch(name="fetch-user")
    def fetch_user(ctx: DurableContext, user_id: str) -> str:
        return ctx.step(lambda _: f"user {user_id}", name="load")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[str]:
        return context.parallel(
            [fetch_user("7"), lambda c: "other"], name="load-data"
        ).get_results()

    result = run(handler)
    batch = result.get_context("load-data")
    assert result.result == ["user 7", "other"]
    assert (batch.sub_type, [c.name for c in batch.children]) == (
        "Parallel",
        ["fetch-user", "parallel-branch-1"],
    )


def test_a_large_batch_is_summarised_and_replayed_to_the_same_result() -> None:
    results: list[BatchResult[Any]] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        batch = context.map(
            list(range(3)),
            lambda c, x, i, xs: c.step(lambda _: "x" * 100_000, name="blob"),
            name="big",
        )
        results.append(batch)
        context.wait(Duration(1))
        return batch.total_count

    result = run(handler)
    assert result.result == 3
    assert results[0] == results[1]
    summary = result.get_context("big").raw_result or ""
    assert '"type": "MapResult"' in summary and '"totalCount": 3' in summary


def test_a_min_successful_above_the_item_count_is_refused() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.map(
            [1], square, config=MapConfig(completion_config=CompletionConfig(min_successful=2))
        )

    result = run(handler)
    assert (
        "min_successful (2) is greater than the number of items (1)" in result.error["ErrorMessage"]
    )
    assert result.operations == []


def test_batch_results_replay_from_the_checkpoint() -> None:
    runs: list[int] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.map([1, 2], lambda c, x, i, xs: runs.append(x) or x)
        context.wait(Duration(1))
        return [batch.get_results(), batch.completion_reason is CompletionReason.ALL_COMPLETED]

    assert run(handler).result == [[1, 2], True]
    assert sorted(runs) == [1, 2]


def test_async_map_and_parallel_record_what_sync_records() -> None:
    @durable_execution
    def sync_handler(event: Any, context: DurableContext) -> Any:
        m = context.map([1, 2], square, name="m", config=MapConfig(max_concurrency=1))
        p = context.parallel(
            [lambda c: c.step(lambda _: "a", name="s"), lambda c: 1 / 0],
            name="p",
            config=ParallelConfig(max_concurrency=1, completion_config=ALL),
        )
        return [m.get_results(), p.get_results()]

    async def async_square(ctx: AsyncDurableContext, item: int, index: int, items: Any) -> int:
        return await ctx.step(lambda _: item * item, name="square")

    async def branch(c: AsyncDurableContext) -> str:
        return await c.step(lambda _: "a", name="s")

    @durable_execution
    async def async_handler(event: Any, context: AsyncDurableContext) -> Any:
        m = await context.map([1, 2], async_square, name="m", config=MapConfig(max_concurrency=1))
        p = await context.parallel(
            [branch, lambda c: 1 / 0],
            name="p",
            config=ParallelConfig(max_concurrency=1, completion_config=ALL),
        )
        return [m.get_results(), p.get_results()]

    sync_result, sync_updates = run_recording(sync_handler)
    async_result, async_updates = run_recording(async_handler)
    assert sync_result.result == async_result.result == [[1, 4], ["a"]]
    assert sync_updates == async_updates


def test_max_concurrency_below_one_is_refused() -> None:
    with pytest.raises(ValidationError, match="max_concurrency must be at least 1"):
        MapConfig(max_concurrency=0)


def test_an_async_summarised_batch_replays_to_the_same_result() -> None:
    results: list[BatchResult[Any]] = []

    async def blob(ctx: AsyncDurableContext, x: int, i: int, xs: Any) -> str:
        if i == 1:
            raise ValueError("item 1")
        return await ctx.step(lambda _: "y" * 100_000, name="blob")

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> int:
        batch = await context.map(
            list(range(4)), blob, name="big", config=MapConfig(completion_config=ALL)
        )
        results.append(batch)
        await context.wait(Duration(1))
        return batch.total_count

    result = run(handler)
    assert result.result == 4
    assert results[0] == results[1]
    assert [i.status.value for i in results[1].all] == [
        "SUCCEEDED",
        "FAILED",
        "SUCCEEDED",
        "SUCCEEDED",
    ]


def test_a_branch_waiting_to_retry_resumes_in_a_later_invocation() -> None:
    attempts: list[int] = []

    def flaky(step_ctx: Any) -> int:
        attempts.append(step_ctx.attempt)
        if step_ctx.attempt < 2:
            raise OSError("transient")
        return step_ctx.attempt

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.parallel(
            [lambda c: c.step(flaky, name="flaky"), lambda c: c.step(lambda _: "ok", name="fine")]
        )
        return batch.get_results()

    result = run(handler)
    assert (result.result, attempts) == ([2, "ok"], [1, 2])
    assert [i["Status"] for i in result.invocations] == ["PENDING", "SUCCEEDED"]


def test_items_still_running_after_early_completion_record_nothing_more() -> None:
    release = threading.Event()

    def item(ctx: DurableContext, x: int, i: int, xs: Any) -> int:
        if i == 0:
            return ctx.step(lambda _: 0, name="fast")
        release.wait(5)
        return ctx.step(lambda _: x, name="late")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.map(
            [0, 1], item, config=MapConfig(completion_config=CompletionConfig.first_successful())
        )
        release.set()
        context.wait(Duration(1))
        return [i.status.value for i in batch.all]

    result = run(handler)
    assert result.result == ["SUCCEEDED", "STARTED"]
    with pytest.raises(LookupError):
        result.get_step("late")


def test_batch_sub_types_are_recorded_as_plain_text() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        context.map([1], square, name="m")
        return context.parallel([lambda c: 1], name="p").get_results()

    with LocalDurableTestRunner(handler) as runner:
        arn = runner.start({})
        runner.wait_for_result(arn)
        with runner.engine.lock:
            sub_types = [op.sub_type for op in runner.engine.execution(arn).operations.values()]
    assert {"Map", "Parallel", "MapIteration", "ParallelBranch"} <= set(sub_types)
    assert all(type(sub_type) is str for sub_type in sub_types if sub_type is not None)
