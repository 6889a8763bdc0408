"""Wire types of the Lambda durable-execution API, with the AWS field names.

`to_dict` / `from_dict` convert to and from the botocore shapes (timestamps as
`datetime`); `to_json_dict` writes timestamps as Unix milliseconds, the form of the
invocation event. `from_dict` accepts both timestamp forms.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Any

from durable.exceptions import (
    SERDES_ERROR_TYPE,
    DurableOperationError,
    SerDesError,
    qualified_name,
)


class OperationType(StrEnum):
    """The kinds of operation the service records."""

    EXECUTION = "EXECUTION"
    CONTEXT = "CONTEXT"
    STEP = "STEP"
    WAIT = "WAIT"
    CALLBACK = "CALLBACK"
    CHAINED_INVOKE = "CHAINED_INVOKE"


class OperationStatus(StrEnum):
    """The states of an operation."""

    STARTED = "STARTED"
    PENDING = "PENDING"
    READY = "READY"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    TIMED_OUT = "TIMED_OUT"
    STOPPED = "STOPPED"


TERMINAL_STATUSES = frozenset(
    {
        OperationStatus.SUCCEEDED,
        OperationStatus.FAILED,
        OperationStatus.CANCELLED,
        OperationStatus.TIMED_OUT,
        OperationStatus.STOPPED,
    }
)


class OperationAction(StrEnum):
    """What an `OperationUpdate` does to its operation."""

    START = "START"
    SUCCEED = "SUCCEED"
    FAIL = "FAIL"
    RETRY = "RETRY"
    CANCEL = "CANCEL"


class OperationSubType(StrEnum):
    """The SubTypes the SDK records for its own operations."""

    STEP = "Step"
    WAIT = "Wait"
    CALLBACK = "Callback"
    RUN_IN_CHILD_CONTEXT = "RunInChildContext"
    MAP = "Map"
    MAP_ITERATION = "MapIteration"
    PARALLEL = "Parallel"
    PARALLEL_BRANCH = "ParallelBranch"
    WAIT_FOR_CALLBACK = "WaitForCallback"
    WAIT_FOR_CONDITION = "WaitForCondition"
    CHAINED_INVOKE = "ChainedInvoke"


class InvocationStatus(Enum):
    """The Status of the envelope a durable handler returns."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    PENDING = "PENDING"


def to_millis(moment: datetime) -> int:
    """Unix milliseconds of `moment`."""
    return int(moment.timestamp() * 1000)


