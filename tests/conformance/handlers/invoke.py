"""Handlers for the invoke suite (requirements 5-N), written from each description."""

from __future__ import annotations

import json
from typing import Any

from durable import DurableContext, InvokeError, durable_execution
from durable.config import Duration, InvokeConfig
from durable.serdes import SerDes, SerDesContext

from ..cases import Case, Suite

SUITE = Suite("invoke")

ECHO = "echo-target"
FAILING = "failing-target"
SIZE = "size-target"
LARGE_PAYLOAD_CHARS = 200 * 1024


@durable_execution
def echo_target(event: Any, context: DurableContext) -> Any:
    """A durable function that returns what it receives."""
    return event


@durable_execution
def failing_target(event: Any, context: DurableContext) -> Any:
    """A durable function that always fails."""
    raise RuntimeError("the invoked function fails")


@durable_execution
def size_target(event: Any, context: DurableContext) -> int:
    """A durable function that reports the size of its input."""
    return len(event)


def _with_targets(handler: Any) -> Case:
    return Case(
        handler,
        durable_functions={ECHO: echo_target, FAILING: failing_target, SIZE: size_target},
    )


class UppercasePayloadSerDes(SerDes[Any]):
    """Sends every string in the payload upper-cased."""

    def serialize(self, value: Any, serdes_context: SerDesContext) -> str:
        shout = {k: v.upper() if isinstance(v, str) else v for k, v in value.items()}
        return json.dumps(shout)

    def deserialize(self, data: str, serdes_context: SerDesContext) -> Any:
        return json.loads(data)


class UppercaseResultSerDes(SerDes[str]):
    """Reads the result as its raw JSON text, upper-cased."""

    def serialize(self, value: str, serdes_context: SerDesContext) -> str:
        return json.dumps(value)

    def deserialize(self, data: str, serdes_context: SerDesContext) -> str:
        return data.upper()


@SUITE.case("5-1")
def invoke_basic() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke(ECHO, event)

    return _with_targets(handler)


@SUITE.case("5-2")
def invoke_with_name() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke(ECHO, event["payload"], name=event["name"])

    return _with_targets(handler)


@SUITE.case("5-3")
def invoke_complex_object() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke(ECHO, event)

    return _with_targets(handler)


@SUITE.case("5-4")
def invoke_null() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke(ECHO, None)

    return _with_targets(handler)


@SUITE.case("5-5")
def invoke_target_fails() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke(FAILING, None)

    return _with_targets(handler)


@SUITE.case("5-6")
def invoke_failure_caught() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        try:
            return context.invoke(FAILING, None)
        except InvokeError:
            return "fallback"

    return _with_targets(handler)


@SUITE.case("5-7")
def invoke_large_payload() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke(SIZE, "x" * LARGE_PAYLOAD_CHARS)

    return _with_targets(handler)


@SUITE.case("5-8")
def invoke_with_tenant() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        config: InvokeConfig[Any, Any] = InvokeConfig(tenant_id=event["tenantId"])
        return context.invoke(ECHO, event["payload"], config=config)

    return _with_targets(handler)


@SUITE.case("5-9")
def invoke_then_wait() -> Case:
    invocations: list[Any] = []

    @durable_execution
    def counting_echo(event: Any, context: DurableContext) -> Any:
        invocations.append(event)
        return event

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        result = context.invoke("counting-echo", "once")
        context.wait(Duration.from_seconds(1))
        if len(invocations) != 1:
            raise AssertionError(f"the target ran {len(invocations)} times")
        return result

    return Case(handler, durable_functions={"counting-echo": counting_echo})


@SUITE.case("5-10")
def failed_invoke_then_wait() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        outcome = "unset"
        try:
            outcome = context.invoke(FAILING, None)
        except InvokeError as error:
            outcome = f"caught {error.error_type}"
        context.wait(Duration.from_seconds(1))
        return outcome

    return _with_targets(handler)


@SUITE.case("5-11")
def step_then_invoke() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        value = context.step(lambda _: {"from": "step"}, name="prepare")
        return context.invoke(ECHO, value)

    return _with_targets(handler)


@SUITE.case("5-12")
def invoke_then_step() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        value = context.invoke(ECHO, {"from": "invoke"})
        return context.step(lambda _: {"processed": value}, name="process")

    return _with_targets(handler)


@SUITE.case("5-13")
def invoke_in_child() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.run_in_child_context(lambda child: child.invoke(ECHO, "from child"))

    return _with_targets(handler)


@SUITE.case("5-14")
def sequential_invokes() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        first = context.invoke(ECHO, "first")
        second = context.invoke(SIZE, "second")
        return [first, second]

    return _with_targets(handler)


@SUITE.case("5-15")
def custom_payload_serdes() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        config: InvokeConfig[Any, Any] = InvokeConfig(serdes_payload=UppercasePayloadSerDes())
        return context.invoke(ECHO, event, config=config)

    return _with_targets(handler)


@SUITE.case("5-16")
def custom_result_serdes() -> Case:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        config: InvokeConfig[Any, str] = InvokeConfig(serdes_result=UppercaseResultSerDes())
        return context.invoke(ECHO, event, config=config)

    return _with_targets(handler)
