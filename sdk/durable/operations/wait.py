"""`wait`: suspend the execution for a duration without holding compute."""

from __future__ import annotations

from durable._core.state import ExecutionState, Scope
from durable._core.wire import OperationStatus, OperationType
from durable.config import Duration
from durable.exceptions import SuspendExecution, TimedSuspendExecution, ValidationError

MAX_WAIT_SECONDS = 31_622_400
"""The longest wait the service accepts (366 days)."""


def wait(state: ExecutionState, scope: Scope, duration: Duration, name: str | None) -> None:
    """Return when the wait is over; otherwise record it (first run) and suspend."""
    what = f"wait {name!r}" if name else "wait"
    if not isinstance(duration, Duration):
        raise ValidationError(
            f"{what}: duration must be a Duration (e.g. Duration.from_seconds(5)), "
            f"got {type(duration).__name__}"
        )
    seconds = duration.to_seconds()
    if seconds < 1:
        # Worded as the official SDK words it: the message ends up in the execution's error.
        raise ValidationError("duration must be at least 1 second")
    if seconds > MAX_WAIT_SECONDS:
        raise ValidationError(f"{what}: duration must be at most 366 days, got {seconds} s")
    alloc = state.allocate(scope, OperationType.WAIT, "Wait", name)
    op = alloc.existing
    if op is None:
        state.record(alloc.update("START", wait_seconds=seconds))
        raise TimedSuspendExecution.from_delay(f"{alloc.describe()} for {seconds} s", seconds)
    if op.status is OperationStatus.SUCCEEDED:
        return
    if op.scheduled_end_timestamp is not None:
        raise TimedSuspendExecution(
            f"{alloc.describe()} is not over", op.scheduled_end_timestamp.timestamp()
        )
    raise SuspendExecution(f"{alloc.describe()} is not over")
