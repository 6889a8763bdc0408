"""Parity cases: waits and child contexts - nested, named, failing, virtual, custom sub_type,
results over 256 KiB (ReplayChildren), children that suspend inside."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from parity_handlers import Api, InventoryShortError, case


@case()
def waits(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.wait(api.seconds(5), name="short")
        context.wait(api.config.Duration.from_minutes(2))
        value = context.step(lambda _: "between", name="between")
        context.wait(api.config.Duration.from_hours(1), name="long")
        return value

    return handler


@case()
def child_contexts(api: Api) -> Callable[..., Any]:
    def inner(ctx: Any) -> Any:
        return ctx.step(lambda _: Decimal("9.99"), name="price")

    def outer(ctx: Any) -> Any:
        a = ctx.step(lambda _: "a", name="a")
        ctx.wait(api.seconds(1), name="pause")
        b = ctx.run_in_child_context(inner, name="inner")
        c = ctx.run_in_child_context(lambda grand: grand.step(lambda _: (1, 2)))
        return {"a": a, "b": b, "c": c}

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        result = context.run_in_child_context(outer, name="outer")
        unnamed = context.run_in_child_context(lambda ctx: ctx.step(lambda _: 5))
        return [str(result), unnamed]

    return handler


@case()
def durable_with_child_context_function(api: Api) -> Callable[..., Any]:
    @api.root.durable_with_child_context
    def reserve(ctx: Any, item: str, count: int) -> dict[str, Any]:
        got = ctx.step(lambda _: count * 2, name="double")
        return {"item": item, "got": got}

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        first = context.run_in_child_context(reserve("apple", 2))
        second = context.run_in_child_context(reserve("pear", 3), name="pears")
        return [first, second]

    return handler


@case()
def child_context_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def failing(ctx: Any) -> None:
            ctx.step(lambda _: 1, name="fine")
            raise InventoryShortError("child gave up")

        try:
            context.run_in_child_context(failing, name="failing")
        except api.exceptions.ChildContextError as error:
            return {"error_type": error.error_type, "message": str(error)}
        return "unreachable"

    return handler


LARGE_TEXT_SIZE = 300 * 1024


@case()
def child_context_large_result(api: Api) -> Callable[..., Any]:
    def big(ctx: Any) -> str:
        part = ctx.step(lambda _: "x" * 1024, name="part")
        return part * (LARGE_TEXT_SIZE // 1024)

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        text = context.run_in_child_context(big, name="big")
        context.wait(api.seconds(1), name="force-replay")
        again = context.step(lambda _: len(text), name="length")
        return again

    return handler


@case()
def child_context_large_result_with_summary(api: Api) -> Callable[..., Any]:
    def big(ctx: Any) -> list[str]:
        return ["y" * 1024] * (LARGE_TEXT_SIZE // 1024)

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ChildConfig(summary_generator=lambda items: f"{len(items)} items")
        items = context.run_in_child_context(big, name="big", config=config)
        context.wait(api.seconds(1), name="force-replay")
        return len(items)

    return handler


@case()
def child_context_custom_sub_type(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ChildConfig(sub_type="Checkout_v2")
        value = context.run_in_child_context(
            lambda ctx: ctx.step(lambda _: {"at": date(2024, 5, 6)}, name="inner"),
            name="custom",
            config=config,
        )
        return str(value)

    return handler


@case()
def child_context_tagged_result(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        value = context.run_in_child_context(
            lambda ctx: {"amount": Decimal("3.10"), "tags": ("a", "b"), "raw": b"\x01"},
            name="tagged",
        )
        return str(value)

    return handler


@case()
def wait_too_short(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: 1, name="before")
        context.wait(api.config.Duration(seconds=0), name="zero")

    return handler


@case()
def durations(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.wait(api.config.Duration(seconds=90), name="ninety")
        context.wait(api.config.Duration.from_days(2), name="days")
        context.wait(api.config.Duration.from_minutes(1))
        return "waited"

    return handler


@case(alternates=False)
def retry_inside_child(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def flaky(_: Any) -> int:
            calls.append(1)
            if len(calls) < 2:
                raise TimeoutError("slow")
            return len(calls)

        return context.run_in_child_context(
            lambda ctx: ctx.step(flaky, name="flaky", config=api.retry_config(3)), name="box"
        )

    return handler


@case()
def child_with_uncaught_step_error(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def body(ctx: Any) -> None:
            def fail(_: Any) -> None:
                raise KeyError("k")

            no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
            ctx.step(fail, name="inner", config=no_retry)

        try:
            context.run_in_child_context(body, name="outer")
        except api.exceptions.ChildContextError as error:
            return [api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case()
def virtual_and_configured_children(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        virtual = context.run_in_child_context(
            lambda ctx: ctx.step(lambda _: "v", name="in-virtual"),
            name="virtual",
            config=api.config.ChildConfig(is_virtual=True),
        )
        json_child = context.run_in_child_context(
            lambda ctx: {"a": [1, 2]},
            name="json-child",
            config=api.config.ChildConfig(serdes=api.serdes.JsonSerDes()),
        )
        nothing = context.run_in_child_context(lambda ctx: None, name="nothing")
        return [virtual, json_child, nothing]

    return handler


@case()
def summary_generator_raises(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def boom(result: Any) -> str:
            raise InventoryShortError("no summary")

        config = api.config.ChildConfig(summary_generator=boom)
        try:
            context.run_in_child_context(lambda ctx: "q" * (300 * 1024), name="big", config=config)
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None)), str(error)]
        return "unreachable"

    return handler


@case()
def large_child_that_suspends(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def body(ctx: Any) -> str:
            head = ctx.step(lambda _: "h", name="head")
            ctx.wait(api.seconds(2), name="inside")
            tail = ctx.step(lambda _: "t", name="tail")
            return head + tail + "z" * (300 * 1024)

        text = context.run_in_child_context(body, name="big")
        context.wait(api.seconds(1), name="after")
        return len(text)

    return handler


@case()
def async_child_in_sync_handler(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        async def body(ctx: Any) -> int:
            return 1

        try:
            context.run_in_child_context(body, name="child")
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]
        return "unreachable"

    return handler


CHECKPOINT_LIMIT = 256 * 1024


@case()
def child_results_at_the_limit(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        sizes = []
        for extra in (-1, 0, 1):
            text = context.run_in_child_context(
                lambda ctx, n=CHECKPOINT_LIMIT - 2 + extra: "a" * n, name=f"size{extra}"
            )
            sizes.append(len(text))
        return sizes

    return handler
