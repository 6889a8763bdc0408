"""Handlers for the parallel suite (requirements 8-N), written from each description."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from durable import DurableContext, durable_execution, durable_parallel_branch
from durable.config import CompletionConfig, Duration, NestingType, ParallelConfig
from durable.serdes import SerDes, SerDesContext

from ..cases import Case, Suite
from .batch_projection import ALL_FIELDS, NO_STATUS, project

SUITE = Suite("parallel")

Branch = Callable[[DurableContext], Any]


def returns(value: Any) -> Branch:
    return lambda ctx: value


def step_returning(value: Any) -> Branch:
    return lambda ctx: ctx.step(lambda _: value)


def fails(ctx: DurableContext) -> Any:
    raise RuntimeError("this branch fails")


def sequential(completion: CompletionConfig | None = None, **options: Any) -> ParallelConfig:
    """One branch at a time, in index order, so the history is deterministic."""
    if completion is None:
        return ParallelConfig(max_concurrency=1, **options)
    return ParallelConfig(max_concurrency=1, completion_config=completion, **options)


def _results_of(branches: list[Branch], name: str | None, config: ParallelConfig) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        return context.parallel(branches, name=name, config=config).get_results()

    return handler


def _projection_of(
    branches: list[Branch], name: str, completion: CompletionConfig, fields: tuple[str, ...]
) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, Any]:
        batch = context.parallel(branches, name=name, config=sequential(completion))
        return project(batch, *fields)

    return handler


@SUITE.case("8-1")
def parallel_basic() -> Case:
    branches = [step_returning("task-1"), step_returning("task-2")]
    return Case(_results_of(branches, "parallel", sequential()))


@SUITE.case("8-2")
def parallel_without_name() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.parallel([returns("alpha"), returns("beta")], config=sequential())
        return batch.get_results()

    return Case(handler)


@SUITE.case("8-3")
def parallel_named_branches() -> Case:
    @durable_parallel_branch(name="first")
    def first(ctx: DurableContext) -> str:
        return "one"

    @durable_parallel_branch(name="second")
    def second(ctx: DurableContext) -> str:
        return "two"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.parallel([first(), second()], name="named", config=sequential())
        return batch.get_results()

    return Case(handler)


@SUITE.case("8-4")
def parallel_mixed_types() -> Case:
    branches = [returns("hello"), returns(42), returns({"k": "v"})]
    return Case(_results_of(branches, "hetero", sequential()))


@SUITE.case("8-5")
def parallel_empty() -> Case:
    return Case(_results_of([], "empty", ParallelConfig()))


@SUITE.case("8-6")
def parallel_fail_fast() -> Case:
    branches = [returns("ok"), fails, returns("never")]
    completion = CompletionConfig(tolerated_failure_count=0)
    return Case(_projection_of(branches, "failfast", completion, ALL_FIELDS))


@SUITE.case("8-7")
def parallel_rethrow() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        config = sequential(CompletionConfig(tolerated_failure_count=0))
        batch = context.parallel([fails, returns("never")], name="throwing", config=config)
        batch.throw_if_error()
        return batch.get_results()

    return Case(handler)


@SUITE.case("8-8")
def parallel_min_successful() -> Case:
    branches = [returns(f"b{i}") for i in range(4)]
    completion = CompletionConfig(min_successful=2)
    fields = ("completionReason", "successCount", "totalCount")
    return Case(_projection_of(branches, "min-successful", completion, fields))


@SUITE.case("8-9")
def parallel_tolerated_failure() -> Case:
    branches = [returns("a"), fails, returns("c")]
    completion = CompletionConfig(tolerated_failure_count=1)
    return Case(_projection_of(branches, "tolerated", completion, ALL_FIELDS))


@SUITE.case("8-10")
def parallel_tolerance_exceeded() -> Case:
    branches = [fails, fails, returns("never")]
    completion = CompletionConfig(tolerated_failure_count=1)
    return Case(_projection_of(branches, "tolerated-exceeded", completion, NO_STATUS))


@SUITE.case("8-11")
def parallel_concurrent_order() -> Case:
    branches = [returns("r0"), returns("r1"), returns("r2")]
    return Case(_results_of(branches, "concurrent", ParallelConfig(max_concurrency=2)))


@SUITE.case("8-12")
def parallel_flat() -> Case:
    branches = [step_returning("fa"), step_returning("fb")]
    return Case(_results_of(branches, "flat", sequential(nesting_type=NestingType.FLAT)))


@SUITE.case("8-13")
def parallel_percentage_exceeded() -> Case:
    branches = [fails, fails, returns("c"), returns("d")]
    completion = CompletionConfig(tolerated_failure_percentage=25)
    return Case(_projection_of(branches, "tolerated-pct", completion, NO_STATUS))


@SUITE.case("8-14")
def parallel_branch_suspends() -> Case:
    def waits_then_returns(ctx: DurableContext) -> str:
        ctx.wait(Duration.from_seconds(2))
        return "b1"

    branches = [step_returning("b0"), waits_then_returns]
    return Case(_results_of(branches, "replay", sequential()))


class WrappingSerDes(SerDes[Any]):
    """Stores each branch result as ``{"wrapped": value}`` and unwraps it on read."""

    def serialize(self, value: Any, serdes_context: SerDesContext) -> str:
        return json.dumps({"wrapped": value})

    def deserialize(self, data: str, serdes_context: SerDesContext) -> Any:
        return json.loads(data)["wrapped"]


@SUITE.case("8-15")
def parallel_item_serdes() -> Case:
    config = sequential(item_serdes=WrappingSerDes())
    return Case(_results_of([returns("x"), returns("y")], "serde", config))


@SUITE.case("8-16")
def parallel_all_fail_within_tolerance() -> Case:
    completion = CompletionConfig(tolerated_failure_count=3)
    return Case(_projection_of([fails, fails, fails], "all-fail", completion, ALL_FIELDS))


@SUITE.case("8-17")
def parallel_min_successful_not_reached() -> Case:
    branches = [returns("a"), fails, returns("c")]
    completion = CompletionConfig(min_successful=3)
    return Case(_projection_of(branches, "min-not-reached", completion, ALL_FIELDS))


@SUITE.case("8-18")
def parallel_tolerance_before_min_successful() -> Case:
    branches = [fails, fails, returns("c"), returns("d")]
    completion = CompletionConfig(min_successful=3, tolerated_failure_count=1)
    return Case(_projection_of(branches, "combined", completion, NO_STATUS))


@SUITE.case("8-19")
def parallel_zero_concurrency() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        config = ParallelConfig(max_concurrency=0)
        batch = context.parallel([returns(1), returns(2)], name="bad-concurrency", config=config)
        return batch.get_results()

    return Case(handler)


@SUITE.case("8-20")
def parallel_accessors() -> Case:
    branches = [returns("a"), fails, returns("c")]
    completion = CompletionConfig(tolerated_failure_count=1)
    fields = ("hasFailure", "successCount", "failureCount", "errorCount")
    return Case(_projection_of(branches, "accessors", completion, fields))


@SUITE.case("8-21")
def parallel_nested() -> Case:
    def inner(ctx: DurableContext) -> list[Any]:
        branches = [step_returning("i1"), step_returning("i2")]
        return ctx.parallel(branches, name="inner", config=sequential()).get_results()

    return Case(_results_of([inner], "outer", sequential()))


@SUITE.case("8-22")
def parallel_percentage_boundary() -> Case:
    branches = [fails, returns("b"), returns("c"), returns("d")]
    completion = CompletionConfig(tolerated_failure_percentage=25)
    return Case(_projection_of(branches, "pct-boundary", completion, ALL_FIELDS))
