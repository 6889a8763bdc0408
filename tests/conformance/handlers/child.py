"""Handlers for the child-context suite (requirements 3-N), written from each description."""

from __future__ import annotations

import logging
from typing import Any

from durable import (
    ChildContextError,
    DurableContext,
    StepContext,
    durable_execution,
    durable_step,
    durable_with_child_context,
)
from durable.config import ChildConfig, Duration, JitterStrategy, StepConfig
from durable.retries import RetryPresets, RetryStrategyConfig, create_retry_strategy
from durable.serdes import SerDes, SerDesContext

from ..cases import Case, Suite

SUITE = Suite("child")

# Logs that must show every execution of a child body, replays included (the suite's
# "replay logging enabled"): a plain logger, not the replay-aware context logger.
observed = logging.getLogger("conformance.child")

LARGE_RESULT_BYTES = 300 * 1024


@durable_step
def echo(step_context: StepContext, value: Any) -> Any:
    return value


@durable_step
def always_fail(step_context: StepContext) -> str:
    raise RuntimeError("the step inside the child fails")


def _retries(max_attempts: int) -> Any:
    return create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=max_attempts,
            initial_delay=Duration.from_seconds(1),
            jitter_strategy=JitterStrategy.NONE,
        )
    )


class UppercaseTextSerDes(SerDes[str]):
    """Stores the child result as upper-cased raw text (no JSON quoting)."""

    def serialize(self, value: str, serdes_context: SerDesContext) -> str:
        return value.upper()

    def deserialize(self, data: str, serdes_context: SerDesContext) -> str:
        return data


@SUITE.case("3-1")
def child_basic() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(lambda child: child.step(echo(event)))

    return Case(handler)


@SUITE.case("3-2")
def child_with_name() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(
            lambda child: child.step(echo(event["value"])), name=event["name"]
        )

    return Case(handler)


@SUITE.case("3-3")
def child_sequential_steps() -> Case:
    @durable_with_child_context
    def two_steps(child: DurableContext, value: Any) -> Any:
        first = child.step(echo(value))
        return child.step(echo(first))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(two_steps(event))

    return Case(handler)


@SUITE.case("3-4")
def child_step_fails() -> Case:
    @durable_with_child_context
    def failing_child(child: DurableContext) -> str:
        return child.step(always_fail(), config=StepConfig(retry_strategy=RetryPresets.none()))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.run_in_child_context(failing_child())

    return Case(handler)


@SUITE.case("3-5")
def child_error_caught() -> Case:
    @durable_with_child_context
    def failing_child(child: DurableContext) -> str:
        return child.step(always_fail(), config=StepConfig(retry_strategy=RetryPresets.none()))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        try:
            return context.run_in_child_context(failing_child())
        except ChildContextError:
            return context.step(echo(event), name="recover")

    return Case(handler)


@SUITE.case("3-6")
def nested_children() -> Case:
    @durable_with_child_context
    def inner(child: DurableContext, value: Any) -> Any:
        return child.step(echo(value))

    @durable_with_child_context
    def outer(child: DurableContext, value: Any) -> Any:
        child.step(echo(value))
        return child.run_in_child_context(inner(value))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(outer(event))

    return Case(handler)


@SUITE.case("3-7")
def child_step_retried() -> Case:
    attempts: list[int] = []

    @durable_step
    def flaky(step_context: StepContext, value: Any) -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first attempt fails")
        return value

    @durable_with_child_context
    def retrying_child(child: DurableContext, value: Any) -> Any:
        return child.step(flaky(value), config=StepConfig(retry_strategy=_retries(3)))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(retrying_child(event))

    return Case(handler)


@SUITE.case("3-8")
def child_retries_exhausted() -> Case:
    @durable_with_child_context
    def exhausting_child(child: DurableContext) -> str:
        return child.step(always_fail(), config=StepConfig(retry_strategy=_retries(2)))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.run_in_child_context(exhausting_child())

    return Case(handler)


@SUITE.case("3-9")
def child_replay_returns_cached() -> Case:
    executions: list[int] = []

    def body(child: DurableContext, value: Any) -> Any:
        executions.append(1)
        result = child.step(echo(value))
        # A re-executed child would return something else and fail the requirement.
        return result if len(executions) == 1 else "child ran again"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        result = context.run_in_child_context(lambda child: body(child, event))
        context.wait(Duration.from_seconds(1))
        return result

    return Case(handler)


@SUITE.case("3-10")
def child_step_and_wait() -> Case:
    @durable_with_child_context
    def step_then_wait(child: DurableContext, value: Any) -> Any:
        result = child.step(echo(value))
        child.wait(Duration.from_seconds(1))
        return result

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(step_then_wait(event))

    return Case(handler)


@SUITE.case("3-11")
def child_large_result() -> Case:
    @durable_with_child_context
    def large_child(child: DurableContext, value: str) -> str:
        observed.info(value)
        small = child.step(echo(value))
        return small * (LARGE_RESULT_BYTES // len(small) + 1)

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        large = context.run_in_child_context(large_child(event))
        context.wait(Duration.from_seconds(1))
        return len(large)

    return Case(handler)


@SUITE.case("3-12")
def child_interrupted() -> Case:
    executions: list[int] = []

    def crash_once(step_context: StepContext, value: Any) -> Any:
        executions.append(1)
        if len(executions) == 1:
            raise SystemExit(1)  # the Lambda process exits mid-step
        return value

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(
            lambda child: child.step(lambda step_context: crash_once(step_context, event))
        )

    return Case(handler)


@SUITE.case("3-13")
def child_with_only_wait() -> Case:
    @durable_with_child_context
    def only_wait(child: DurableContext, value: Any) -> Any:
        child.wait(Duration.from_seconds(1))
        return value

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        context.run_in_child_context(only_wait(event))
        return context.step(echo(event))

    return Case(handler)


@SUITE.case("3-14")
def child_custom_serdes() -> Case:
    @durable_with_child_context
    def shout(child: DurableContext, value: str) -> str:
        return child.step(echo(value))

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.run_in_child_context(
            shout(event), config=ChildConfig(serdes=UppercaseTextSerDes())
        )

    return Case(handler)


@SUITE.case("3-15")
def child_raises_directly() -> Case:
    @durable_with_child_context
    def raising_child(child: DurableContext) -> str:
        raise ValueError("raised in the child body")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.run_in_child_context(raising_child())

    return Case(handler)


@SUITE.case("3-16")
def child_returns_none() -> Case:
    @durable_with_child_context
    def nothing(child: DurableContext) -> None:
        return None

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        return context.run_in_child_context(nothing())

    return Case(handler)


@SUITE.case("3-17")
def child_logs_once() -> Case:
    @durable_with_child_context
    def logging_child(child: DurableContext, value: Any) -> Any:
        observed.info(str(value))
        return value

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        result = context.run_in_child_context(logging_child(event))
        context.wait(Duration.from_seconds(1))
        return result

    return Case(handler)


@SUITE.case("3-18")
def child_then_top_level() -> Case:
    @durable_with_child_context
    def step_then_wait(child: DurableContext, value: Any) -> Any:
        result = child.step(echo(value))
        child.wait(Duration.from_seconds(1))
        return result

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        context.run_in_child_context(step_then_wait(event))
        result = context.step(echo(event))
        context.wait(Duration.from_seconds(1))
        return result

    return Case(handler)
