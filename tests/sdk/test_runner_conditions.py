"""wait_for_condition on the local runner."""

from __future__ import annotations

from typing import Any

from durable import AsyncDurableContext, DurableContext, WaitForConditionError, durable_execution
from durable.config import Duration
from durable.testing import LocalDurableTestRunner
from durable.types import WaitForConditionCheckContext
from durable.waits import (
    WaitForConditionConfig,
    WaitForConditionDecision,
    WaitPresets,
    WaitStrategyConfig,
    create_wait_strategy,
)


def until(threshold: int) -> Any:
    def strategy(state: int, attempt: int) -> WaitForConditionDecision:
        if state >= threshold:
            return WaitForConditionDecision.stop_polling()
        return WaitForConditionDecision.continue_waiting(Duration(2))

    return strategy


def run(handler: Any, payload: Any = None) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run(payload, timeout=20)


def test_the_check_runs_until_the_strategy_stops() -> None:
    @durable_execution
    def handler(event: int, context: DurableContext) -> int:
        return context.wait_for_condition(
            lambda state, ctx: state + 1,
            WaitForConditionConfig(wait_strategy=until(event), initial_state=0),
            name="count",
        )

    result = run(handler, 3)
    assert (result.result, len(result.invocations)) == (3, 3)
    polls = [e for e in result.history if e["EventType"] == "StepSucceeded"]
    assert [e["StepSucceededDetails"]["Result"]["Payload"] for e in polls] == ["1", "2", "3"]
    assert result.get_step("count").sub_type == "WaitForCondition"


def test_the_check_sees_its_attempt_number() -> None:
    attempts: list[int] = []

    def check(state: int, ctx: WaitForConditionCheckContext) -> int:
        attempts.append(ctx.attempt)
        return state + 1

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return context.wait_for_condition(
            check, WaitForConditionConfig(wait_strategy=until(3), initial_state=0)
        )

    assert run(handler).result == 3
    assert attempts == [1, 2, 3]


def test_a_failing_check_raises_wait_for_condition_error() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.wait_for_condition(
                lambda state, ctx: 1 / 0,
                WaitForConditionConfig(wait_strategy=until(1), initial_state=0),
                name="div",
            )
        except WaitForConditionError as error:
            return error.error_type
        return "unreachable"

    assert run(handler).result == "ZeroDivisionError"


def test_running_out_of_attempts_fails_the_operation() -> None:
    strategy = create_wait_strategy(
        WaitStrategyConfig(should_continue_polling=lambda s: True, max_attempts=3)
    )

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return context.wait_for_condition(
            lambda state, ctx: state,
            WaitForConditionConfig(wait_strategy=strategy, initial_state=0),
        )

    result = run(handler)
    assert result.status == "FAILED"
    assert result.operations[0].error["ErrorMessage"] == (
        "wait_for_condition exhausted 3 attempts before the condition was met"
    )


def test_the_fixed_preset_polls_at_its_interval() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, int]:
        return context.wait_for_condition(
            lambda state, ctx: {"n": state["n"] + 1},
            WaitForConditionConfig(
                wait_strategy=WaitPresets.fixed(lambda s: s["n"] < 2, Duration(7)),
                initial_state={"n": 0},
            ),
        )

    result = run(handler)
    assert result.result == {"n": 2}
    retry = next(e for e in result.history if "NextAttemptDelaySeconds" in str(e))
    assert retry["StepSucceededDetails"]["RetryDetails"]["NextAttemptDelaySeconds"] == 7


def test_an_async_check_works() -> None:
    async def check(state: int, ctx: WaitForConditionCheckContext) -> int:
        return state + 2

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> int:
        return await context.wait_for_condition(
            check, WaitForConditionConfig(wait_strategy=until(4), initial_state=0)
        )

    assert run(handler).result == 4


def test_a_finished_condition_replays_its_final_state() -> None:
    checks: list[int] = []

    def check(state: int, ctx: WaitForConditionCheckContext) -> int:
        checks.append(state)
        return state + 1

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        final = context.wait_for_condition(
            check, WaitForConditionConfig(wait_strategy=until(2), initial_state=0)
        )
        context.wait(Duration(1))
        return final

    result = run(handler)
    assert (result.result, checks) == (2, [0, 1])


def test_a_failed_condition_raises_the_same_error_on_replay() -> None:
    seen: list[str] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[str]:
        try:
            context.wait_for_condition(
                lambda state, ctx: {}["gone"],
                WaitForConditionConfig(wait_strategy=until(1), initial_state=0),
            )
        except WaitForConditionError as error:
            seen.append(error.error_type)
        context.wait(Duration(1))
        return seen

    assert run(handler).result == ["KeyError", "KeyError"]
