"""Handlers for the step suite (requirements 1-N), written from each description."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from durable import DurableContext, StepContext, StepError, durable_execution, durable_step
from durable.config import Duration, JitterStrategy, StepConfig, StepSemantics
from durable.retries import RetryDecision, RetryPresets, RetryStrategyConfig, create_retry_strategy
from durable.serdes import SerDes, SerDesContext

from ..cases import Case, Suite

SUITE = Suite("step")


class TransientError(Exception):
    """A failure worth retrying."""


class UppercaseSerDes(SerDes[Any]):
    """Stores strings upper-cased; everything else as plain JSON."""

    def serialize(self, value: Any, serdes_context: SerDesContext) -> str:
        return json.dumps(value.upper() if isinstance(value, str) else value)

    def deserialize(self, data: str, serdes_context: SerDesContext) -> Any:
        return json.loads(data)


def _fixed_retries(max_attempts: int, delay: int = 1, backoff: float = 1) -> Any:
    return create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=max_attempts,
            initial_delay=Duration.from_seconds(delay),
            backoff_rate=backoff,
            jitter_strategy=JitterStrategy.NONE,
        )
    )


@durable_step
def greet(step_context: StepContext, name: str) -> str:
    return f"Hello, {name}!"


@SUITE.case("1-1")
def step_basic() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(greet(event))

    return Case(handler)


@SUITE.case("1-2")
def step_with_name() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(lambda _: f"Hello, {event}!", name="custom_step_name")

    return Case(handler)


@SUITE.case("1-3")
def sequential_steps() -> Case:
    @durable_step
    def step_one(step_context: StepContext) -> str:
        return "first"

    @durable_step
    def step_two(step_context: StepContext, previous: str) -> str:
        return f"{previous}_second"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        first = context.step(step_one())
        return context.step(step_two(first))

    return Case(handler)


@SUITE.case("1-4")
def complex_result() -> Case:
    @durable_step
    def build_response(step_context: StepContext, user: dict[str, Any]) -> dict[str, Any]:
        return {"user": {"name": user["name"], "tags": user["tags"]}, "count": len(user["tags"])}

    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, Any]:
        return context.step(build_response(event))

    return Case(handler)


@SUITE.case("1-5")
def null_result() -> Case:
    @durable_step
    def do_nothing(step_context: StepContext) -> None:
        return None

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        return context.step(do_nothing())

    return Case(handler)


@SUITE.case("1-6")
def custom_serdes() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(lambda _: event, config=StepConfig(serdes=UppercaseSerDes()))

    return Case(handler)


@SUITE.case("1-7")
def step_logger() -> Case:
    @durable_step
    def greet_with_logs(step_context: StepContext, name: str) -> str:
        step_context.logger.info(f"Greeting step started for: {name}")
        greeting = f"Hello, {name}!"
        step_context.logger.info(f"Greeting step completed with: {greeting}")
        return greeting

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(greet_with_logs(event))

    return Case(handler)


@SUITE.case("1-8")
def step_then_wait() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        value = context.step(lambda _: "computed")
        context.wait(Duration.from_seconds(2))
        return value

    return Case(handler)


@SUITE.case("1-9")
def replay_skips_succeeded_step() -> Case:
    executions: list[int] = []

    def run_once(step_context: StepContext) -> str:
        executions.append(1)
        step_context.logger.info("step executed")
        # A second execution would change the result and fail the requirement.
        return "cached_value" if len(executions) == 1 else "executed again"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        value = context.step(run_once)
        context.wait(Duration.from_seconds(1))
        return value

    return Case(handler)


@SUITE.case("1-10")
def replay_rethrows_failed_step() -> Case:
    executions: list[int] = []

    def fail(step_context: StepContext) -> str:
        executions.append(1)
        step_context.logger.info("step executed")
        raise RuntimeError("permanent failure")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        with contextlib.suppress(StepError):
            context.step(fail, config=StepConfig(retry_strategy=RetryPresets.none()))
        context.wait(Duration.from_seconds(1))
        if len(executions) != 1:
            raise AssertionError(f"the failed step ran {len(executions)} times")
        return "done"

    return Case(handler)


@SUITE.case("1-11")
def retry_then_succeed() -> Case:
    attempts: list[int] = []

    def unreliable(step_context: StepContext) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first attempt fails")
        return "Operation succeeded"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(unreliable, config=StepConfig(retry_strategy=_fixed_retries(3)))

    return Case(handler)


@SUITE.case("1-12")
def retry_exhaustion() -> Case:
    def always_fail(step_context: StepContext) -> str:
        raise RuntimeError("always fails")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(always_fail, config=StepConfig(retry_strategy=_fixed_retries(4)))

    return Case(handler)


@SUITE.case("1-13")
def default_retry_strategy() -> Case:
    attempts: list[int] = []

    def fails_twice(step_context: StepContext) -> str:
        attempts.append(1)
        if len(attempts) <= 2:
            raise RuntimeError(f"attempt {len(attempts)} fails")
        return "third time lucky"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(fails_twice)

    return Case(handler)


@SUITE.case("1-14")
def custom_backoff() -> Case:
    attempts: list[int] = []

    def fails_twice(step_context: StepContext) -> str:
        attempts.append(1)
        if len(attempts) <= 2:
            raise RuntimeError(f"attempt {len(attempts)} fails")
        return "third time lucky"

    strategy = _fixed_retries(5, delay=2, backoff=3)

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(fails_twice, config=StepConfig(retry_strategy=strategy))

    return Case(handler)


def retry_on_transient(error: Exception, attempts_made: int) -> RetryDecision:
    if isinstance(error, TransientError) and attempts_made < 3:
        return RetryDecision.retry(Duration.from_seconds(1))
    return RetryDecision.no_retry()


def no_retry_on_transient(error: Exception, attempts_made: int) -> RetryDecision:
    if isinstance(error, TransientError):
        return RetryDecision.no_retry()
    return RetryDecision.retry(Duration.from_seconds(1))


@SUITE.case("1-15")
def retry_specific_error() -> Case:
    attempts: list[int] = []

    def flaky(step_context: StepContext) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise TransientError("try again")
        return "recovered"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(flaky, config=StepConfig(retry_strategy=retry_on_transient))

    return Case(handler)


@SUITE.case("1-16")
def non_retryable_error() -> Case:
    def flaky(step_context: StepContext) -> str:
        raise TransientError("not retried here")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(flaky, config=StepConfig(retry_strategy=no_retry_on_transient))

    return Case(handler)


def _crash_sandbox() -> None:
    """Simulate the Lambda process exiting mid-step (``process.exit`` in the suite)."""
    raise SystemExit(1)


@SUITE.case("1-17")
def at_most_once_interrupted() -> Case:
    executions: list[int] = []

    @durable_step
    def at_most_once_flaky_step(step_context: StepContext, text: str) -> str:
        executions.append(1)
        step_context.logger.info(text)
        if len(executions) == 1:
            _crash_sandbox()
        return "ran again, which at-most-once forbids"

    config = StepConfig(
        retry_strategy=RetryPresets.none(), step_semantics=StepSemantics.AT_MOST_ONCE_PER_RETRY
    )

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(at_most_once_flaky_step(event), config=config)

    return Case(handler)


@SUITE.case("1-18")
def at_most_once_retried() -> Case:
    executions: list[int] = []

    @durable_step
    def crash_then_succeed(step_context: StepContext, text: str) -> str:
        executions.append(1)
        step_context.logger.info(text)
        if len(executions) == 1:
            _crash_sandbox()
        return "succeeded on second attempt"

    config = StepConfig(
        retry_strategy=_fixed_retries(3), step_semantics=StepSemantics.AT_MOST_ONCE_PER_RETRY
    )

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(crash_then_succeed(event), config=config)

    return Case(handler)


@SUITE.case("1-19")
def step_fails_permanently() -> Case:
    def failing(step_context: StepContext) -> str:
        raise RuntimeError("this step always fails")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(failing, config=StepConfig(retry_strategy=RetryPresets.none()))

    return Case(handler)


@SUITE.case("1-20")
def error_caught() -> Case:
    def failing(step_context: StepContext) -> str:
        raise RuntimeError("this step always fails")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            return context.step(failing, config=StepConfig(retry_strategy=RetryPresets.none()))
        except StepError:
            return context.step(lambda _: "fallback_result")

    return Case(handler)
