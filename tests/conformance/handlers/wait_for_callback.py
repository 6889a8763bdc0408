"""Handlers for the wait_for_callback suite (requirements 7-N), from each description."""

from __future__ import annotations

import json
from typing import Any

from durable import CallbackError, DurableContext, durable_execution
from durable.config import Duration, JitterStrategy, WaitForCallbackConfig
from durable.retries import RetryStrategyConfig, create_retry_strategy
from durable.serdes import SerDes, SerDesContext

from ..cases import Case, Suite

SUITE = Suite("wait_for_callback")


def register_callback(callback_id: str, context: Any) -> None:
    """A submitter that hands the id to no one: the test plays the external system."""
    context.logger.info(f"callback id {callback_id} is ready")


def _named(config: WaitForCallbackConfig | None = None) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.wait_for_callback(register_callback, name=event, config=config)

    return handler


def _named_recovering(recovery: str, config: WaitForCallbackConfig | None = None) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        try:
            return context.wait_for_callback(register_callback, name=event, config=config)
        except CallbackError:
            return recovery

    return handler


class JsonObjectSerDes(SerDes[dict[str, Any]]):
    """Reads the callback payload as a JSON object."""

    def serialize(self, value: dict[str, Any], serdes_context: SerDesContext) -> str:
        return json.dumps(value)

    def deserialize(self, data: str, serdes_context: SerDesContext) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(data)
        return parsed


@SUITE.case("7-1")
def wait_for_callback_basic() -> Case:
    return Case(_named())


@SUITE.case("7-2")
def wait_for_callback_static_name() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.wait_for_callback(register_callback, name="approval")

    return Case(handler)


@SUITE.case("7-3")
def wait_for_callback_unnamed() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.wait_for_callback(lambda callback_id, ctx: None)

    return Case(handler)


@SUITE.case("7-4")
def external_failure_uncaught() -> Case:
    return Case(_named())


@SUITE.case("7-5")
def timeout_uncaught() -> Case:
    return Case(_named(WaitForCallbackConfig(timeout=Duration.from_seconds(3))))


@SUITE.case("7-6")
def external_failure_caught() -> Case:
    return Case(_named_recovering("recovered"))


@SUITE.case("7-7")
def submitter_retries_exhausted() -> Case:
    def broken_submitter(callback_id: str, context: Any) -> None:
        raise RuntimeError("the external system rejected the submission")

    retries = create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=2,
            initial_delay=Duration.from_seconds(1),
            jitter_strategy=JitterStrategy.NONE,
        )
    )

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        config = WaitForCallbackConfig(retry_strategy=retries)
        return context.wait_for_callback(broken_submitter, name=event, config=config)

    return Case(handler)


@SUITE.case("7-8")
def wait_for_callback_in_child() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(
            lambda child: child.wait_for_callback(register_callback, name=event), name="wrapper"
        )

    return Case(handler)


@SUITE.case("7-9")
def two_sequential_waits_for_callback() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        context.wait_for_callback(register_callback, name="first")
        return context.wait_for_callback(register_callback, name="second")

    return Case(handler)


@SUITE.case("7-10")
def wait_step_then_wait_for_callback() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        context.wait(Duration.from_seconds(1))
        context.step(lambda _: {"fixed": "data"}, name="prepare")
        return context.wait_for_callback(register_callback, name=event)

    return Case(handler)


@SUITE.case("7-11")
def json_object_payload() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        config = WaitForCallbackConfig(serdes=JsonObjectSerDes())
        answer = context.wait_for_callback(register_callback, name=event, config=config)
        return answer["status"]

    return Case(handler)


@SUITE.case("7-12")
def heartbeat_timeout_uncaught() -> Case:
    return Case(_named(WaitForCallbackConfig(heartbeat_timeout=Duration.from_seconds(5))))


@SUITE.case("7-13")
def heartbeat_then_success() -> Case:
    return Case(_named(WaitForCallbackConfig(heartbeat_timeout=Duration.from_seconds(10))))


@SUITE.case("7-14")
def timeout_caught() -> Case:
    config = WaitForCallbackConfig(timeout=Duration.from_seconds(3))
    return Case(_named_recovering("timed-out-handled", config))


@SUITE.case("7-15")
def success_without_payload() -> Case:
    return Case(_named())
