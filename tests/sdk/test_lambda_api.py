"""The boto3 Checkpointer, checked against botocore's service model (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber
from durable import DurableContext, durable_execution
from durable._core.ids import operation_id
from durable._core.wire import (
    Operation,
    OperationAction,
    OperationStatus,
    OperationType,
    OperationUpdate,
)
from durable.exceptions import CheckpointError
from durable.service.lambda_api import LambdaApiCheckpointer
from durable.testing import LocalDurableTestRunner

ARN = "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/n/i"
UPDATE = OperationUpdate(
    "a", OperationType.STEP, OperationAction.SUCCEED, sub_type="Step", payload="1"
)


def client() -> tuple[object, Stubber]:
    lam = boto3.client(
        "lambda", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return lam, Stubber(lam)


def test_a_checkpoint_sends_the_updates_and_reads_the_new_state() -> None:
    lam, stub = client()
    stub.add_response(
        "checkpoint_durable_execution",
        {
            "CheckpointToken": "bmV4dA==",
            "NewExecutionState": {
                "Operations": [
                    {
                        "Id": "a",
                        "Type": "STEP",
                        "Status": "SUCCEEDED",
                        "StartTimestamp": datetime(2025, 1, 1, tzinfo=UTC),
                    }
                ]
            },
        },
        {"DurableExecutionArn": ARN, "CheckpointToken": "dA==", "Updates": [UPDATE.to_dict()]},
    )
    with stub:
        answer = LambdaApiCheckpointer(lam).checkpoint(ARN, "dA==", [UPDATE])
    assert answer.checkpoint_token == "bmV4dA=="
    assert answer.operations[0].status is OperationStatus.SUCCEEDED


def test_a_state_page_is_read() -> None:
    lam, stub = client()
    stub.add_response(
        "get_durable_execution_state",
        {"Operations": [], "NextMarker": "m2"},
        {"DurableExecutionArn": ARN, "CheckpointToken": "dA==", "Marker": "m1", "MaxItems": 1000},
    )
    with stub:
        page = LambdaApiCheckpointer(lam).get_execution_state(ARN, "dA==", "m1")
    assert page.next_marker == "m2"


def test_a_client_error_is_not_retryable() -> None:
    lam, stub = client()
    stub.add_client_error(
        "checkpoint_durable_execution", "InvalidParameterValueException", "bad update", 400
    )
    with stub, pytest.raises(CheckpointError, match="checkpoint failed") as info:
        LambdaApiCheckpointer(lam).checkpoint(ARN, "dA==", [UPDATE])
    assert not info.value.is_retryable()


def test_throttling_is_retryable() -> None:
    lam, stub = client()
    stub.add_client_error("checkpoint_durable_execution", "TooManyRequestsException", "slow", 429)
    with stub, pytest.raises(CheckpointError) as info:
        LambdaApiCheckpointer(lam).checkpoint(ARN, "dA==", [UPDATE])
    assert info.value.is_retryable()


def test_a_handler_checkpoints_through_boto3_on_lambda() -> None:
    lam, stub = client()
    root = Operation(
        "i",
        OperationType.EXECUTION,
        OperationStatus.STARTED,
        start_timestamp=datetime(2025, 1, 1, tzinfo=UTC),
        input_payload='{"n": 2}',
    )
    step_id = operation_id(None, 1)
    stub.add_response(
        "get_durable_execution_state",
        {"Operations": []},
        {"DurableExecutionArn": ARN, "CheckpointToken": "dA==", "Marker": "p2", "MaxItems": 1000},
    )
    stub.add_response(
        "checkpoint_durable_execution",
        {"CheckpointToken": "dDI=", "NewExecutionState": {"Operations": []}},
        {
            "DurableExecutionArn": ARN,
            "CheckpointToken": "dA==",
            "Updates": [
                {
                    "Id": step_id,
                    "Type": "STEP",
                    "Action": "START",
                    "SubType": "Step",
                    "Name": "double",
                },
                {
                    "Id": step_id,
                    "Type": "STEP",
                    "Action": "SUCCEED",
                    "SubType": "Step",
                    "Name": "double",
                    "Payload": "4",
                },
            ],
        },
    )

    @durable_execution(boto3_client=lam)
    def handler(event: dict[str, int], context: DurableContext) -> int:
        return context.step(lambda _: event["n"] * 2, name="double")

    event = {
        "DurableExecutionArn": ARN,
        "CheckpointToken": "dA==",
        "InitialExecutionState": {"Operations": [root.to_json_dict()], "NextMarker": "p2"},
    }
    with stub:
        output = handler(event, None)
    stub.assert_no_pending_responses()
    assert output == {"Status": "SUCCEEDED", "Result": "4"}


def test_plugins_see_every_invocation() -> None:
    seen: list[str] = []

    class Audit:
        def on_invocation_start(self, info: dict[str, str]) -> None:
            seen.append("start")

        def on_invocation_end(self, output: dict[str, str]) -> None:
            seen.append(output["Status"])

    @durable_execution(plugins=[Audit()])
    def handler(event: object, context: DurableContext) -> str:
        return "ok"

    with LocalDurableTestRunner(handler) as runner:
        assert runner.run().result == "ok"
    assert seen == ["start", "SUCCEEDED"]
