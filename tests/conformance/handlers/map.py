"""Handlers for the map suite (requirements 9-N), written from each description."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from durable import BatchResult, DurableContext, durable_execution
from durable.config import CompletionConfig, Duration, MapConfig, NestingType
from durable.serdes import SerDes, SerDesContext

from ..cases import Case, Suite
from .batch_projection import ALL_FIELDS, NO_STATUS, project

SUITE = Suite("map")

LARGE_ITEM_CHARS = 70 * 1024


def sequential(completion: CompletionConfig | None = None, **options: Any) -> MapConfig:
    """One item at a time, in index order, so the history is deterministic."""
    if completion is None:
        return MapConfig(max_concurrency=1, **options)
    return MapConfig(max_concurrency=1, completion_config=completion, **options)


def item_itself(ctx: DurableContext, item: Any, index: int, items: Sequence[Any]) -> Any:
    return item


def upper(ctx: DurableContext, item: str, index: int, items: Sequence[Any]) -> str:
    return item.upper()


def fail_on_marker(ctx: DurableContext, item: Any, index: int, items: Sequence[Any]) -> Any:
    if item == "fail":
        raise RuntimeError(f"item {index} fails")
    return item


def _results_of(items: list[Any], func: Any, name: str | None, config: MapConfig) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        return context.map(items, func, name=name, config=config).get_results()

    return handler


def _projection_of(
    items: list[Any], name: str, completion: CompletionConfig, fields: tuple[str, ...]
) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, Any]:
        batch = context.map(items, fail_on_marker, name=name, config=sequential(completion))
        return project(batch, *fields)

    return handler


@SUITE.case("9-1")
def map_basic() -> Case:
    def greet(ctx: DurableContext, item: str, index: int, items: Sequence[Any]) -> str:
        return ctx.step(lambda _: f"Hello, {item}!")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        return context.map(event, greet, name="map", config=sequential()).get_results()

    return Case(handler)


@SUITE.case("9-2")
def map_without_name() -> Case:
    def double(ctx: DurableContext, item: int, index: int, items: Sequence[Any]) -> int:
        return item * 2

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        return context.map(event, double, config=sequential()).get_results()

    return Case(handler)


@SUITE.case("9-3")
def map_uses_index() -> Case:
    def plus_index(ctx: DurableContext, item: int, index: int, items: Sequence[Any]) -> int:
        return item + index

    return Case(_results_of([10, 20, 30], plus_index, "indexed", sequential()))


@SUITE.case("9-4")
def map_empty() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        return context.map(event, item_itself, name="empty").get_results()

    return Case(handler)


@SUITE.case("9-5")
def map_fail_fast() -> Case:
    completion = CompletionConfig(tolerated_failure_count=0)
    return Case(_projection_of(["ok", "fail", "never"], "failfast", completion, ALL_FIELDS))


@SUITE.case("9-6")
def map_rethrow() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        config = sequential(CompletionConfig(tolerated_failure_count=0))
        batch = context.map(["fail", "never"], fail_on_marker, name="throwing", config=config)
        batch.throw_if_error()
        return batch.get_results()

    return Case(handler)


@SUITE.case("9-7")
def map_min_successful() -> Case:
    completion = CompletionConfig(min_successful=2)
    fields = ("completionReason", "successCount", "totalCount")
    return Case(_projection_of(["a", "b", "c", "d"], "min-successful", completion, fields))


@SUITE.case("9-8")
def map_tolerated_failure() -> Case:
    completion = CompletionConfig(tolerated_failure_count=1)
    return Case(_projection_of(["a", "fail", "c"], "tolerated", completion, ALL_FIELDS))


@SUITE.case("9-9")
def map_tolerance_exceeded() -> Case:
    completion = CompletionConfig(tolerated_failure_count=1)
    items = ["fail", "fail", "never"]
    return Case(_projection_of(items, "tolerated-exceeded", completion, NO_STATUS))


@SUITE.case("9-10")
def map_percentage_exceeded() -> Case:
    completion = CompletionConfig(tolerated_failure_percentage=25)
    items = ["fail", "fail", "c", "d"]
    return Case(_projection_of(items, "tolerated-pct", completion, NO_STATUS))


@SUITE.case("9-11")
def map_concurrent_order() -> Case:
    config = MapConfig(max_concurrency=2)
    return Case(_results_of(["r0", "r1", "r2"], item_itself, "concurrent", config))


@SUITE.case("9-12")
def map_flat() -> Case:
    def step_item(ctx: DurableContext, item: str, index: int, items: Sequence[Any]) -> str:
        return ctx.step(lambda _: item)

    config = sequential(nesting_type=NestingType.FLAT)
    return Case(_results_of(["fa", "fb"], step_item, "flat", config))


@SUITE.case("9-13")
def map_item_namer() -> Case:
    def times_ten(ctx: DurableContext, item: int, index: int, items: Sequence[Any]) -> int:
        return item * 10

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        config = sequential(item_namer=lambda item, index: f"item-{item}")
        return context.map(event, times_ten, name="named-items", config=config).get_results()

    return Case(handler)


class PrefixSerDes(SerDes[str]):
    """Stores each item result as ``wrapped:<value>``."""

    def serialize(self, value: str, serdes_context: SerDesContext) -> str:
        return f"wrapped:{value}"

    def deserialize(self, data: str, serdes_context: SerDesContext) -> str:
        return data.removeprefix("wrapped:")


@SUITE.case("9-14")
def map_item_serdes() -> Case:
    config = sequential(item_serdes=PrefixSerDes())
    return Case(_results_of(["x", "y"], upper, "serdes", config))


@SUITE.case("9-15")
def map_iteration_suspends() -> Case:
    def maybe_wait(ctx: DurableContext, item: str, index: int, items: Sequence[Any]) -> str:
        if index == 1:
            ctx.wait(Duration.from_seconds(1))
        return ctx.step(lambda _: item)

    return Case(_results_of(["r0", "r1"], maybe_wait, "suspend", sequential()))


@SUITE.case("9-16")
def map_large_result() -> Case:
    def large(ctx: DurableContext, item: str, index: int, items: Sequence[Any]) -> str:
        return item * LARGE_ITEM_CHARS

    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, Any]:
        batch = context.map(["a", "b", "c", "d"], large, name="large", config=sequential())
        return project(batch, "successCount", "totalCount")

    return Case(handler)


@SUITE.case("9-17")
def map_then_wait() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        batch = context.map(["a", "b"], upper, name="then-wait", config=sequential())
        context.wait(Duration.from_seconds(1))
        return batch.get_results()

    return Case(handler)


@SUITE.case("9-18")
def map_with_failure_then_wait() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, Any]:
        config = sequential(CompletionConfig(tolerated_failure_count=1))
        batch = context.map(["ok", "fail"], fail_on_marker, name="fail-then-wait", config=config)
        context.wait(Duration.from_seconds(1))
        return project(batch, *ALL_FIELDS)

    return Case(handler)


class JsonItemSerDes(SerDes[Any]):
    """Plain JSON for each item, so the operation-level serdes sees only the whole result.

    Without an explicit item serdes, a map's ``serdes`` also applies to each item.
    """

    def serialize(self, value: Any, serdes_context: SerDesContext) -> str:
        return json.dumps(value)

    def deserialize(self, data: str, serdes_context: SerDesContext) -> Any:
        return json.loads(data)


class OperationSerDes(SerDes[BatchResult[Any]]):
    """Stores the whole map result as ``OPSERDE:`` and its comma-joined results."""

    def serialize(self, value: BatchResult[Any], serdes_context: SerDesContext) -> str:
        return "OPSERDE:" + ",".join(str(result) for result in value.get_results())

    def deserialize(self, data: str, serdes_context: SerDesContext) -> BatchResult[Any]:
        results = data.removeprefix("OPSERDE:").split(",")
        items = [
            {"index": index, "status": "SUCCEEDED", "result": result, "error": None}
            for index, result in enumerate(results)
        ]
        return BatchResult.from_dict({"all": items, "completionReason": "ALL_COMPLETED"})


@SUITE.case("9-19")
def map_operation_serdes() -> Case:
    config = sequential(serdes=OperationSerDes(), item_serdes=JsonItemSerDes())
    return Case(_results_of(["x", "y"], upper, "op-serde", config))


@SUITE.case("9-20")
def map_operation_serdes_replayed() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        config = sequential(serdes=OperationSerDes(), item_serdes=JsonItemSerDes())
        batch = context.map(["x", "y"], upper, name="op-serde-replay", config=config)
        context.wait(Duration.from_seconds(1))
        return batch.get_results()

    return Case(handler)
