"""The service's rules for applying one `OperationUpdate` to an operation.

`apply` validates the transition (rejecting invalid ones with a one-line
`CheckpointRejected`) and returns the operation's new state and its history events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from durable._core.wire import (
    ErrorObject,
    Operation,
    OperationAction,
    OperationStatus,
    OperationType,
    OperationUpdate,
)
from durable.exceptions import CheckpointError
from durable.service.history import HistoryEvent, error_block, event, result_block, retry_details

PAYLOAD_LIMIT = 256 * 1024
EXECUTION_PAYLOAD_LIMIT = 6 * 1024 * 1024
ERROR_LIMIT = 32 * 1024

_VALID_ACTIONS = {
    OperationType.EXECUTION: {OperationAction.SUCCEED, OperationAction.FAIL},
    OperationType.STEP: {
        OperationAction.START,
        OperationAction.SUCCEED,
        OperationAction.FAIL,
        OperationAction.RETRY,
    },
    OperationType.WAIT: {OperationAction.START, OperationAction.CANCEL},
    OperationType.CONTEXT: {OperationAction.START, OperationAction.SUCCEED, OperationAction.FAIL},
    OperationType.CALLBACK: {OperationAction.START, OperationAction.CANCEL},
    OperationType.CHAINED_INVOKE: {OperationAction.START, OperationAction.CANCEL},
}


class CheckpointRejected(CheckpointError):
    """The engine refused a checkpoint; nothing of it was recorded."""

    def __init__(self, message: str) -> None:
        super().__init__(f"checkpoint rejected: {message}", retryable=False)


def _label(update: OperationUpdate) -> str:
    name = f" {update.name!r}" if update.name else ""
    return f"{update.type.value}{name} (id {update.id[:12]})"


def check_shape(update: OperationUpdate) -> None:
    """Checks that need no state: action for type, sizes, name format."""
    if update.action not in _VALID_ACTIONS[update.type]:
        raise CheckpointRejected(f"{update.action.value} is not an action of {_label(update)}")
    if update.name is not None and not (
        0 < len(update.name) <= 256 and update.name.isascii() and update.name.isprintable()
    ):
        raise CheckpointRejected(f"Name of {_label(update)} must be 1-256 printable ASCII chars")
    limit = EXECUTION_PAYLOAD_LIMIT if update.type is OperationType.EXECUTION else PAYLOAD_LIMIT
    if update.payload is not None and len(update.payload.encode()) > limit:
        raise CheckpointRejected(f"Payload of {_label(update)} is over {limit // 1024} KiB")
    if update.error is not None and len(repr(update.error.to_dict())) > ERROR_LIMIT:
        raise CheckpointRejected(f"Error of {_label(update)} is over 32 KiB")
    if update.action is OperationAction.FAIL and update.payload is not None:
        raise CheckpointRejected(f"FAIL of {_label(update)} cannot carry a Payload")
    if update.action is OperationAction.SUCCEED and update.error is not None:
        raise CheckpointRejected(f"SUCCEED of {_label(update)} cannot carry an Error")


def check_identity(current: Operation, update: OperationUpdate) -> None:
    """An update must name the operation exactly as it was recorded."""
    for field, recorded, sent in (
        ("Type", current.type, update.type),
        ("SubType", current.sub_type, update.sub_type),
        ("Name", current.name, update.name),
        ("ParentId", current.parent_id, update.parent_id),
    ):
        if (recorded or None) != (sent or None):
            raise CheckpointRejected(
                f"{_label(update)} has {field} {sent!r} but was recorded with {recorded!r}"
            )


def _invalid(update: OperationUpdate, current: Operation | None) -> CheckpointRejected:
    status = current.status.value if current else "not started"
    return CheckpointRejected(f"{_label(update)} cannot {update.action.value} when {status}")


def apply(
    current: Operation | None,
    update: OperationUpdate,
    now: datetime,
    new_callback_id: Callable[[], str],
) -> tuple[Operation, list[HistoryEvent]]:
    """The new state of the operation, and the events to append."""
    action, status = update.action, current.status if current else None
    details: dict[str, Any]
    started = current.start_timestamp if current else now
    base = {
        "id": update.id,
        "type": update.type,
        "parent_id": update.parent_id,
        "name": update.name,
        "sub_type": update.sub_type,
        "start_timestamp": started,
    }
    if update.type is OperationType.STEP:
        attempt = current.attempt if current else 0
        if action is OperationAction.START:
            if current is not None and status is not OperationStatus.READY:
                raise _invalid(update, current)
            op = Operation(status=OperationStatus.STARTED, attempt=attempt, **base)  # type: ignore[arg-type]
            return op, [event("StepStarted", now, op, {})]
        if status not in (None, OperationStatus.STARTED, OperationStatus.READY):
            raise _invalid(update, current)
        if action is OperationAction.RETRY:
            if update.next_attempt_delay_seconds is None:
                raise CheckpointRejected(f"RETRY of {_label(update)} needs StepOptions")
            delay = update.next_attempt_delay_seconds
            op = Operation(
                status=OperationStatus.PENDING,
                attempt=attempt + 1,
                next_attempt_timestamp=now + timedelta(seconds=delay),
                result=update.payload,
                error=update.error,
                **base,  # type: ignore[arg-type]
            )
            retry = retry_details(attempt + 1, delay)
            if update.error is None:  # a poll of wait_for_condition carrying its state
                details = {"Result": result_block(update.payload), "RetryDetails": retry}
                return op, [event("StepSucceeded", now, op, details)]
            details = {"Error": error_block(update.error), "RetryDetails": retry}
            return op, [event("StepFailed", now, op, details)]
        succeeded = action is OperationAction.SUCCEED
        # Attempt counts finished attempts: SUCCEED and FAIL end one, as RETRY does.
        op = Operation(
            status=OperationStatus.SUCCEEDED if succeeded else OperationStatus.FAILED,
            attempt=attempt + 1,
            end_timestamp=now,
            result=update.payload,
            error=update.error,
            **base,  # type: ignore[arg-type]
        )
        retry = retry_details(attempt + 1)
        if succeeded:
            details = {"Result": result_block(update.payload), "RetryDetails": retry}
            return op, [event("StepSucceeded", now, op, details)]
        details = {"Error": error_block(update.error), "RetryDetails": retry}
        return op, [event("StepFailed", now, op, details)]
    if update.type is OperationType.WAIT:
        if action is OperationAction.START:
            if current is not None:
                raise _invalid(update, current)
            seconds = update.wait_seconds or 1
            end = now + timedelta(seconds=seconds)
            op = Operation(status=OperationStatus.STARTED, scheduled_end_timestamp=end, **base)  # type: ignore[arg-type]
            details = {"Duration": seconds, "ScheduledEndTimestamp": end}
            return op, [event("WaitStarted", now, op, details)]
        if current is None or status is not OperationStatus.STARTED:
            raise _invalid(update, current)
        op = Operation(
            status=OperationStatus.CANCELLED,
            end_timestamp=now,
            scheduled_end_timestamp=current.scheduled_end_timestamp,
            **base,  # type: ignore[arg-type]
        )
        return op, [event("WaitCancelled", now, op, {"Error": error_block(update.error)})]
    if update.type is OperationType.CONTEXT:
        if action is OperationAction.START:
            if current is not None:
                raise _invalid(update, current)
            op = Operation(status=OperationStatus.STARTED, **base)  # type: ignore[arg-type]
            return op, [event("ContextStarted", now, op, {})]
        if status not in (None, OperationStatus.STARTED):
            raise _invalid(update, current)
        succeeded = action is OperationAction.SUCCEED
        op = Operation(
            status=OperationStatus.SUCCEEDED if succeeded else OperationStatus.FAILED,
            end_timestamp=now,
            result=update.payload,
            error=update.error,
            replay_children=bool(update.replay_children),
            **base,  # type: ignore[arg-type]
        )
        if succeeded:
            return op, [
                event("ContextSucceeded", now, op, {"Result": result_block(update.payload)})
            ]
        return op, [event("ContextFailed", now, op, {"Error": error_block(update.error)})]
    if update.type is OperationType.CALLBACK:
        if action is OperationAction.START:
            if current is not None:
                raise _invalid(update, current)
            op = Operation(status=OperationStatus.STARTED, callback_id=new_callback_id(), **base)  # type: ignore[arg-type]
            details = {"CallbackId": op.callback_id}
            if update.callback_timeout_seconds:
                details["Timeout"] = update.callback_timeout_seconds
            if update.callback_heartbeat_timeout_seconds:
                details["HeartbeatTimeout"] = update.callback_heartbeat_timeout_seconds
            return op, [event("CallbackStarted", now, op, details)]
        if current is None or current.is_terminal:
            raise _invalid(update, current)
        op = Operation(
            status=OperationStatus.CANCELLED,
            end_timestamp=now,
            callback_id=current.callback_id,
            **base,  # type: ignore[arg-type]
        )
        return op, [event("CallbackFailed", now, op, {"Error": error_block(update.error)})]
    if update.type is OperationType.CHAINED_INVOKE:
        if action is OperationAction.START:
            if current is not None:
                raise _invalid(update, current)
            if not update.function_name:
                raise CheckpointRejected(f"START of {_label(update)} needs ChainedInvokeOptions")
            op = Operation(status=OperationStatus.STARTED, **base)  # type: ignore[arg-type]
            details = {"FunctionName": update.function_name, "Input": result_block(update.payload)}
            if update.tenant_id:
                details["TenantId"] = update.tenant_id
            return op, [event("ChainedInvokeStarted", now, op, details)]
        if current is None or current.is_terminal:
            raise _invalid(update, current)
        op = Operation(status=OperationStatus.STOPPED, end_timestamp=now, **base)  # type: ignore[arg-type]
        return op, [event("ChainedInvokeStopped", now, op, {"Error": error_block(update.error)})]
    raise _invalid(update, current)


def finish(
    current: Operation,
    status: OperationStatus,
    now: datetime,
    *,
    result: str | None = None,
    error: ErrorObject | None = None,
) -> Operation:
    """`current` brought to a terminal `status` by the service itself (a timer, a
    callback answer, an invoked function's end)."""
    return Operation(
        id=current.id,
        type=current.type,
        status=status,
        parent_id=current.parent_id,
        name=current.name,
        sub_type=current.sub_type,
        start_timestamp=current.start_timestamp,
        end_timestamp=now,
        input_payload=current.input_payload,
        result=result,
        error=error,
        scheduled_end_timestamp=current.scheduled_end_timestamp,
        callback_id=current.callback_id,
    )
