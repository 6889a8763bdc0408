"""`create_callback` and the callback's `result()`.

START records the callback (with its timeouts) and waits for the service to answer
with the callback id. `result()` returns the external system's answer once it is
recorded and suspends the execution until then. Errors wait for `result()`, so the
code between creating a callback and reading it runs the same on every replay.
"""

from __future__ import annotations

from typing import Any

from durable._core.state import Allocation, ExecutionState, Scope
from durable._core.wire import OperationStatus, OperationType
from durable.config import CallbackConfig, StepConfig, WaitForCallbackConfig
from durable.exceptions import (
    CallbackError,
    CallbackExternalError,
    CallbackSubmitterError,
    CallbackTimeoutError,
    ChildContextError,
    StepError,
    SuspendExecution,
)
from durable.operations.outcome import read_recorded
from durable.serdes import SerDes

DEFAULT_CALLBACK_CONFIG = CallbackConfig()


def create(
    state: ExecutionState, scope: Scope, name: str | None, config: CallbackConfig
) -> tuple[Allocation, str]:
    """Record the callback (first run) and return its id."""
    alloc = state.allocate(scope, OperationType.CALLBACK, config.sub_type or "Callback", name)
    op = alloc.existing
    if op is None:
        start = alloc.update(
            "START",
            callback_timeout_seconds=config.timeout_seconds,
            callback_heartbeat_timeout_seconds=config.heartbeat_timeout_seconds,
        )
        state.record(start, durable=True)
        op = state.operations.get(alloc.id)
    if op is None or not op.callback_id:
        raise CallbackError(f"the service returned no callback id for {alloc.describe()}")
    return alloc, op.callback_id


def result(state: ExecutionState, alloc: Allocation, serdes: SerDes[Any] | None) -> Any:
    """The callback's answer; raises its failure, or suspends until it arrives."""
    op = state.operations.get(alloc.id)
    if op is None or not op.is_terminal:
        raise SuspendExecution(f"{alloc.describe()} waits for its answer")
    if op.status is OperationStatus.SUCCEEDED:
        if serdes is None:
            return op.result
        return read_recorded(state, alloc, serdes, op.result)
    error = op.error
    timed_out = op.status is OperationStatus.TIMED_OUT
    error_class = CallbackTimeoutError if timed_out else CallbackExternalError
    default = "Callback timed out" if timed_out else "Callback failed"
    raise error_class(
        message=error.message if error and error.message else default,
        data=error.data if error else None,
        stack_trace=error.stack_trace if error else None,
    )


class Callback:
    """A created callback: hand `callback_id` to the external system, then call
    `result()`, which suspends the execution until the answer is recorded."""

    def __init__(
        self, state: ExecutionState, alloc: Allocation, callback_id: str, serdes: SerDes[Any] | None
    ) -> None:
        self._state = state
        self._alloc = alloc
        self.callback_id = callback_id
        self.operation_id = alloc.id
        self._serdes = serdes

    def result(self) -> Any:
        """The answer (text, or decoded by the config's serdes); raises
        `CallbackTimeoutError` / `CallbackExternalError` when it failed."""
        return result(self._state, self._alloc, self._serdes)


class AsyncCallback(Callback):
    """A callback created by `AsyncDurableContext.create_callback`."""

    async def result(self) -> Any:
        """The answer; suspends the execution until it is recorded."""
        return result(self._state, self._alloc, self._serdes)


def callback_failure(error: ChildContextError) -> Exception:
    """What `wait_for_callback` raises for its failed child context: the callback's
    own error, `CallbackSubmitterError` for a failed submitter, else the error."""
    cause = error.__cause__
    if isinstance(cause, CallbackError):
        return cause
    if isinstance(cause, StepError):
        return CallbackSubmitterError(
            cause.message or "the callback submitter failed",
            data=cause.data,
            stack_trace=cause.stack_trace,
        )
    return error


def wait_for_callback_names(name: str | None) -> tuple[str, str]:
    """The names of the callback and the submitter step inside `wait_for_callback`."""
    prefix = f"{name} " if name else ""
    return f"{prefix}create callback id", f"{prefix}submitter"


def submitter_step_config(config: WaitForCallbackConfig | None) -> StepConfig | None:
    """The config of the submitter step inside `wait_for_callback`."""
    if config is None:
        return None
    return StepConfig(retry_strategy=config.retry_strategy, serdes=config.serdes)
