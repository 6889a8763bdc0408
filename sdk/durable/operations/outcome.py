"""Reading back what an operation recorded: its result as a value, its error as the
exception the operation raises."""

from __future__ import annotations

from typing import Any, NoReturn

from durable._core.state import Allocation, ExecutionState
from durable._core.wire import ErrorObject
from durable.exceptions import SERDES_ERROR_TYPE, DurableOperationError, SerDesError
from durable.serdes import SerDes, deserialize_for_operation


def read_recorded(
    state: ExecutionState, alloc: Allocation, serdes: SerDes[Any] | None, text: str | None
) -> Any:
    """The value checkpointed as `text` for `alloc`, as replay reads it (None for none)."""
    if text is None:
        return None
    return deserialize_for_operation(serdes, text, state.serdes_context(alloc.id), alloc.describe)


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
