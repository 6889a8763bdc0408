"""Errors raised by durable executions.

Operation failures surface as a subclass of `DurableOperationError` (`StepError`,
`ChildContextError`, ...) whose `error_type` is the qualified name of the exception
that escaped the operation. The same error is raised on the first run and on every
replay, because it is rebuilt from the checkpoint both times.

Suspension (`SuspendExecution`) derives from `BaseException`, so a user's
`except Exception` never swallows it.
"""

from __future__ import annotations

import datetime
import time
from enum import Enum


class TerminationReason(Enum):
    """Why an execution stopped without a result."""

    UNHANDLED_ERROR = "UNHANDLED_ERROR"
    INVOCATION_ERROR = "INVOCATION_ERROR"
    EXECUTION_ERROR = "EXECUTION_ERROR"
    CHECKPOINT_FAILED = "CHECKPOINT_FAILED"
    NON_DETERMINISTIC_EXECUTION = "NON_DETERMINISTIC_EXECUTION"
    STEP_INTERRUPTED = "STEP_INTERRUPTED"
    SERIALIZATION_ERROR = "SERIALIZATION_ERROR"


class DurableExecutionsError(Exception):
    """Base class of every error the SDK raises."""


class PluginLoadError(DurableExecutionsError):
    """An instrumentation plugin could not be loaded."""


class ValidationError(DurableExecutionsError):
    """An operation was called with arguments it cannot accept."""


class InvalidStateError(DurableExecutionsError):
    """An object was used in a state that does not allow it."""


class UnrecoverableError(DurableExecutionsError):
    """An error that ends the invocation."""

    def __init__(self, message: str, termination_reason: TerminationReason) -> None:
        super().__init__(message)
        self.message = message
        self.termination_reason = termination_reason


class ExecutionError(UnrecoverableError):
    """Fails the execution without retrying it."""

    def __init__(
        self,
        message: str,
        termination_reason: TerminationReason = TerminationReason.EXECUTION_ERROR,
    ) -> None:
        super().__init__(message, termination_reason)


class InvalidEventError(ExecutionError):
    """The handler was invoked with an event that is not a durable invocation."""


class NonDeterministicExecutionError(ExecutionError):
    """Replay met an operation whose Type, SubType, Name or ParentId changed."""

    def __init__(self, message: str, step_id: str | None = None) -> None:
        super().__init__(message, TerminationReason.NON_DETERMINISTIC_EXECUTION)
        self.step_id = step_id


class InvocationError(UnrecoverableError):
    """Ends the invocation with an error so that Lambda invokes the handler again."""

    def __init__(
        self,
        message: str,
        termination_reason: TerminationReason = TerminationReason.INVOCATION_ERROR,
    ) -> None:
        super().__init__(message, termination_reason)

    def is_retryable(self) -> bool:
        """Whether invoking again can succeed."""
        return True


