"""Bad input: one clear line naming the operation, and recorded state never corrupted."""

from __future__ import annotations

from typing import Any

import pytest
from durable import DurableContext, durable_execution
from durable.config import Duration, StepConfig
from durable.exceptions import InvalidEventError, SerDesError, ValidationError
from durable.testing import LocalDurableTestRunner


def run(handler: Any, payload: Any = None) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run(payload, timeout=20)


def assert_one_line(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message


def test_an_event_that_is_not_a_durable_invocation_is_refused() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        raise AssertionError("never runs")

    with pytest.raises(InvalidEventError, match="the event is not a durable invocation") as info:
        handler({"order": 1}, None)
    assert_one_line(str(info.value))


def test_input_that_is_not_json_fails_the_execution_clearly() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        raise AssertionError("never runs")

    with LocalDurableTestRunner(handler) as runner:
        arn = runner.engine.start_execution("{not json")
        runner._handlers[arn] = runner._handler  # drive it like start() does
        import threading

        threading.Thread(target=runner._drive, args=(arn,), daemon=True).start()
        result = runner.wait_for_result(arn, timeout=20)
    assert result.status == "FAILED"
    assert result.error["ErrorMessage"].startswith("the execution input is not valid JSON")


def test_input_the_runner_cannot_encode_is_refused() -> None:
    with (
        LocalDurableTestRunner(lambda e, c: None) as runner,
        pytest.raises(ValueError, match="JSON"),
    ):
        runner.start(object())


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (Duration(0), "duration must be at least 1 second"),
        (Duration.from_seconds(0.5), "duration must be at least 1 second"),
        (5, "wait 'nap': duration must be a Duration"),
    ],
)
def test_a_sub_second_or_untyped_wait_is_refused_before_recording(
    duration: Any, message: str
) -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.wait(duration, name="nap")

    result = run(handler)
    assert result.status == "FAILED"
    assert result.error["ErrorMessage"].startswith(message)
    assert_one_line(result.error["ErrorMessage"])
    assert result.operations == []


def test_a_negative_duration_cannot_be_built() -> None:
    with pytest.raises(ValidationError, match="Duration must not be negative"):
        Duration(-1)


def test_a_result_the_serdes_cannot_encode_fails_the_step_by_name() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(lambda _: object(), name="opaque")

    result = run(handler)
    step = result.get_step("opaque")
    assert step.status == "FAILED"
    assert step.error["ErrorMessage"] == (
        "cannot serialize the result of step 'opaque': Unsupported type: <class 'object'>"
    )
    assert result.error["ErrorType"] == "durable.exceptions.SerDesError"


def test_a_payload_over_the_limit_fails_the_step_by_name() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(lambda _: "x" * 300_000, name="huge")

    result = run(handler)
    message = result.get_step("huge").error["ErrorMessage"]
    assert "step 'huge' is 292 KiB, over the 256 KiB checkpoint limit" in message
    assert_one_line(message)


def test_a_handler_result_that_is_not_json_fails_with_the_json_error() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> object:
        return {1, 2}

    result = run(handler)
    assert result.error == {
        "ErrorType": "TypeError",
        "ErrorMessage": "Object of type set is not JSON serializable",
    }


def test_an_operation_used_after_the_handler_returned_is_refused() -> None:
    kept: list[DurableContext] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        kept.append(context)
        return "done"

    assert run(handler).status == "SUCCEEDED"
    with pytest.raises(ValidationError, match="step 'late' was called after the handler returned"):
        kept[0].step(lambda _: 1, name="late")


def test_a_name_the_service_would_reject_is_refused_by_the_engine() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(lambda _: 1, name="caf\u00e9")

    result = run(handler)
    assert result.status == "FAILED"
    assert "printable ASCII" in result.error["ErrorMessage"]
    assert result.operations == []


def test_a_changed_handler_fails_with_the_id_and_the_field() -> None:
    version = {"name": "first"}

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(lambda _: 1, name=version["name"])
        version["name"] = "renamed"
        context.wait(Duration(1))

    result = run(handler)
    assert result.status == "FAILED"
    assert result.error["ErrorType"] == "durable.exceptions.NonDeterministicExecutionError"
    assert "name checkpoint='first' current='renamed'" in result.error["ErrorMessage"]
    assert result.get_step("first").status == "SUCCEEDED"


def test_an_invalid_step_sub_type_is_refused_when_configured() -> None:
    with pytest.raises(ValidationError, match="sub_type must be 1 to 32 characters"):
        StepConfig(sub_type="has space")


def test_an_invoke_payload_that_is_not_json_fails_before_recording() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.invoke("f", {1, 2}, name="call")

    result = run(handler)
    message = result.error["ErrorMessage"]
    assert message.startswith("cannot serialize the payload of invoke 'call': ")
    assert message.endswith("error: Object of type set is not JSON serializable.")  # official
    assert result.operations == []


def test_an_async_step_in_a_sync_handler_fails_clearly_without_retry() -> None:
    async def fetch(step_ctx: Any) -> int:
        return 1

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(fetch, name="fetch")

    result = run(handler)
    step = result.get_step("fetch")
    assert (step.status, step.attempt) == ("FAILED", 1)
    assert step.error["ErrorType"] == "durable.exceptions.SerDesError"
    message = step.error["ErrorMessage"]
    assert message.startswith("cannot serialize the result of step 'fetch' (a coroutine: ")
    assert "use an async def handler" in message
    assert message.endswith(": Unsupported type: <class 'coroutine'>")  # the official wording


def test_an_async_child_in_a_sync_handler_fails_as_a_serdes_error() -> None:
    async def body(ctx: Any) -> int:
        return 1

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.run_in_child_context(body, name="child")
        except SerDesError as error:
            return error.message or ""
        return "unreachable"

    result = run(handler)
    assert result.result.startswith("cannot serialize the result of child context 'child' (a")
    assert result.get_context("child").status == "FAILED"


def test_a_wait_over_a_year_is_refused() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.wait(Duration.from_days(400), name="long")

    result = run(handler)
    assert result.error["ErrorMessage"].startswith("wait 'long': duration must be at most 366 days")
