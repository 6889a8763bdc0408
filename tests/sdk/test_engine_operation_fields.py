"""Fields of the operations the in-process engine reports, as the official runner
reports them (found by tests/integration/test_checkpoint_parity.py)."""

from __future__ import annotations

from durable._core.wire import OperationAction, OperationType, OperationUpdate
from durable.service.clock import VirtualClock
from durable.service.engine import Engine


def started() -> tuple[Engine, str, str]:
    engine = Engine(VirtualClock())
    arn = engine.start_execution('{"a": 1}')
    token = engine.invocation_event(arn)["CheckpointToken"]
    return engine, arn, token


def step(action: OperationAction, **fields: object) -> OperationUpdate:
    return OperationUpdate("s", OperationType.STEP, action, sub_type="Step", **fields)  # type: ignore[arg-type]


def test_a_step_that_succeeds_first_time_reports_attempt_one() -> None:
    engine, arn, token = started()
    answer = engine.checkpoint(
        arn, token, [step(OperationAction.START), step(OperationAction.SUCCEED, payload="1")]
    )
    assert answer.operations[0].attempt == 1


def test_a_step_failing_after_one_retry_reports_attempt_two() -> None:
    engine, arn, token = started()
    token = engine.checkpoint(
        arn,
        token,
        [step(OperationAction.START), step(OperationAction.RETRY, next_attempt_delay_seconds=1)],
    ).checkpoint_token
    engine.clock.advance_to(engine.next_due(arn))  # type: ignore[attr-defined, arg-type]
    engine.fire_due(arn)
    token = engine.invocation_event(arn)["CheckpointToken"]
    answer = engine.checkpoint(
        arn, token, [step(OperationAction.START), step(OperationAction.FAIL)]
    )
    assert answer.operations[0].attempt == 2


def test_the_finished_execution_keeps_its_input_payload() -> None:
    engine, arn, token = started()
    execution_id = arn.rsplit("/", 1)[-1]
    finish = OperationUpdate(
        execution_id, OperationType.EXECUTION, OperationAction.SUCCEED, payload="2"
    )
    engine.checkpoint(arn, token, [finish])
    assert engine.execution(arn).operations[execution_id].input_payload == '{"a": 1}'


def test_an_execution_update_is_applied_whatever_its_id() -> None:
    engine, arn, token = started()
    execution_id = arn.rsplit("/", 1)[-1]
    finish = OperationUpdate(
        "execution-result-1795385478169",
        OperationType.EXECUTION,
        OperationAction.SUCCEED,
        payload='"done"',
    )
    engine.checkpoint(arn, token, [finish])
    assert engine.execution(arn).operations[execution_id].result == '"done"'