def to_datetime(value: Any) -> datetime | None:
    """A UTC datetime from a datetime or Unix milliseconds."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromtimestamp(value / 1000, tz=UTC)


@dataclass(frozen=True, slots=True)
class ErrorObject:
    """An error as the service stores it."""

    message: str | None = None
    type: str | None = None
    data: str | None = None
    stack_trace: list[str] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ErrorObject:
        return cls(
            message=data.get("ErrorMessage"),
            type=data.get("ErrorType"),
            data=data.get("ErrorData"),
            stack_trace=data.get("StackTrace"),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.message is not None:
            out["ErrorMessage"] = self.message
        if self.type is not None:
            out["ErrorType"] = self.type
        if self.data is not None:
            out["ErrorData"] = self.data
        if self.stack_trace is not None:
            out["StackTrace"] = self.stack_trace
        return out

    @classmethod
    def from_exception(cls, error: BaseException) -> ErrorObject:
        """The wire form of `error`: its qualified class name and message.

        A SerDesError always records the base SerDesError type, so replay rebuilds it
        as such; an operation error keeps its own data and stack trace.
        """
        if isinstance(error, SerDesError):
            return cls(error.message, SERDES_ERROR_TYPE, error.data, error.stack_trace)
        if isinstance(error, DurableOperationError):
            return cls(error.message, qualified_name(type(error)), error.data, error.stack_trace)
        return cls(str(error), qualified_name(type(error)), None, None)

    @classmethod
    def from_crash(cls, error: BaseException) -> ErrorObject:
        """The error of a crashed invocation, with its stack trace."""
        trace = traceback.format_exception(error)
        return cls(str(error), qualified_name(type(error)), None, trace)


def _error(data: dict[str, Any]) -> ErrorObject | None:
    raw = data.get("Error")
    return ErrorObject.from_dict(raw) if raw else None


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of an execution, as the service reports it.

    The per-type details are flattened: `result`/`error` come from whichever
    `<Type>Details` block the operation has.
    """

    id: str
    type: OperationType
    status: OperationStatus
    parent_id: str | None = None
    name: str | None = None
    sub_type: str | None = None
    start_timestamp: datetime | None = None
    end_timestamp: datetime | None = None
    input_payload: str | None = None  # ExecutionDetails.InputPayload
    result: str | None = None
    error: ErrorObject | None = None
    replay_children: bool = False  # ContextDetails.ReplayChildren
    attempt: int = 0  # StepDetails.Attempt
    next_attempt_timestamp: datetime | None = None  # StepDetails.NextAttemptTimestamp
    scheduled_end_timestamp: datetime | None = None  # WaitDetails.ScheduledEndTimestamp
    callback_id: str | None = None  # CallbackDetails.CallbackId

    @property
    def is_terminal(self) -> bool:
        """Whether the operation has finished."""
        return self.status in TERMINAL_STATUSES

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Operation:
        op_type = OperationType(data["Type"])
        fields: dict[str, Any] = {}
        if (details := data.get("ExecutionDetails")) is not None:
            fields["input_payload"] = details.get("InputPayload")
        if (details := data.get("ContextDetails")) is not None:
            fields["result"] = details.get("Result")
            fields["error"] = _error(details)
            fields["replay_children"] = bool(details.get("ReplayChildren", False))
        if (details := data.get("StepDetails")) is not None:
            fields["result"] = details.get("Result")
            fields["error"] = _error(details)
            fields["attempt"] = details.get("Attempt", 0)
            fields["next_attempt_timestamp"] = to_datetime(details.get("NextAttemptTimestamp"))
        if (details := data.get("WaitDetails")) is not None:
            fields["scheduled_end_timestamp"] = to_datetime(details.get("ScheduledEndTimestamp"))
        if (details := data.get("CallbackDetails")) is not None:
            fields["callback_id"] = details.get("CallbackId")
            fields["result"] = details.get("Result")
            fields["error"] = _error(details)
        if (details := data.get("ChainedInvokeDetails")) is not None:
            fields["result"] = details.get("Result")
            fields["error"] = _error(details)
        return cls(
            id=data["Id"],
            type=op_type,
            status=OperationStatus(data["Status"]),
            parent_id=data.get("ParentId"),
            name=data.get("Name"),
            sub_type=data.get("SubType") or None,
            start_timestamp=to_datetime(data.get("StartTimestamp")),
            end_timestamp=to_datetime(data.get("EndTimestamp")),
            **fields,
        )

    def to_dict(self) -> dict[str, Any]:
        """The botocore `Operation` shape (timestamps as datetime)."""
        out: dict[str, Any] = {"Id": self.id, "Type": self.type.value, "Status": self.status.value}
        if self.parent_id:
            out["ParentId"] = self.parent_id
        if self.name:
            out["Name"] = self.name
        if self.sub_type:
            out["SubType"] = self.sub_type
        if self.start_timestamp is not None:
            out["StartTimestamp"] = self.start_timestamp
        if self.end_timestamp is not None:
            out["EndTimestamp"] = self.end_timestamp
        details: dict[str, Any] = {}
        if self.type is OperationType.EXECUTION:
            out["ExecutionDetails"] = {"InputPayload": self.input_payload}
        elif self.type is OperationType.CONTEXT:
            if self.replay_children:
                details["ReplayChildren"] = True
            out["ContextDetails"] = details
        elif self.type is OperationType.STEP:
            details["Attempt"] = self.attempt
            if self.next_attempt_timestamp is not None:
                details["NextAttemptTimestamp"] = self.next_attempt_timestamp
            out["StepDetails"] = details
        elif self.type is OperationType.WAIT:
            if self.scheduled_end_timestamp is not None:
                details["ScheduledEndTimestamp"] = self.scheduled_end_timestamp
            out["WaitDetails"] = details
        elif self.type is OperationType.CALLBACK:
            details["CallbackId"] = self.callback_id
            out["CallbackDetails"] = details
        else:
            out["ChainedInvokeDetails"] = details
        if self.type is not OperationType.EXECUTION:
            if self.result is not None:
                details["Result"] = self.result
            if self.error is not None:
                details["Error"] = self.error.to_dict()
        return out

    def to_json_dict(self) -> dict[str, Any]:
        """The invocation-event form: like `to_dict`, timestamps as Unix milliseconds."""
        out = self.to_dict()
        for key in ("StartTimestamp", "EndTimestamp"):
            if key in out:
                out[key] = to_millis(out[key])
        for block, key in (
            ("StepDetails", "NextAttemptTimestamp"),
            ("WaitDetails", "ScheduledEndTimestamp"),
        ):
            if key in out.get(block, {}):
                out[block][key] = to_millis(out[block][key])
        return out


