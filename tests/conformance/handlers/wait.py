"""Handlers for the wait suite (requirements 2-N), written from each description."""

from __future__ import annotations

from typing import Any

from durable import DurableContext, durable_execution
from durable.config import Duration

from ..cases import Case, Suite

SUITE = Suite("wait")


@SUITE.case("2-1")
def wait_basic() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.wait(Duration.from_seconds(2))

    return Case(handler)


@SUITE.case("2-2")
def wait_with_name() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.wait(Duration.from_seconds(2), name="custom_wait_name")

    return Case(handler)


@SUITE.case("2-3")
def sequential_waits() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, int]:
        context.wait(Duration.from_seconds(2), name="wait-1")
        context.wait(Duration.from_seconds(2), name="wait-2")
        return {"completedWaits": 2}

    return Case(handler)


@SUITE.case("2-4")
def wait_in_minutes() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.wait(Duration.from_minutes(1))

    return Case(handler)


@SUITE.case("2-5")
def wait_in_hours() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.wait(Duration.from_hours(1))

    return Case(handler)
