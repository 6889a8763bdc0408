"""`durable_execution`: the Lambda entry point of a durable handler.

The wrapper takes the durable invocation event, loads the recorded operations, runs
the handler (replaying what was recorded), and returns the envelope
`{"Status": "SUCCEEDED", "Result": ...}`, `{"Status": "FAILED", "Error": ...}` or
`{"Status": "PENDING"}` when the handler suspended.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
from collections.abc import Callable, Sequence
from typing import Any

from durable._core.checkpoint import Checkpointer
from durable._core.state import ExecutionState, load_operations
from durable._core.wire import (
    ErrorObject,
    InvocationInput,
    InvocationOutput,
    InvocationStatus,
    OperationAction,
    OperationType,
    OperationUpdate,
)
from durable.aio import AsyncDurableContext
from durable.context import DurableContext
from durable.exceptions import (
    CheckpointError,
    InvalidEventError,
    InvocationError,
    SerDesError,
    SuspendExecution,
    qualified_name,
)

LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024 - 50
"""Largest envelope Lambda returns (6 MiB less room for the envelope itself)."""

RESULT_PAYLOAD_LIMIT = 6 * 1024 * 1024
"""Largest handler result the service can store (botocore: OperationPayload max 6291456)."""

Handler = Callable[[Any, Any], Any]


def durable_execution(
    func: Handler | None = None,
    *,
    boto3_client: Any = None,
    plugins: Sequence[Any] | None = None,
) -> Any:
    """Make `handler(event, context)` a durable Lambda handler.

    `func` may be `def handler(event, context: DurableContext)` or
    `async def handler(event, context: AsyncDurableContext)`. `boto3_client` is the
    Lambda client used for checkpoints (default: one created from the environment).
    `plugins` are objects with optional `on_invocation_start(info: dict)` and
    `on_invocation_end(output: dict)` methods, called around every invocation.
    """
    if func is None:
        return functools.partial(durable_execution, boto3_client=boto3_client, plugins=plugins)
    handler = func
    hooks = list(plugins or ())

    @functools.wraps(handler)
    def wrapper(event: Any, context: Any = None) -> dict[str, Any]:
        invocation = _parse_event(event)
        checkpointer = getattr(event, "checkpointer", None) or _lambda_checkpointer(boto3_client)
        for hook in hooks:
            if hasattr(hook, "on_invocation_start"):
                hook.on_invocation_start({"DurableExecutionArn": invocation.durable_execution_arn})
        output = run_invocation(handler, invocation, checkpointer, context)
        for hook in hooks:
            if hasattr(hook, "on_invocation_end"):
                hook.on_invocation_end(output)
        return output

    wrapper.durable_handler = handler  # type: ignore[attr-defined]
    return wrapper


def _parse_event(event: Any) -> InvocationInput:
    try:
        return InvocationInput.from_event(event)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise InvalidEventError(
            "the event is not a durable invocation (it needs DurableExecutionArn, "
            "CheckpointToken and InitialExecutionState): enable durable execution on the "
            f"function, or run the handler with durable.testing ({type(error).__name__}: "
            f"{error})"
        ) from None


def _lambda_checkpointer(client: Any) -> Checkpointer:
    from durable.service.lambda_api import LambdaApiCheckpointer

    return LambdaApiCheckpointer(client)


def run_invocation(
    handler: Handler, invocation: InvocationInput, checkpointer: Checkpointer, lambda_context: Any
) -> dict[str, Any]:
    """Run one invocation of `handler` and return its envelope."""
    operations = load_operations(
        checkpointer,
        invocation.durable_execution_arn,
        invocation.checkpoint_token,
        invocation.operations,
        invocation.next_marker,
    )
    state = ExecutionState(
        invocation.durable_execution_arn, invocation.checkpoint_token, operations, checkpointer
    )
    raw = state.input_payload
    try:
        event = json.loads(raw) if raw and raw.strip() else {}
    except json.JSONDecodeError as error:
        return _failed(ErrorObject(f"the execution input is not valid JSON: {error}", "ValueError"))
    try:
        result = _call(handler, event, state, lambda_context)
    except SuspendExecution:
        state.close()
        return _flushed(state, InvocationOutput(InvocationStatus.PENDING).to_dict())
    except InvocationError as error:
        state.close()
        if error.is_retryable():
            state.batcher.discard()
            raise
        return _failed(ErrorObject.from_exception(error))
    except Exception as error:
        state.close()
        return _flushed(state, _failure_envelope(state, ErrorObject.from_exception(error)))
    except BaseException:
        # A crash: keep what completed so far, as a process exit would run finally.
        state.close()
        state.flush()
        raise
    state.close()
    return _flushed(state, _success_envelope(state, result))


def _call(handler: Handler, event: Any, state: ExecutionState, lambda_context: Any) -> Any:
    if inspect.iscoroutinefunction(handler):
        actx = AsyncDurableContext(state, state.root, lambda_context=lambda_context)
        return asyncio.run(handler(event, actx))
    return handler(event, DurableContext(state, state.root, lambda_context=lambda_context))


def _flushed(state: ExecutionState, output: dict[str, Any]) -> dict[str, Any]:
    try:
        state.flush()
    except CheckpointError as error:
        if error.is_retryable():
            raise
        return _failed(ErrorObject.from_exception(error))
    return output


def _failed(error: ErrorObject) -> dict[str, Any]:
    return InvocationOutput(InvocationStatus.FAILED, error=error).to_dict()


def _success_envelope(state: ExecutionState, result: Any) -> dict[str, Any]:
    try:
        text = json.dumps(result)
    except (TypeError, ValueError) as error:
        # As the official SDK: the json error itself is the handler's failure.
        return _failure_envelope(state, ErrorObject.from_exception(error))
    if len(text) > RESULT_PAYLOAD_LIMIT:
        # The official SDK would send it and have the checkpoint refused; say why instead.
        return _failed(
            ErrorObject(
                f"the handler's result is {len(text) // 1024} KiB of JSON, over the 6 MiB "
                "limit; return something smaller (for example a key to data stored elsewhere)",
                qualified_name(SerDesError),
            )
        )
    if len(text) > LAMBDA_RESPONSE_LIMIT:
        state.record(_execution_update(state, OperationAction.SUCCEED, payload=text))
        text = ""
    return InvocationOutput(InvocationStatus.SUCCEEDED, result=text).to_dict()


def _failure_envelope(state: ExecutionState, error: ErrorObject) -> dict[str, Any]:
    envelope = _failed(error)
    if len(json.dumps(envelope)) > LAMBDA_RESPONSE_LIMIT:
        state.record(_execution_update(state, OperationAction.FAIL, error=error))
        return InvocationOutput(InvocationStatus.FAILED).to_dict()
    return envelope


def _execution_update(
    state: ExecutionState, action: OperationAction, **fields: Any
) -> OperationUpdate:
    op_id = state.execution.id if state.execution else "execution"
    return OperationUpdate(id=op_id, type=OperationType.EXECUTION, action=action, **fields)