class CheckpointError(InvocationError):
    """The service did not accept a checkpoint."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message, TerminationReason.CHECKPOINT_FAILED)
        self.retryable = retryable

    def is_retryable(self) -> bool:
        """Whether invoking again can succeed (false for a rejected checkpoint)."""
        return self.retryable


class GetExecutionStateError(InvocationError):
    """The service did not return the execution state."""


class StepInterruptedError(InvocationError):
    """An at-most-once step started in an earlier invocation and never finished."""

    def __init__(self, message: str, step_id: str | None = None) -> None:
        super().__init__(message, TerminationReason.STEP_INTERRUPTED)
        self.step_id = step_id


class RetryableSerDesError(InvocationError):
    """A transient SerDes failure: the invocation fails and is retried."""

    def __init__(
        self,
        message: str,
        termination_reason: TerminationReason = TerminationReason.SERIALIZATION_ERROR,
    ) -> None:
        super().__init__(message, termination_reason)


class _DetailedError(DurableExecutionsError):
    """An error recorded with its details: the base of operation and SerDes errors."""

    def __init__(
        self,
        message: str | None = None,
        error_type: str | None = None,
        data: str | None = None,
        stack_trace: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.error_type: str = error_type or qualified_name(type(self))
        self.data = data
        self.stack_trace = stack_trace


class DurableOperationError(_DetailedError):
    """A durable operation failed.

    Attributes:
        message: what went wrong.
        error_type: qualified name of the exception that escaped the operation
            (`"ValueError"`, `"orders.PaymentDeclined"`), identical on replay.
        data: optional serialized error data.
        stack_trace: optional stack trace lines from where the error was raised.
    """

    @classmethod
    def from_error_fields(
        cls,
        error_type: str | None,
        message: str | None,
        data: str | None,
        stack_trace: list[str] | None,
    ) -> DurableOperationError:
        """Rebuild the error class named by `error_type`, or the base class."""
        target = _OPERATION_ERRORS.get(error_type or "", DurableOperationError)
        return target(message=message, error_type=error_type, data=data, stack_trace=stack_trace)


class StepError(DurableOperationError):
    """A step failed (after its retries, if any)."""


class StepTimeoutError(TimeoutError):
    """A step attempt ran longer than its `StepConfig.timeout`."""


class InvokeError(DurableOperationError):
    """An invoked function failed."""


class ChildContextError(DurableOperationError):
    """A child context (run_in_child_context, map, parallel) failed."""


class WaitForConditionError(DurableOperationError):
    """A wait_for_condition check failed or ran out of attempts."""


class CallbackError(DurableOperationError):
    """A callback failed; the subclasses say how."""


class CallbackExternalError(CallbackError):
    """The external system reported failure for a callback."""


class CallbackTimeoutError(CallbackError):
    """A callback timed out, or missed its heartbeat."""


class CallbackSubmitterError(CallbackError):
    """The submitter of a wait_for_callback failed."""


class BatchCompletionError(DurableOperationError):
    """A map or parallel batch did not meet its completion criteria."""


class SerDesError(_DetailedError):
    """A value could not be serialized or deserialized (a permanent failure)."""


class SuspendExecution(BaseException):
    """Ends the invocation with PENDING; the service invokes again later.

    A `BaseException`, like `KeyboardInterrupt`, so `except Exception` in user
    code does not swallow it.
    """


class OrphanedChildException(BaseException):
    """Stops a map or parallel branch still running after its batch completed.

    A `BaseException`, so user code does not swallow it; the branch's further
    operations are not recorded.
    """


class TimedSuspendExecution(SuspendExecution):
    """Suspension with a known time (Unix seconds) to resume at."""

    def __init__(self, message: str, scheduled_timestamp: float) -> None:
        super().__init__(message)
        self.scheduled_timestamp = scheduled_timestamp

    @classmethod
    def from_delay(cls, message: str, delay_seconds: float) -> TimedSuspendExecution:
        """Suspend until `delay_seconds` from now."""
        return cls(message, time.time() + max(delay_seconds, 0))

    @classmethod
    def from_datetime(
        cls, message: str, datetime_timestamp: datetime.datetime
    ) -> TimedSuspendExecution:
        """Suspend until the moment `datetime_timestamp`."""
        return cls(message, datetime_timestamp.timestamp())


def qualified_name(cls: type[BaseException]) -> str:
    """The wire name of an exception class: builtins bare, others module-qualified."""
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


_OPERATION_ERRORS: dict[str, type[DurableOperationError]] = {
    qualified_name(cls): cls
    for cls in (
        StepError,
        InvokeError,
        ChildContextError,
        WaitForConditionError,
        CallbackError,
        CallbackExternalError,
        CallbackTimeoutError,
        CallbackSubmitterError,
        BatchCompletionError,
    )
}

SERDES_ERROR_TYPE = qualified_name(SerDesError)


def register_operation_error(error_cls: type[DurableOperationError]) -> None:
    """Let replay rebuild `error_cls` from a checkpointed error by its qualified name
    (for operation errors defined outside this module)."""
    _OPERATION_ERRORS[qualified_name(error_cls)] = error_cls
