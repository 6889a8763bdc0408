"""Our asyncio driver against the official SDK: an `async def` handler on `durable`
writes the checkpoints the official SDK writes for the same handler in its sync form.

The official SDK has no asyncio API, so each handler here has its official (sync) form
in parity_handlers.py and its async form below, the same operations in the same order.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from durable import AsyncDurableContext, durable_execution
from durable.config import Duration, StepConfig
from durable.exceptions import StepError
from parity_capture import Capture, run_ours, run_theirs
from parity_cases import CASES
from parity_cases_steps import TAGGED_VALUES
from parity_handlers import Api, Case, InventoryShortError

OURS_API = Api("durable")


def _sequential_steps() -> Callable[..., Any]:
    @durable_execution
    async def handler(event: dict[str, Any], context: AsyncDurableContext) -> Any:
        first = await context.step(lambda _: event["order"], name="load")

        async def upper(_: Any) -> str:
            await asyncio.sleep(0)
            return str(first).upper()

        second = await context.step(upper, name="upper")
        third = await context.step(lambda _: None, name="nothing")
        return {"first": first, "second": second, "third": third}

    return handler


def _tagged_step_results() -> Callable[..., Any]:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        kinds = []
        for label, value in TAGGED_VALUES.items():
            back = await context.step(lambda _, v=value: v, name=label)
            kinds.append(f"{label}:{type(back).__name__}:{back == value}")
        return kinds

    return handler


def _step_retries_then_fails() -> Callable[..., Any]:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        async def always_short(_: Any) -> None:
            raise InventoryShortError("only 2 left")

        try:
            await context.step(always_short, name="reserve", config=OURS_API.retry_config(3))
        except StepError as error:
            return {"error_type": error.error_type, "message": str(error)}
        return "unreachable"

    return handler


def _waits() -> Callable[..., Any]:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        await context.wait(Duration.from_seconds(5), name="short")
        await context.wait(Duration.from_minutes(2))
        value = await context.step(lambda _: "between", name="between")
        await context.wait(Duration.from_hours(1), name="long")
        return value

    return handler


def _child_contexts() -> Callable[..., Any]:
    async def inner(ctx: AsyncDurableContext) -> Any:
        return await ctx.step(lambda _: Decimal("9.99"), name="price")

    async def grandchild(grand: AsyncDurableContext) -> Any:
        return await grand.step(lambda _: (1, 2))

    async def outer(ctx: AsyncDurableContext) -> Any:
        a = await ctx.step(lambda _: "a", name="a")
        await ctx.wait(Duration.from_seconds(1), name="pause")
        b = await ctx.run_in_child_context(inner, name="inner")
        c = await ctx.run_in_child_context(grandchild)
        return {"a": a, "b": b, "c": c}

    async def unnamed(ctx: AsyncDurableContext) -> Any:
        return await ctx.step(lambda _: 5)

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        result = await context.run_in_child_context(outer, name="outer")
        other = await context.run_in_child_context(unnamed)
        return [str(result), other]

    return handler


def _map_sequential_with_failure() -> Callable[..., Any]:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        async def check(ctx: AsyncDurableContext, item: int, index: int, items: list[int]) -> Any:
            if item == 2:
                raise InventoryShortError(f"item {item}")
            return {"item": item, "at": date(2024, 1, item)}

        config = OURS_API.config.MapConfig(max_concurrency=1)
        result = await context.map([1, 2, 3], check, name="checks", config=config)
        return [
            str(result.get_results()),
            result.completion_reason.value,
            [item.status.value for item in result.all],
            len(result.get_errors()),
        ]

    return handler


def _at_most_once_step() -> Callable[..., Any]:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        semantics = OURS_API.config.StepSemantics
        once = await context.step(
            lambda _: "once",
            name="charge",
            config=StepConfig(step_semantics=semantics.AT_MOST_ONCE_PER_RETRY),
        )
        least = await context.step(
            lambda _: "least",
            name="notify",
            config=StepConfig(step_semantics=semantics.AT_LEAST_ONCE_PER_RETRY),
        )
        return [once, least]

    return handler


ASYNC_FORMS: dict[str, Callable[[], Callable[..., Any]]] = {
    "sequential_steps": _sequential_steps,
    "tagged_step_results": _tagged_step_results,
    "step_retries_then_fails": _step_retries_then_fails,
    "waits": _waits,
    "child_contexts": _child_contexts,
    "map_sequential_with_failure": _map_sequential_with_failure,
    "at_most_once_step": _at_most_once_step,
}


@functools.cache
def _runs(name: str) -> tuple[Capture, Capture]:
    official = CASES[name]
    ours = Case(lambda _: ASYNC_FORMS[name](), official.payload)
    return run_ours(ours), run_theirs(official)


@pytest.mark.parametrize("name", list(ASYNC_FORMS))
def test_an_async_handler_writes_the_official_updates_in_order(name: str) -> None:
    ours, theirs = _runs(name)
    assert ours.updates == theirs.updates


@pytest.mark.parametrize("name", list(ASYNC_FORMS))
def test_an_async_handler_ends_with_the_official_log_and_outcome(name: str) -> None:
    ours, theirs = _runs(name)
    assert ours.operations == theirs.operations
    assert ours.envelopes == theirs.envelopes
    assert (ours.status, ours.result, ours.error) == (theirs.status, theirs.result, theirs.error)
