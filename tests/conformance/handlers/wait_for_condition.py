"""Handlers for the wait_for_condition suite (requirements 6-N), from each description."""

from __future__ import annotations

import base64
import json
from typing import Any

from durable import DurableContext, WaitForConditionError, durable_execution
from durable.config import Duration, JitterStrategy
from durable.serdes import SerDes, SerDesContext
from durable.waits import (
    WaitForConditionConfig,
    WaitForConditionDecision,
    WaitStrategyConfig,
    create_wait_strategy,
)

from ..cases import Case, Suite

SUITE = Suite("wait_for_condition")


def increment(state: int, check_context: Any) -> int:
    return state + 1


def until_at_least(threshold: int) -> Any:
    """Keep polling every second while the state is below ``threshold``."""

    def strategy(state: int, attempts_made: int) -> WaitForConditionDecision:
        if state >= threshold:
            return WaitForConditionDecision.stop_polling()
        return WaitForConditionDecision.continue_waiting(Duration.from_seconds(1))

    return strategy


def _counter(threshold: int, initial: int = 0, name: str | None = None) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        config = WaitForConditionConfig(
            wait_strategy=until_at_least(threshold), initial_state=initial
        )
        return context.wait_for_condition(increment, config=config, name=name)

    return handler


@SUITE.case("6-1")
def condition_basic() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        config = WaitForConditionConfig(wait_strategy=until_at_least(event), initial_state=0)
        return context.wait_for_condition(increment, config=config)

    return Case(handler)


@SUITE.case("6-2")
def condition_already_met() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        config = WaitForConditionConfig(wait_strategy=until_at_least(5), initial_state=5)
        return context.wait_for_condition(lambda state, _: state, config=config)

    return Case(handler)


@SUITE.case("6-3")
def condition_with_name() -> Case:
    return Case(_counter(2, name="poll-status"))


@SUITE.case("6-4")
def condition_initial_state() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        config = WaitForConditionConfig(wait_strategy=until_at_least(event), initial_state=5)
        return context.wait_for_condition(increment, config=config)

    return Case(handler)


@SUITE.case("6-5")
def condition_fixed_delay() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        strategy = create_wait_strategy(
            WaitStrategyConfig(
                should_continue_polling=lambda state: state < event,
                initial_delay=Duration.from_seconds(2),
                backoff_rate=1,
                jitter_strategy=JitterStrategy.NONE,
            )
        )
        config = WaitForConditionConfig(wait_strategy=strategy, initial_state=0)
        return context.wait_for_condition(increment, config=config)

    return Case(handler)


@SUITE.case("6-6")
def condition_attempts_exhausted() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        strategy = create_wait_strategy(
            WaitStrategyConfig(
                should_continue_polling=lambda state: True,
                max_attempts=3,
                initial_delay=Duration.from_seconds(1),
                backoff_rate=1,
                jitter_strategy=JitterStrategy.NONE,
            )
        )
        config = WaitForConditionConfig(wait_strategy=strategy, initial_state=event)
        return context.wait_for_condition(increment, config=config)

    return Case(handler)


def _raising_check(state: Any, check_context: Any) -> Any:
    raise RuntimeError("the condition check failed")


@SUITE.case("6-7")
def condition_check_raises() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        config = WaitForConditionConfig(wait_strategy=until_at_least(1), initial_state=0)
        return context.wait_for_condition(_raising_check, config=config)

    return Case(handler)


@SUITE.case("6-8")
def condition_check_raises_caught() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        config = WaitForConditionConfig(wait_strategy=until_at_least(1), initial_state=0)
        try:
            return context.wait_for_condition(_raising_check, config=config)
        except WaitForConditionError:
            return "recovered"

    return Case(handler)


@SUITE.case("6-9")
def condition_structured_state() -> Case:
    def check(state: dict[str, Any], check_context: Any) -> dict[str, Any]:
        attempts = state["attempts"] + 1
        return {"status": "DONE" if attempts >= 2 else "PENDING", "attempts": attempts}

    def strategy(state: dict[str, Any], attempts_made: int) -> WaitForConditionDecision:
        if state["status"] == "PENDING":
            return WaitForConditionDecision.continue_waiting(Duration.from_seconds(1))
        return WaitForConditionDecision.stop_polling()

    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, Any]:
        initial = {"status": "PENDING", "attempts": 0}
        config = WaitForConditionConfig(wait_strategy=strategy, initial_state=initial)
        return context.wait_for_condition(check, config=config)

    return Case(handler)


@SUITE.case("6-10")
def condition_null_state() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        config = WaitForConditionConfig(
            wait_strategy=lambda state, attempts: WaitForConditionDecision.stop_polling(),
            initial_state=None,
        )
        return context.wait_for_condition(lambda state, _: None, config=config)

    return Case(handler)


class Base64TextSerDes(SerDes[str]):
    """Checkpoints the string state base64-encoded inside JSON."""

    def serialize(self, value: str, serdes_context: SerDesContext) -> str:
        return json.dumps({"b64": base64.b64encode(value.encode()).decode()})

    def deserialize(self, data: str, serdes_context: SerDesContext) -> str:
        return base64.b64decode(json.loads(data)["b64"]).decode()


@SUITE.case("6-11")
def condition_custom_serdes() -> Case:
    def strategy(state: str, attempts_made: int) -> WaitForConditionDecision:
        if len(state) < 2:
            return WaitForConditionDecision.continue_waiting(Duration.from_seconds(1))
        return WaitForConditionDecision.stop_polling()

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        config = WaitForConditionConfig(
            wait_strategy=strategy, initial_state="", serdes=Base64TextSerDes()
        )
        return context.wait_for_condition(lambda state, _: state + "x", config=config)

    return Case(handler)


@SUITE.case("6-12")
def condition_feeds_step() -> Case:
    checks: list[int] = []

    def counted_increment(state: int, check_context: Any) -> int:
        checks.append(state)
        return state + 1

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        config = WaitForConditionConfig(wait_strategy=until_at_least(event), initial_state=0)
        reached = context.wait_for_condition(counted_increment, config=config)
        result = context.step(lambda _: reached * 10, name="multiply")
        if checks != [0, 1]:
            raise AssertionError(f"the checks ran on states {checks}, expected [0, 1]")
        return result

    return Case(handler)


@SUITE.case("6-13")
def two_conditions() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        first = WaitForConditionConfig(wait_strategy=until_at_least(2), initial_state=0)
        reached = context.wait_for_condition(increment, config=first)
        second = WaitForConditionConfig(wait_strategy=until_at_least(4), initial_state=reached)
        return context.wait_for_condition(increment, config=second)

    return Case(handler)
