"""Turning a recorded error into the exception an operation raises."""

from __future__ import annotations

from typing import NoReturn

from durable._core.wire import ErrorObject
from durable.exceptions import SERDES_ERROR_TYPE, DurableOperationError, SerDesError


def raise_recorded(error: ErrorObject | None, error_class: type[DurableOperationError]) -> NoReturn:
    """Raise `error_class` rebuilt from a checkpointed error, the same on every run.

    `__cause__` is the recorded error rebuilt by type; a SerDes failure surfaces as
    `SerDesError` whatever the operation.
    """
    recorded = error or ErrorObject(message="the operation failed without an error")
    cause = DurableOperationError.from_error_fields(
        recorded.type, recorded.message, recorded.data, recorded.stack_trace
    )
    if recorded.type == SERDES_ERROR_TYPE:
        raise SerDesError(
            recorded.message, recorded.type, recorded.data, recorded.stack_trace
        ) from cause
    raise error_class(
        recorded.message, recorded.type, recorded.data, recorded.stack_trace
    ) from cause


def payload_too_large(text: str, limit: int) -> int | None:
    """The size in bytes of `text` when it exceeds `limit`, else None."""
    if len(text) * 4 <= limit:  # UTF-8 needs at most 4 bytes a character
        return None
    size = len(text.encode())
    return size if size > limit else None
