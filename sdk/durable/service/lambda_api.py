"""A `Checkpointer` over the Lambda durable-execution API (boto3, imported on first use).

Works against AWS or any server that speaks the same API (pass a client created
with `endpoint_url=`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from durable._core.checkpoint import CheckpointResult, StatePage
from durable._core.wire import Operation, OperationUpdate
from durable.exceptions import CheckpointError, GetExecutionStateError


def _retryable(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    detail = response.get("Error") or {}
    if detail.get("Code", "").startswith("KMS"):
        return False
    if status is None or status >= 500 or status == 429:
        return True
    stale_token = detail.get("Code") == "InvalidParameterValueException" and str(
        detail.get("Message", "")
    ).startswith("Invalid checkpoint token")
    return status < 400 or stale_token


class LambdaApiCheckpointer:
    """Checkpoints through `CheckpointDurableExecution` / `GetDurableExecutionState`."""

    # Each call is a network round trip: the asyncio driver makes it off the event loop.
    blocking_io = True
    _shared_client: Any = None

    def __init__(self, client: Any = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        """The boto3 Lambda client (created from the environment on first use)."""
        if self._client is None:
            if LambdaApiCheckpointer._shared_client is None:
                import boto3  # type: ignore[import-untyped]  # only when running on Lambda

                LambdaApiCheckpointer._shared_client = boto3.client("lambda")
            self._client = LambdaApiCheckpointer._shared_client
        return self._client

    @staticmethod
    def checkpoint_request(
        arn: str, token: str, updates: Sequence[OperationUpdate]
    ) -> dict[str, Any]:
        """The `CheckpointDurableExecution` request parameters."""
        return {
            "DurableExecutionArn": arn,
            "CheckpointToken": token,
            "Updates": [update.to_dict() for update in updates],
        }

    @staticmethod
    def state_request(arn: str, token: str, marker: str, max_items: int) -> dict[str, Any]:
        """The `GetDurableExecutionState` request parameters."""
        return {
            "DurableExecutionArn": arn,
            "CheckpointToken": token,
            "Marker": marker,
            "MaxItems": max_items,
        }

    def checkpoint(
        self, arn: str, token: str, updates: Sequence[OperationUpdate]
    ) -> CheckpointResult:
        """Send `updates`; a rejected call raises `CheckpointError`."""
        try:
            answer = self.client.checkpoint_durable_execution(
                **self.checkpoint_request(arn, token, updates)
            )
        except Exception as error:
            raise CheckpointError(
                f"checkpoint failed: {error}", retryable=_retryable(error)
            ) from None
        state = answer.get("NewExecutionState") or {}
        return CheckpointResult(
            answer.get("CheckpointToken"),
            [Operation.from_dict(op) for op in state.get("Operations") or ()],
            state.get("NextMarker"),
        )

    def get_execution_state(
        self, arn: str, token: str, marker: str, max_items: int = 1000
    ) -> StatePage:
        """One page of the execution's operations."""
        try:
            answer = self.client.get_durable_execution_state(
                **self.state_request(arn, token, marker, max_items)
            )
        except Exception as error:
            raise GetExecutionStateError(f"loading the execution state failed: {error}") from None
        return StatePage(
            [Operation.from_dict(op) for op in answer.get("Operations") or ()],
            answer.get("NextMarker") or None,
        )
