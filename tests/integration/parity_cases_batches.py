"""Parity cases: map and parallel - naming, nesting, completion configs, concurrency, large
results, failures, items that wait."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from parity_handlers import Api, InventoryShortError, case


@case(ordered=False)
def map_items(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def square(ctx: Any, item: int, index: int, items: list[int]) -> int:
            return ctx.step(lambda _: item * item, name=f"square-{index}")

        result = context.map([1, 2, 3], square, name="squares")
        return result.get_results()

    return handler


@case()
def map_sequential_with_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def check(ctx: Any, item: int, index: int, items: list[int]) -> Any:
            if item == 2:
                raise InventoryShortError(f"item {item}")
            return {"item": item, "at": date(2024, 1, item)}

        config = api.config.MapConfig(max_concurrency=1)
        result = context.map([1, 2, 3], check, name="checks", config=config)
        return [
            str(result.get_results()),
            result.completion_reason.value,
            [item.status.value for item in result.all],
            len(result.get_errors()),
        ]

    return handler


@case(ordered=False)
def map_unnamed_with_tolerance(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def maybe(ctx: Any, item: int, index: int, items: list[int]) -> int:
            if item % 2:
                raise ValueError(f"odd {item}")
            return item

        config = api.config.MapConfig(
            completion_config=api.config.CompletionConfig(tolerated_failure_count=5)
        )
        result = context.map([0, 1, 2, 3], maybe, config=config)
        return [result.get_results(), result.completion_reason.value]

    return handler


@case(ordered=False)
def parallel_branches(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def first(ctx: Any) -> str:
            return ctx.step(lambda _: "one", name="first-step")

        def second(ctx: Any) -> Any:
            ctx.wait(api.seconds(2), name="second-wait")
            return Decimal("2.0")

        result = context.parallel([first, second], name="both")
        return [str(v) for v in result.get_results()]

    return handler


@case()
def parallel_sequential(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ParallelConfig(max_concurrency=1)
        result = context.parallel(
            [lambda ctx: ctx.step(lambda _: 1), lambda ctx: ctx.step(lambda _: 2)], config=config
        )
        return result.get_results()

    return handler


@case(ordered=False)
def map_named_items_flat(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def work(ctx: Any, item: str, index: int, items: list[str]) -> str:
            return ctx.step(lambda _: item.upper(), name="upper")

        config = api.config.MapConfig(
            nesting_type=api.config.NestingType.FLAT,
            item_namer=lambda item, index: f"item-{item}",
        )
        flat = context.map(["a", "b"], work, name="flat", config=config)
        named = context.map(
            ["c", "d"],
            work,
            name="named",
            config=api.config.MapConfig(item_namer=lambda item, index: f"n-{index}"),
        )
        return [flat.get_results(), named.get_results()]

    return handler


@case(ordered=False)
def map_completion_configs(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def work(ctx: Any, item: int, index: int, items: list[int]) -> int:
            if item < 0:
                raise ValueError(f"negative {item}")
            return item

        outcomes = []
        for label, completion in (
            ("all-completed", api.config.CompletionConfig.all_completed()),
            ("all-successful", api.config.CompletionConfig.all_successful()),
            ("percent", api.config.CompletionConfig(tolerated_failure_percentage=50)),
        ):
            config = api.config.MapConfig(completion_config=completion, max_concurrency=1)
            result = context.map([1, -2, 3], work, name=label, config=config)
            outcomes.append(
                [
                    label,
                    result.completion_reason.value,
                    [item.status.value for item in result.all],
                    result.get_results(),
                ]
            )
        return outcomes

    return handler


@case()
def map_first_successful(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.MapConfig(
            max_concurrency=1, completion_config=api.config.CompletionConfig.first_successful()
        )
        result = context.map(
            [1, 2, 3], lambda ctx, item, index, items: item * 10, name="first", config=config
        )
        return [result.completion_reason.value, [i.status.value for i in result.all]]

    return handler


@case(ordered=False)
def map_large_results(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def big(ctx: Any, item: int, index: int, items: list[int]) -> str:
            return ctx.step(lambda _: str(item) * (100 * 1024), name="chunk")

        result = context.map([1, 2, 3], big, name="big")
        context.wait(api.seconds(1), name="force-replay")
        return [len(text) for text in result.get_results()]

    return handler


@case()
def map_batch_result_in_step(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.MapConfig(max_concurrency=1)
        result = context.map([1, 2], lambda ctx, item, index, items: item, config=config)
        copied = context.step(lambda _: result, name="keep")
        return [type(copied).__name__, copied.get_results()]

    return handler


@case(ordered=False)
def parallel_named_branches_and_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_parallel_branch(name="decorated")
    def decorated(ctx: Any, suffix: str) -> str:
        return ctx.step(lambda _: f"dec-{suffix}", name="dec-step")

    @api.root.durable_parallel_branch()
    def default_named(ctx: Any) -> str:
        return "default"

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(ctx: Any) -> None:
            raise InventoryShortError("branch broke")

        branches = [
            api.config.ParallelBranch(func=lambda ctx: "explicit", name="explicit"),
            decorated("x"),
            default_named(),
            broken,
        ]
        config = api.config.ParallelConfig(
            completion_config=api.config.CompletionConfig.all_completed()
        )
        result = context.parallel(branches, name="mixed", config=config)
        errors = [api.local(e.error_type) for e in result.get_errors()]
        return [result.get_results(), errors, result.completion_reason.value]

    return handler


@case()
def parallel_throw_if_error(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(ctx: Any) -> None:
            raise KeyError("gone")

        config = api.config.ParallelConfig(max_concurrency=1)
        result = context.parallel([lambda ctx: 1, broken], config=config)
        result.throw_if_error()

    return handler


@case(ordered=False)
def nested_batches(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def row(ctx: Any, item: list[int], index: int, items: Any) -> Any:
            inner = ctx.map(item, lambda c, x, i, xs: c.step(lambda _: x * 2, name="dbl"))
            return inner.get_results()

        grid = context.map([[1, 2], [3]], row, name="grid")
        both = context.run_in_child_context(
            lambda ctx: ctx.parallel([lambda c: c.step(lambda _: "p")]).get_results(),
            name="box",
        )
        return [grid.get_results(), both]

    return handler


@case(ordered=False)
def map_with_summary_and_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.MapConfig(
            summary_generator=lambda result: f"{len(result.all)} big items",
        )
        big = context.map(
            [1, 2, 3], lambda ctx, item, i, xs: "m" * (100 * 1024), name="big", config=config
        )
        typed = context.map(
            [1, 2],
            lambda ctx, item, i, xs: {"n": item},
            name="json-items",
            config=api.config.MapConfig(item_serdes=api.serdes.JsonSerDes()),
        )
        context.wait(api.seconds(1), name="force-replay")
        return [len(big.get_results()), typed.get_results()]

    return handler


@case(ordered=False)
def parallel_flat_large(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ParallelConfig(nesting_type=api.config.NestingType.FLAT)
        result = context.parallel(
            [
                lambda ctx: ctx.step(lambda _: "p" * (150 * 1024), name="half"),
                lambda ctx: ctx.step(lambda _: "q" * (150 * 1024), name="other-half"),
            ],
            name="flat",
            config=config,
        )
        context.wait(api.seconds(1), name="force-replay")
        return [len(v) for v in result.get_results()]

    return handler


@case(ordered=False)
def map_items_that_wait(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def item(ctx: Any, value: int, index: int, items: Any) -> int:
            first = ctx.step(lambda _: value, name="first")
            ctx.wait(api.seconds(value), name="nap")
            return ctx.step(lambda _: first * 10, name="second")

        config = api.config.MapConfig(max_concurrency=2)
        result = context.map([3, 1, 2, 1, 2], item, name="waiting", config=config)
        return result.get_results()

    return handler
