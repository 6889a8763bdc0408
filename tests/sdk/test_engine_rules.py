"""The in-process engine applies updates with the service's rules."""

from __future__ import annotations

import pytest
from durable._core.wire import OperationAction, OperationStatus, OperationType, OperationUpdate
from durable.exceptions import CheckpointError
from durable.service.clock import VirtualClock
from durable.service.engine import Engine
from durable.service.transitions import CheckpointRejected


def started() -> tuple[Engine, str, str]:
    engine = Engine(VirtualClock())
    arn = engine.start_execution('{"a": 1}')
    token = engine.invocation_event(arn)["CheckpointToken"]
    return engine, arn, token


def step(op_id: str, action: OperationAction, **fields: object) -> OperationUpdate:
    return OperationUpdate(op_id, OperationType.STEP, action, sub_type="Step", **fields)  # type: ignore[arg-type]


def test_a_step_moves_from_started_to_succeeded() -> None:
    engine, arn, token = started()
    answer = engine.checkpoint(
        arn,
        token,
        [step("s", OperationAction.START), step("s", OperationAction.SUCCEED, payload="1")],
    )
    assert [op.status for op in answer.operations] == [OperationStatus.SUCCEEDED]


def test_a_succeeded_step_cannot_succeed_again() -> None:
    engine, arn, token = started()
    token = engine.checkpoint(arn, token, [step("s", OperationAction.SUCCEED)]).checkpoint_token
    with pytest.raises(CheckpointRejected, match=r"STEP \(id s\) cannot SUCCEED when SUCCEEDED"):
        engine.checkpoint(arn, token, [step("s", OperationAction.SUCCEED)])  # type: ignore[arg-type]


def test_a_rejected_batch_records_nothing() -> None:
    engine, arn, token = started()
    before = engine.history(arn)
    with pytest.raises(CheckpointRejected):
        engine.checkpoint(
            arn,
            token,
            [step("a", OperationAction.START), step("b", OperationAction.START, parent_id="nope")],
        )
    assert engine.history(arn) == before
    assert list(engine.execution(arn).operations) == [arn.rsplit("/", 1)[-1]]


def test_a_wait_cannot_start_twice() -> None:
    engine, arn, token = started()
    wait = OperationUpdate("w", OperationType.WAIT, OperationAction.START, wait_seconds=5)
    token = engine.checkpoint(arn, token, [wait]).checkpoint_token
    with pytest.raises(CheckpointRejected, match="cannot START when STARTED"):
        engine.checkpoint(arn, token, [wait])  # type: ignore[arg-type]


def test_an_update_must_keep_the_recorded_name() -> None:
    engine, arn, token = started()
    token = engine.checkpoint(
        arn, token, [step("s", OperationAction.START, name="a")]
    ).checkpoint_token
    with pytest.raises(CheckpointRejected, match="has Name 'b' but was recorded with 'a'"):
        engine.checkpoint(arn, token, [step("s", OperationAction.SUCCEED, name="b")])  # type: ignore[arg-type]


def test_an_action_the_type_does_not_have_is_rejected() -> None:
    engine, arn, token = started()
    with pytest.raises(CheckpointRejected, match="RETRY is not an action of WAIT"):
        engine.checkpoint(
            arn, token, [OperationUpdate("w", OperationType.WAIT, OperationAction.RETRY)]
        )


def test_a_stale_token_is_refused() -> None:
    engine, arn, token = started()
    engine.checkpoint(arn, token, [step("s", OperationAction.START)])
    with pytest.raises(CheckpointError, match="Invalid checkpoint token"):
        engine.checkpoint(arn, token, [step("s", OperationAction.SUCCEED)])


def test_a_retry_becomes_ready_when_its_delay_is_over() -> None:
    engine, arn, token = started()
    engine.checkpoint(
        arn,
        token,
        [
            step("s", OperationAction.START),
            step("s", OperationAction.RETRY, next_attempt_delay_seconds=7),
        ],
    )
    due = engine.next_due(arn)
    assert due is not None
    engine.clock.advance_to(due)
    engine.fire_due(arn)
    op = engine.execution(arn).operations["s"]
    assert (op.status, op.attempt) == (OperationStatus.READY, 1)


def test_state_pages_cover_every_operation() -> None:
    engine, arn, token = started()
    engine.checkpoint(arn, token, [step(str(n), OperationAction.START) for n in range(5)])
    token = engine.execution(arn).token
    first = engine.get_execution_state(arn, token, "0", max_items=4)
    second = engine.get_execution_state(arn, token, first.next_marker or "", max_items=4)
    assert (len(first.operations), len(second.operations), second.next_marker) == (4, 2, None)


CONTEXT_START = OperationUpdate("c", OperationType.CONTEXT, OperationAction.START)


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        ([CONTEXT_START, CONTEXT_START], "cannot START when STARTED"),
        (
            [OperationUpdate("s", OperationType.STEP, OperationAction.FAIL, payload="x")],
            "FAIL of STEP .* cannot carry a Payload",
        ),
        (
            [
                OperationUpdate("x", OperationType.EXECUTION, OperationAction.SUCCEED),
                CONTEXT_START,
            ],
            "an EXECUTION update must be the last one",
        ),
        (
            [OperationUpdate("w", OperationType.WAIT, OperationAction.CANCEL)],
            "cannot CANCEL when not started",
        ),
        (
            [OperationUpdate("i", OperationType.CHAINED_INVOKE, OperationAction.START)],
            "needs ChainedInvokeOptions",
        ),
        (
            [
                OperationUpdate(
                    "s", OperationType.STEP, OperationAction.SUCCEED, payload="x" * 300_000
                )
            ],
            "Payload of STEP .* is over 256 KiB",
        ),
    ],
)
def test_invalid_checkpoints_are_rejected_with_a_reason(
    batch: list[OperationUpdate], message: str
) -> None:
    engine, arn, token = started()
    with pytest.raises(CheckpointRejected, match=message):
        engine.checkpoint(arn, token, batch)


def test_a_started_wait_can_be_cancelled() -> None:
    engine, arn, token = started()
    start = OperationUpdate("w", OperationType.WAIT, OperationAction.START, wait_seconds=9)
    token = engine.checkpoint(arn, token, [start]).checkpoint_token or ""
    cancel = OperationUpdate("w", OperationType.WAIT, OperationAction.CANCEL)
    answer = engine.checkpoint(arn, token, [cancel])
    assert answer.operations[0].status is OperationStatus.CANCELLED
    assert engine.history(arn)[-1]["EventType"] == "WaitCancelled"
