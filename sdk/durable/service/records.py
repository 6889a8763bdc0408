"""Exact JSON text for what the engine stores: operations, history events, invocations.

The wire shapes lose detail a store must keep (timestamps in milliseconds, no result on
the EXECUTION operation), so operations are written field by field, and datetimes as
tagged ISO 8601 text that reads back to the same instant, microseconds and zone.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from durable._core.wire import ErrorObject, Operation, OperationStatus, OperationType

_DATETIME_TAG = "$datetime"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {_DATETIME_TAG: value.isoformat()}
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot store a {type(value).__name__}")


def _hook(data: dict[str, Any]) -> Any:
    if len(data) == 1 and _DATETIME_TAG in data:
        return datetime.fromisoformat(data[_DATETIME_TAG])
    return data


def dumps(value: Any) -> str:
    """JSON text of `value`; datetimes are tagged so `loads` gives them back."""
    return json.dumps(value, default=_default, separators=(",", ":"))


def loads(text: str) -> Any:
    """The value `dumps` wrote."""
    return json.loads(text, object_hook=_hook)


def operation_to_text(op: Operation) -> str:
    """An operation as JSON text, every field kept."""
    record: dict[str, Any] = {}
    for spec in dataclasses.fields(op):
        value = getattr(op, spec.name)
        if isinstance(value, OperationType | OperationStatus):
            value = value.value
        elif isinstance(value, ErrorObject):
            value = value.to_dict()
        record[spec.name] = value
    return dumps(record)


def operation_from_text(text: str) -> Operation:
    """The operation `operation_to_text` wrote."""
    record = loads(text)
    record["type"] = OperationType(record["type"])
    record["status"] = OperationStatus(record["status"])
    if record.get("error") is not None:
        record["error"] = ErrorObject.from_dict(record["error"])
    return Operation(**record)


def error_to_text(error: ErrorObject | None) -> str | None:
    """An ErrorObject as JSON text (None stays None)."""
    return None if error is None else dumps(error.to_dict())


def error_from_text(text: str | None) -> ErrorObject | None:
    """The ErrorObject `error_to_text` wrote."""
    return None if text is None else ErrorObject.from_dict(loads(text))
