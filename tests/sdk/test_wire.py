"""Wire types convert exactly to and from the botocore shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator
from durable._core.wire import (
    ErrorObject,
    InvocationInput,
    Operation,
    OperationAction,
    OperationStatus,
    OperationType,
    OperationUpdate,
)
from durable.exceptions import DurableOperationError, register_operation_error
from durable.service.lambda_api import LambdaApiCheckpointer

MODEL = botocore.session.get_session().get_service_model("lambda")
ARN = "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/n/i"
MOMENT = datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


def validate(operation: str, params: dict[str, Any]) -> None:
    shape = MODEL.operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    assert not report.has_errors(), report.generate_report()


UPDATES = [
    OperationUpdate("a", OperationType.STEP, OperationAction.START, name="s", sub_type="Step"),
    OperationUpdate(
        "a",
        OperationType.STEP,
        OperationAction.RETRY,
        parent_id="p",
        error=ErrorObject("m", "ValueError", "d", ["line"]),
        next_attempt_delay_seconds=3,
    ),
    OperationUpdate(
        "b", OperationType.WAIT, OperationAction.START, sub_type="Wait", wait_seconds=5
    ),
    OperationUpdate(
        "c", OperationType.CONTEXT, OperationAction.SUCCEED, payload="", replay_children=True
    ),
    OperationUpdate(
        "d",
        OperationType.CALLBACK,
        OperationAction.START,
        callback_timeout_seconds=10,
        callback_heartbeat_timeout_seconds=2,
    ),
    OperationUpdate(
        "e", OperationType.CHAINED_INVOKE, OperationAction.START, function_name="f", tenant_id="t"
    ),
    OperationUpdate("i", OperationType.EXECUTION, OperationAction.SUCCEED, payload="{}"),
]


@pytest.mark.parametrize("update", UPDATES, ids=lambda u: f"{u.type}-{u.action}")
def test_updates_round_trip_through_dicts(update: OperationUpdate) -> None:
    assert OperationUpdate.from_dict(update.to_dict()) == update


def test_checkpoint_requests_match_the_service_model() -> None:
    validate(
        "CheckpointDurableExecution", LambdaApiCheckpointer.checkpoint_request(ARN, "dA==", UPDATES)
    )


def test_state_requests_match_the_service_model() -> None:
    validate("GetDurableExecutionState", LambdaApiCheckpointer.state_request(ARN, "dA==", "m", 100))


OPERATIONS = [
    Operation(
        "i",
        OperationType.EXECUTION,
        OperationStatus.STARTED,
        start_timestamp=MOMENT,
        input_payload="{}",
    ),
    Operation(
        "a",
        OperationType.STEP,
        OperationStatus.PENDING,
        parent_id="p",
        name="s",
        sub_type="Step",
        start_timestamp=MOMENT,
        attempt=2,
        next_attempt_timestamp=MOMENT,
        error=ErrorObject("m", "E"),
    ),
    Operation(
        "b",
        OperationType.WAIT,
        OperationStatus.STARTED,
        start_timestamp=MOMENT,
        scheduled_end_timestamp=MOMENT,
    ),
    Operation(
        "c",
        OperationType.CONTEXT,
        OperationStatus.SUCCEEDED,
        start_timestamp=MOMENT,
        end_timestamp=MOMENT,
        result="1",
        replay_children=True,
    ),
    Operation(
        "d",
        OperationType.CALLBACK,
        OperationStatus.STARTED,
        start_timestamp=MOMENT,
        callback_id="cb",
    ),
    Operation(
        "e",
        OperationType.CHAINED_INVOKE,
        OperationStatus.FAILED,
        start_timestamp=MOMENT,
        error=ErrorObject("x"),
    ),
]


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda o: str(o.type))
def test_operations_round_trip_through_dicts(op: Operation) -> None:
    assert Operation.from_dict(op.to_dict()) == op


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda o: str(o.type))
def test_operations_round_trip_through_the_event_json_form(op: Operation) -> None:
    assert Operation.from_dict(op.to_json_dict()) == op


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda o: str(o.type))
def test_operation_dicts_match_the_service_model(op: Operation) -> None:
    shape = MODEL.shape_for("GetDurableExecutionStateResponse")
    report = ParamValidator().validate({"Operations": [op.to_dict()]}, shape)
    assert not report.has_errors(), report.generate_report()


def test_the_invocation_event_round_trips() -> None:
    event = InvocationInput(ARN, "tok", OPERATIONS[:2], "next")
    assert InvocationInput.from_event(event.to_event()) == event


class Declined(Exception):
    pass


def test_builtin_errors_record_their_bare_name() -> None:
    assert ErrorObject.from_exception(KeyError("k")).type == "KeyError"


def test_other_errors_record_their_qualified_name() -> None:
    assert ErrorObject.from_exception(Declined("no")).type == f"{__name__}.Declined"


class QuotaError(DurableOperationError):
    pass


def test_registered_operation_errors_are_rebuilt_by_type() -> None:
    register_operation_error(QuotaError)
    rebuilt = DurableOperationError.from_error_fields(f"{__name__}.QuotaError", "over", None, None)
    assert (type(rebuilt), rebuilt.message) == (QuotaError, "over")
