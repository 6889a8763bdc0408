"""Random handler programs record the same checkpoints and results whether written
for the sync or the asyncio driver."""

from __future__ import annotations

from typing import Any

from conftest import run_recording
from durable import (
    AsyncDurableContext,
    DurableContext,
    StepError,
    durable_execution,
)
from durable.config import Duration, MapConfig, StepConfig
from durable.retries import RetryPresets
from hypothesis import given, settings
from hypothesis import strategies as st

NO_RETRY = StepConfig(retry_strategy=RetryPresets.none())

LEAF = st.one_of(
    st.tuples(st.just("step"), st.integers(-5, 5)),
    st.tuples(st.just("wait"), st.integers(1, 100)),
    st.tuples(st.just("failing"), st.integers(0, 3)),
    st.tuples(st.just("map"), st.integers(0, 3)),
)
PROGRAMS = st.recursive(
    st.lists(LEAF, max_size=4),
    lambda inner: st.lists(st.one_of(LEAF, st.tuples(st.just("child"), inner)), max_size=4),
    max_leaves=10,
)


def run_sync(ctx: DurableContext, program: list[Any]) -> list[Any]:
    out: list[Any] = []
    for kind, arg in program:
        if kind == "step":
            out.append(ctx.step(lambda _, a=arg: {"v": a, "t": (a,)}, name=f"s{arg}"))
        elif kind == "wait":
            ctx.wait(Duration(arg))
        elif kind == "failing":
            try:
                ctx.step(lambda _, a=arg: 1 // 0, name=f"f{arg}", config=NO_RETRY)
            except StepError as error:
                out.append(error.error_type)
        elif kind == "map":
            batch = ctx.map(
                list(range(arg)),
                lambda c, x, i, xs: c.step(lambda _: x),
                config=MapConfig(max_concurrency=1),
            )
            out.append(batch.get_results())
        else:
            out.append(ctx.run_in_child_context(lambda c, p=arg: run_sync(c, p), name="kid"))
    return out


async def run_async(ctx: AsyncDurableContext, program: list[Any]) -> list[Any]:
    out: list[Any] = []
    for kind, arg in program:
        if kind == "step":
            out.append(await ctx.step(lambda _, a=arg: {"v": a, "t": (a,)}, name=f"s{arg}"))
        elif kind == "wait":
            await ctx.wait(Duration(arg))
        elif kind == "failing":
            try:
                await ctx.step(lambda _, a=arg: 1 // 0, name=f"f{arg}", config=NO_RETRY)
            except StepError as error:
                out.append(error.error_type)
        elif kind == "map":

            async def item(c: AsyncDurableContext, x: int, i: int, xs: Any) -> int:
                return await c.step(lambda _: x)

            batch = await ctx.map(list(range(arg)), item, config=MapConfig(max_concurrency=1))
            out.append(batch.get_results())
        else:

            async def child(c: AsyncDurableContext, p: list[Any] = arg) -> list[Any]:
                return await run_async(c, p)

            out.append(await ctx.run_in_child_context(child, name="kid"))
    return out


@settings(max_examples=60, deadline=None)
@given(PROGRAMS)
def test_sync_and_async_programs_checkpoint_identically(program: list[Any]) -> None:
    @durable_execution
    def sync_handler(event: Any, context: DurableContext) -> Any:
        return run_sync(context, program)

    @durable_execution
    async def async_handler(event: Any, context: AsyncDurableContext) -> Any:
        return await run_async(context, program)

    sync_result, sync_updates = run_recording(sync_handler)
    async_result, async_updates = run_recording(async_handler)
    assert sync_result.status == async_result.status == "SUCCEEDED"
    assert sync_result.result == async_result.result
    assert sync_updates == async_updates
    assert len(sync_result.invocations) == 1 + sum(_waits(program))


def _waits(program: list[Any]) -> list[int]:
    counts = []
    for kind, arg in program:
        if kind == "wait":
            counts.append(1)
        elif kind == "child":
            counts.extend(_waits(arg))
    return counts
