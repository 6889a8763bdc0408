"""The local runner reports invocations, timers and chained invokes as Lambda and the
service do (conformance findings F1-F4)."""

from __future__ import annotations

from typing import Any

import pytest
from durable import DurableContext, StepContext, durable_execution
from durable._core.wire import OperationAction, OperationStatus, OperationType, OperationUpdate
from durable.config import CallbackConfig, Duration
from durable.service.clock import VirtualClock
from durable.service.engine import Engine
from durable.service.invocations import crash_error
from durable.service.transitions import CheckpointRejected
from durable.testing import LocalDurableTestRunner


def test_a_process_exit_is_reported_as_a_runtime_exit_error() -> None:
    exits: list[int] = []

    def exit_once(step_context: StepContext) -> str:
        if not exits:
            exits.append(1)
            raise SystemExit(3)
        return "ran"

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.step(exit_once, name="work")

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({}, timeout=20)
    crashed = result.invocations[0]
    assert result.status == "SUCCEEDED"
    assert crashed["Error"]["ErrorType"] == "Runtime.ExitError"
    assert crashed["Error"]["ErrorMessage"].endswith("Runtime exited with error: exit status 3")
    completed = next(e for e in result.history if e["EventType"] == "InvocationCompleted")
    error = completed["InvocationCompletedDetails"]["Error"]["Payload"]
    assert error["ErrorType"] == "Runtime.ExitError"


def test_another_escaping_exception_keeps_its_own_name() -> None:
    class SandboxDied(BaseException):
        pass

    crashes: list[int] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        if not crashes:
            crashes.append(1)
            raise SandboxDied("gone")
        return "ok"

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({}, timeout=20)
    assert result.invocations[0]["Error"]["ErrorType"].endswith("SandboxDied")


def test_each_timer_ending_a_suspension_gets_its_own_invocation() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        callback = context.create_callback(
            name="approval", config=CallbackConfig(timeout=Duration.from_seconds(3))
        )
        context.wait(Duration.from_seconds(6), name="pause")
        return callback.result()

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({}, timeout=20)
    kinds = [e["EventType"] for e in result.history]
    timed_out, waited = kinds.index("CallbackTimedOut"), kinds.index("WaitSucceeded")
    assert timed_out < waited
    assert "InvocationCompleted" in kinds[timed_out:waited]


def _invoke_started(engine: Engine) -> tuple[str, str]:
    arn = engine.start_execution('"x"')
    token = engine.invocation_event(arn)["CheckpointToken"]
    start = OperationUpdate(
        "i", OperationType.CHAINED_INVOKE, OperationAction.START, function_name="target"
    )
    engine.checkpoint(arn, token, [start])
    return arn, "i"


def test_a_chained_invoke_ending_during_an_invocation_reaches_the_caller_after_it() -> None:
    engine = Engine(VirtualClock())
    arn, op_id = _invoke_started(engine)
    engine.complete_operation(arn, op_id, OperationStatus.SUCCEEDED, result='"done"')
    assert "ChainedInvokeSucceeded" not in [e["EventType"] for e in engine.history(arn)]

    engine.record_invocation(arn, "r1", engine.clock.now(), {"Status": "PENDING"})
    kinds = [e["EventType"] for e in engine.history(arn)]
    assert kinds[-2:] == ["InvocationCompleted", "ChainedInvokeSucceeded"]
    assert engine.execution(arn).wake


def test_a_chained_invoke_ending_between_invocations_is_applied_at_once() -> None:
    engine = Engine(VirtualClock())
    arn, op_id = _invoke_started(engine)
    engine.record_invocation(arn, "r1", engine.clock.now(), {"Status": "PENDING"})
    engine.complete_operation(arn, op_id, OperationStatus.SUCCEEDED, result='"done"')
    assert engine.history(arn)[-1]["EventType"] == "ChainedInvokeSucceeded"


def test_a_chained_invoke_cannot_end_twice_while_its_end_is_held() -> None:
    engine = Engine(VirtualClock())
    arn, op_id = _invoke_started(engine)
    engine.complete_operation(arn, op_id, OperationStatus.SUCCEEDED, result="1")
    with pytest.raises(CheckpointRejected, match="has already ended"):
        engine.complete_operation(arn, op_id, OperationStatus.SUCCEEDED, result="2")


def test_the_invoke_started_event_names_the_version_and_the_target_execution() -> None:
    @durable_execution
    def target(event: Any, context: DurableContext) -> Any:
        return event

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.invoke("echo", event, name="call")

    with LocalDurableTestRunner(handler) as runner:
        runner.register_durable_function("echo", target)
        result = runner.run("hi", timeout=20)
    started = next(e for e in result.history if e["EventType"] == "ChainedInvokeStarted")
    details = started["ChainedInvokeStartedDetails"]
    assert details["ExecutedVersion"] == "$LATEST"
    assert runner.wait_for_result(details["DurableExecutionArn"]).result == "hi"
    assert result.result == "hi"


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), ("bye", 1), (True, 1)])
def test_the_exit_status_is_the_one_python_exits_with(code: Any, status: int) -> None:
    error = crash_error(SystemExit(code), "req-1")
    assert error.message == (
        f"RequestId: req-1 Error: Runtime exited with error: exit status {status}"
    )
