"""`async def` handlers: same behaviour and the same checkpoints as sync handlers."""

from __future__ import annotations

import asyncio
from typing import Any

from conftest import run_recording
from durable import (
    AsyncDurableContext,
    DurableContext,
    StepContext,
    durable_execution,
)
from durable.config import Duration, JitterStrategy, StepConfig
from durable.retries import RetryStrategyConfig, create_retry_strategy

RETRY = StepConfig(
    retry_strategy=create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=3, initial_delay=Duration(2), jitter_strategy=JitterStrategy.NONE
        )
    )
)


def flaky_factory() -> Any:
    seen: list[int] = []

    def flaky(step_ctx: StepContext) -> int:
        seen.append(step_ctx.attempt)
        if step_ctx.attempt == 1:
            raise ConnectionError("once")
        return step_ctx.attempt

    return flaky


def sync_handler() -> Any:
    flaky = flaky_factory()

    @durable_execution
    def handler(event: dict[str, int], context: DurableContext) -> Any:
        a = context.step(lambda _: event["n"] + 1, name="add")
        context.wait(Duration.from_seconds(3), name="nap")
        b = context.run_in_child_context(
            lambda ctx: ctx.step(lambda _: {"k": (a, "x")}, name="inner"), name="group"
        )
        c = context.step(flaky, name="flaky", config=RETRY)
        return [a, b["k"][1], c]

    return handler


def async_handler() -> Any:
    flaky = flaky_factory()

    async def inner(step_ctx: StepContext) -> dict[str, Any]:
        await asyncio.sleep(0)
        return {"k": (step_ctx.attempt and inner.a, "x")}  # type: ignore[attr-defined]

    async def group(ctx: AsyncDurableContext) -> Any:
        return await ctx.step(inner, name="inner")

    @durable_execution
    async def handler(event: dict[str, int], context: AsyncDurableContext) -> Any:
        a = await context.step(lambda _: event["n"] + 1, name="add")
        inner.a = a  # type: ignore[attr-defined]
        await context.wait(Duration.from_seconds(3), name="nap")
        b = await context.run_in_child_context(group, name="group")
        c = await context.step(flaky, name="flaky", config=RETRY)
        return [a, b["k"][1], c]

    return handler


def test_an_async_handler_runs_to_its_result() -> None:
    result, _ = run_recording(async_handler(), {"n": 1})
    assert (result.status, result.result) == ("SUCCEEDED", [2, "x", 2])


def test_sync_and_async_handlers_record_identical_checkpoints() -> None:
    sync_result, sync_updates = run_recording(sync_handler(), {"n": 1})
    async_result, async_updates = run_recording(async_handler(), {"n": 1})
    assert sync_result.result == async_result.result
    assert sync_updates == async_updates
    assert len(sync_updates) >= 8


def test_an_async_step_timeout_cancels_the_attempt() -> None:
    attempts: list[int] = []

    async def slow(step_ctx: StepContext) -> str:
        attempts.append(step_ctx.attempt)
        if step_ctx.attempt == 1:
            await asyncio.sleep(30)
        return "fast enough"

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> str:
        return await context.step(slow, name="slow", config=StepConfig(timeout=Duration(1)))

    result, _ = run_recording(handler)
    assert (result.result, attempts) == ("fast enough", [1, 2])


def test_a_sync_step_function_runs_in_an_async_handler() -> None:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> int:
        return await context.step(lambda _: 5, name="plain")

    assert run_recording(handler)[0].result == 5


def test_a_hung_sync_step_in_an_async_handler_times_out_and_retries() -> None:
    import threading

    release = threading.Event()
    attempts: list[int] = []

    def hangs_first(step_ctx: StepContext) -> str:
        attempts.append(step_ctx.attempt)
        if step_ctx.attempt == 1:
            release.wait(30)
        return "done"

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> str:
        return await context.step(hangs_first, name="hang", config=StepConfig(timeout=Duration(1)))

    result, _ = run_recording(handler)
    release.set()
    assert (result.result, attempts) == ("done", [1, 2])
