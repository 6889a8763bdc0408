"""Handlers for the callback suite (requirements 4-N), written from each description."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from durable import CallbackError, DurableContext, durable_execution
from durable.config import CallbackConfig, Duration
from durable.serdes import SerDes, SerDesContext

from ..cases import Case, Suite

SUITE = Suite("callback")


@dataclass(frozen=True)
class Received:
    """The typed form of the external system's message in requirement 4-15."""

    id: str
    message: str
    timestamp: datetime


class ReceivedSerDes(SerDes[Received]):
    """Parses the raw JSON callback payload into :class:`Received`."""

    def serialize(self, value: Received, serdes_context: SerDesContext) -> str:
        return json.dumps(
            {"id": value.id, "message": value.message, "timestamp": value.timestamp.isoformat()}
        )

    def deserialize(self, data: str, serdes_context: SerDesContext) -> Received:
        raw = json.loads(data)
        stamp = datetime.fromisoformat(raw["timestamp"].replace("Z", "+00:00"))
        return Received(id=raw["id"], message=raw["message"], timestamp=stamp)


class NumberSerDes(SerDes[int]):
    """Parses the callback payload into a number."""

    def serialize(self, value: int, serdes_context: SerDesContext) -> str:
        return str(value)

    def deserialize(self, data: str, serdes_context: SerDesContext) -> int:
        return int(json.loads(data))


def _await_named(config: CallbackConfig | None = None) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        callback = context.create_callback(name=event, config=config)
        return callback.result()

    return handler


@SUITE.case("4-1")
def create_callback_basic() -> Case:
    return Case(_await_named())


@SUITE.case("4-2")
def create_callback_named() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.create_callback(name="approval").result()

    return Case(handler)


@SUITE.case("4-3")
def callback_times_out() -> Case:
    return Case(_await_named(CallbackConfig(timeout=Duration.from_seconds(5))))


@SUITE.case("4-4")
def callback_heartbeat_times_out() -> Case:
    return Case(_await_named(CallbackConfig(heartbeat_timeout=Duration.from_seconds(5))))


@SUITE.case("4-5")
def heartbeat_keeps_callback_alive() -> Case:
    return Case(_await_named(CallbackConfig(heartbeat_timeout=Duration.from_seconds(10))))


@SUITE.case("4-6")
def external_failure_fails_execution() -> Case:
    return Case(_await_named())


def _callback_then_step(config: CallbackConfig | None = None) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        callback = context.create_callback(name=event, config=config)
        context.step(lambda _: "work while waiting", name="work")
        return callback.result()

    return handler


@SUITE.case("4-7")
def callback_step_then_failure() -> Case:
    return Case(_callback_then_step())


@SUITE.case("4-8")
def callback_step_then_timeout() -> Case:
    return Case(_callback_then_step(CallbackConfig(timeout=Duration.from_seconds(5))))


def _callback_then_wait(wait_seconds: int, config: CallbackConfig | None = None) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        callback = context.create_callback(name=event, config=config)
        context.wait(Duration.from_seconds(wait_seconds))
        return callback.result()

    return handler


@SUITE.case("4-9")
def callback_resolves_during_wait() -> Case:
    return Case(_callback_then_wait(5))


@SUITE.case("4-10")
def callback_fails_during_wait() -> Case:
    return Case(_callback_then_wait(5))


@SUITE.case("4-11")
def callback_times_out_during_wait() -> Case:
    return Case(_callback_then_wait(6, CallbackConfig(timeout=Duration.from_seconds(3))))


@SUITE.case("4-12")
def callback_then_wait() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        value = context.create_callback(name=event).result()
        context.wait(Duration.from_seconds(2))
        return value

    return Case(handler)


def _catch_then_wait(config: CallbackConfig | None = None) -> Any:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        try:
            outcome = context.create_callback(name=event, config=config).result()
        except CallbackError as error:
            outcome = f"callback failed: {error}"
        context.wait(Duration.from_seconds(2))
        return outcome

    return handler


@SUITE.case("4-13")
def failure_caught_then_wait() -> Case:
    return Case(_catch_then_wait())


@SUITE.case("4-14")
def timeout_caught_then_wait() -> Case:
    return Case(_catch_then_wait(CallbackConfig(timeout=Duration.from_seconds(3))))


@SUITE.case("4-15")
def custom_serdes_typed_payload() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, Any]:
        callback = context.create_callback(
            name=event, config=CallbackConfig(serdes=ReceivedSerDes())
        )
        received: Received = callback.result()
        return {
            "received": {
                "id": received.id,
                "message": received.message,
                "timestamp": int(received.timestamp.timestamp()),
            }
        }

    return Case(handler)


@SUITE.case("4-16")
def custom_serdes_number() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, int]:
        callback = context.create_callback(name=event, config=CallbackConfig(serdes=NumberSerDes()))
        count: int = callback.result()
        return {"count": count, "doubled": count * 2}

    return Case(handler)


@SUITE.case("4-17")
def sequential_callbacks() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        first = context.create_callback(name=event[0]).result()
        second = context.create_callback(name=event[1]).result()
        return [first, second]

    return Case(handler)


@SUITE.case("4-18")
def two_callbacks_awaited_in_order() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        a = context.create_callback(name=event[0])
        b = context.create_callback(name=event[1])
        return [a.result(), b.result()]

    return Case(handler)


@SUITE.case("4-19")
def two_callbacks_awaited_in_reverse() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[Any]:
        a = context.create_callback(name=event[0])
        b = context.create_callback(name=event[1])
        second = b.result()
        first = a.result()
        return [first, second]

    return Case(handler)