@dataclass(frozen=True, slots=True)
class OperationUpdate:
    """One change to record in a checkpoint (the `OperationUpdate` shape)."""

    id: str
    type: OperationType
    action: OperationAction
    parent_id: str | None = None
    name: str | None = None
    sub_type: str | None = None
    payload: str | None = None
    error: ErrorObject | None = None
    replay_children: bool | None = None  # ContextOptions.ReplayChildren
    next_attempt_delay_seconds: int | None = None  # StepOptions
    wait_seconds: int | None = None  # WaitOptions
    callback_timeout_seconds: int | None = None  # CallbackOptions
    callback_heartbeat_timeout_seconds: int | None = None  # CallbackOptions
    function_name: str | None = None  # ChainedInvokeOptions
    tenant_id: str | None = None  # ChainedInvokeOptions

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Id": self.id, "Type": self.type.value, "Action": self.action.value}
        if self.parent_id:
            out["ParentId"] = self.parent_id
        if self.name:
            out["Name"] = self.name
        if self.sub_type:
            out["SubType"] = self.sub_type
        if self.payload is not None:
            out["Payload"] = self.payload
        if self.error is not None:
            out["Error"] = self.error.to_dict()
        if self.replay_children is not None:
            out["ContextOptions"] = {"ReplayChildren": self.replay_children}
        if self.next_attempt_delay_seconds is not None:
            out["StepOptions"] = {"NextAttemptDelaySeconds": self.next_attempt_delay_seconds}
        if self.wait_seconds is not None:
            out["WaitOptions"] = {"WaitSeconds": self.wait_seconds}
        if self.callback_timeout_seconds is not None:
            out["CallbackOptions"] = {
                "TimeoutSeconds": self.callback_timeout_seconds,
                "HeartbeatTimeoutSeconds": self.callback_heartbeat_timeout_seconds or 0,
            }
        if self.function_name is not None:
            options: dict[str, Any] = {"FunctionName": self.function_name}
            if self.tenant_id is not None:
                options["TenantId"] = self.tenant_id
            out["ChainedInvokeOptions"] = options
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OperationUpdate:
        context = data.get("ContextOptions") or {}
        step = data.get("StepOptions") or {}
        wait = data.get("WaitOptions") or {}
        callback = data.get("CallbackOptions")
        invoke = data.get("ChainedInvokeOptions") or {}
        return cls(
            id=data["Id"],
            type=OperationType(data["Type"]),
            action=OperationAction(data["Action"]),
            parent_id=data.get("ParentId"),
            name=data.get("Name"),
            sub_type=data.get("SubType") or None,
            payload=data.get("Payload"),
            error=_error(data),
            replay_children=context.get("ReplayChildren") if "ContextOptions" in data else None,
            next_attempt_delay_seconds=step.get("NextAttemptDelaySeconds"),
            wait_seconds=wait.get("WaitSeconds"),
            callback_timeout_seconds=callback.get("TimeoutSeconds", 0) if callback else None,
            callback_heartbeat_timeout_seconds=(
                callback.get("HeartbeatTimeoutSeconds", 0) if callback else None
            ),
            function_name=invoke.get("FunctionName"),
            tenant_id=invoke.get("TenantId"),
        )


@dataclass(frozen=True, slots=True)
class InvocationInput:
    """The event Lambda passes to a durable handler."""

    durable_execution_arn: str
    checkpoint_token: str
    operations: list[Operation]
    next_marker: str | None = None

    @classmethod
    def from_event(cls, event: Any) -> InvocationInput:
        """Parse the invocation event; raises KeyError/TypeError when it is not one."""
        arn = event["DurableExecutionArn"]
        token = event["CheckpointToken"]
        if not isinstance(arn, str) or not isinstance(token, str):
            raise TypeError("DurableExecutionArn and CheckpointToken must be strings")
        state = event.get("InitialExecutionState") or {}
        operations = [Operation.from_dict(op) for op in state.get("Operations") or ()]
        return cls(arn, token, operations, state.get("NextMarker") or None)

    def to_event(self) -> dict[str, Any]:
        """The JSON form of the event."""
        state: dict[str, Any] = {"Operations": [op.to_json_dict() for op in self.operations]}
        if self.next_marker:
            state["NextMarker"] = self.next_marker
        return {
            "DurableExecutionArn": self.durable_execution_arn,
            "CheckpointToken": self.checkpoint_token,
            "InitialExecutionState": state,
        }


@dataclass(frozen=True, slots=True)
class InvocationOutput:
    """The envelope a durable handler returns."""

    status: InvocationStatus
    result: str | None = None
    error: ErrorObject | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Status": self.status.value}
        if self.result is not None:
            out["Result"] = self.result
        if self.error is not None:
            out["Error"] = self.error.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InvocationOutput:
        return cls(InvocationStatus(data["Status"]), data.get("Result"), _error(data))
