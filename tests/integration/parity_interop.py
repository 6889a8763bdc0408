"""Run one execution with the SDK switching between invocations: ours, then the
official one, then ours again (or the other way round), all on our engine.

If both SDKs write and read the same checkpoints, each replays what the other
recorded, and the execution ends exactly as if one SDK had run it throughout.

The official SDK talks to our engine through `EngineClient`, which implements its
service-client interface by converting both ways through botocore-shaped dicts
(each side's own `to_dict` / `from_dict`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aws_durable_execution_sdk_python.execution import (
    DurableExecutionInvocationInput,
    DurableExecutionInvocationInputWithClient,
)
from aws_durable_execution_sdk_python.lambda_service import CheckpointOutput, StateOutput
from durable._core.wire import OperationUpdate
from durable.service.engine import Engine
from parity_capture import Capture, run_ours
from parity_handlers import OURS, THEIRS, Api, Case

_with_client = DurableExecutionInvocationInputWithClient.from_durable_execution_invocation_input


class EngineClient:
    """The official SDK's service client, answered by our in-process engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def checkpoint(
        self,
        durable_execution_arn: str,
        checkpoint_token: str,
        updates: Sequence[Any],
        client_token: str | None = None,
    ) -> CheckpointOutput:
        ours = [OperationUpdate.from_dict(dict(update.to_dict())) for update in updates]
        answer = self.engine.checkpoint(durable_execution_arn, checkpoint_token, ours)
        return CheckpointOutput.from_dict(
            {
                "CheckpointToken": answer.checkpoint_token,
                "NewExecutionState": {"Operations": [op.to_dict() for op in answer.operations]},
            }
        )

    def get_execution_state(
        self,
        durable_execution_arn: str,
        checkpoint_token: str,
        next_marker: str,
        max_items: int = 1000,
    ) -> StateOutput:
        page = self.engine.get_execution_state(
            durable_execution_arn, checkpoint_token, next_marker, max_items
        )
        return StateOutput.from_dict(
            {
                "Operations": [op.to_dict() for op in page.operations],
                "NextMarker": page.next_marker,
            }
        )


def run_alternating(case: Case, *, theirs_first: bool) -> tuple[Capture, list[str]]:
    """Run the case on our engine, switching SDK at every invocation; returns the
    capture and which SDK ran each invocation."""
    ours, theirs = case.build(Api(OURS)), case.build(Api(THEIRS))
    used: list[str] = []

    def handler_for(engine: Engine) -> Callable[..., Any]:
        def alternating(event: Any, context: Any) -> Any:
            use_theirs = (len(used) % 2 == 0) == theirs_first
            used.append(THEIRS if use_theirs else OURS)
            if not use_theirs:
                return ours(event, context)
            official = _with_client(
                DurableExecutionInvocationInput.from_dict(dict(event)), EngineClient(engine)
            )
            return theirs(official, context)

        return alternating

    return run_ours(case, handler_for=handler_for), used
