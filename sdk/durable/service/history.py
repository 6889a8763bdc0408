"""Execution history events in the service's format (the botocore `Event` shape)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from durable._core.wire import ErrorObject, Operation

HistoryEvent = dict[str, Any]


def event(
    event_type: str, moment: datetime, op: Operation | None, details: dict[str, Any]
) -> HistoryEvent:
    """An event of `event_type` about `op` (None for invocation events); `EventId` is
    filled in when the event is appended."""
    out: HistoryEvent = {"EventType": event_type, "EventId": 0}
    if op is not None:
        if op.sub_type:
            out["SubType"] = op.sub_type
        out["Id"] = op.id
        if op.name:
            out["Name"] = op.name
        if op.parent_id:
            out["ParentId"] = op.parent_id
    out["EventTimestamp"] = moment
    out[f"{event_type}Details"] = details
    return out


def result_block(payload: str | None) -> dict[str, Any]:
    """An `EventResult`."""
    out: dict[str, Any] = {"Truncated": False}
    if payload is not None:
        out["Payload"] = payload
    return out


def error_block(error: ErrorObject | None) -> dict[str, Any]:
    """An `EventError`."""
    out: dict[str, Any] = {"Truncated": False}
    if error is not None:
        out["Payload"] = error.to_dict()
    return out


def retry_details(attempt: int, delay: int | None = None) -> dict[str, Any]:
    """A `RetryDetails` block."""
    out: dict[str, Any] = {"CurrentAttempt": attempt}
    if delay is not None:
        out["NextAttemptDelaySeconds"] = delay
    return out
