"""invoke on the local runner: durable and plain targets, payloads, errors."""

from __future__ import annotations

from typing import Any

from durable import AsyncDurableContext, DurableContext, InvokeError, durable_execution
from durable.config import Duration, InvokeConfig
from durable.testing import LocalDurableTestRunner


@durable_execution
def child(event: dict[str, int], context: DurableContext) -> int:
    doubled = context.step(lambda _: event["n"] * 2, name="double")
    context.wait(Duration(3))
    return doubled


@durable_execution
def parent(event: dict[str, int], context: DurableContext) -> int:
    return context.invoke("child", {"n": event["n"]}, name="call-child") + 1


def test_a_durable_function_is_invoked_as_its_own_execution() -> None:
    with LocalDurableTestRunner(parent) as runner:
        runner.register_durable_function("child", child)
        result = runner.run({"n": 20})
    assert (result.status, result.result) == ("SUCCEEDED", 41)
    invoke = result.get_invoke("call-child")
    assert (invoke.status, invoke.result) == ("SUCCEEDED", 40)
    started = next(e for e in result.history if e["EventType"] == "ChainedInvokeStarted")
    assert started["ChainedInvokeStartedDetails"]["FunctionName"] == "child"
    assert started["ChainedInvokeStartedDetails"]["Input"]["Payload"] == '{"n": 20}'


def test_a_plain_function_is_invoked() -> None:
    with LocalDurableTestRunner(parent) as runner:
        runner.register_function("child", lambda event, ctx: event["n"] - 1)
        assert runner.run({"n": 5}).result == 5


def test_a_failing_target_raises_invoke_error() -> None:
    def broken(event: Any, ctx: Any) -> None:
        raise PermissionError("denied")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.invoke("broken", None)
        except InvokeError as error:
            return f"{error.error_type}: {error.message}"
        return "unreachable"

    with LocalDurableTestRunner(handler) as runner:
        runner.register_function("broken", broken)
        assert runner.run().result == "PermissionError: denied"


def test_an_unknown_function_fails_clearly() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.invoke("missing", {})

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run()
    assert result.status == "FAILED"
    assert "no function named 'missing' is registered" in result.error["ErrorMessage"]


def test_the_tenant_id_is_recorded() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke("echo", 1, config=InvokeConfig(tenant_id="acme"))

    with LocalDurableTestRunner(handler) as runner:
        runner.register_function("echo", lambda event, ctx: event)
        result = runner.run()
    started = next(e for e in result.history if e["EventType"] == "ChainedInvokeStarted")
    assert (result.result, started["ChainedInvokeStartedDetails"]["TenantId"]) == (1, "acme")


def test_an_async_handler_invokes() -> None:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        return await context.invoke("child", {"n": 1})

    with LocalDurableTestRunner(handler) as runner:
        runner.register_durable_function("child", child)
        assert runner.run().result == 2


def test_an_unknown_function_fails_in_the_response_to_its_start() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.invoke("missing", {"a": 1}, name="call")
        except InvokeError as error:
            return error.error_type or ""
        return "unreachable"

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({})
    assert result.result == "ResourceNotFoundException"
    assert len(result.invocations) == 1
    kinds = [e["EventType"] for e in result.history]
    assert "ChainedInvokeFailed" in kinds and "ChainedInvokeStarted" not in kinds
