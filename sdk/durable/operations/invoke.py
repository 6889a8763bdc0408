"""`invoke`: run another function by name and wait for its result.

START records the function name and the encoded payload; the service runs the
function and completes the operation, and the execution suspends until then.
"""

from __future__ import annotations

from typing import Any

from durable._core.state import ExecutionState, Scope
from durable._core.wire import OperationStatus, OperationType
from durable.config import InvokeConfig
from durable.exceptions import InvokeError, SuspendExecution, ValidationError
from durable.operations.outcome import raise_recorded, read_recorded
from durable.serdes import DEFAULT_JSON_SERDES, serialize_for_operation

DEFAULT_INVOKE_CONFIG: InvokeConfig[Any, Any] = InvokeConfig()


def invoke(
    state: ExecutionState,
    scope: Scope,
    function_name: str,
    payload: Any,
    name: str | None,
    config: InvokeConfig[Any, Any],
) -> Any:
    """The invoked function's result; raises `InvokeError` when it failed, and
    suspends while it runs."""
    if not isinstance(function_name, str) or not function_name:
        raise ValidationError(f"invoke needs a function name, got {function_name!r}")
    alloc = state.allocate(scope, OperationType.CHAINED_INVOKE, "ChainedInvoke", name)
    context = state.serdes_context(alloc.id)
    op = alloc.existing
    if op is None:
        text = serialize_for_operation(
            config.serdes_payload or DEFAULT_JSON_SERDES,
            payload,
            context,
            alloc.describe,
            "payload",
        )
        start = alloc.update(
            "START", payload=text, function_name=function_name, tenant_id=config.tenant_id
        )
        state.record(start, durable=True)
        op = state.operations.get(alloc.id)
    if op is not None and op.status is OperationStatus.SUCCEEDED:
        serdes = config.serdes_result or DEFAULT_JSON_SERDES
        return read_recorded(state, alloc, serdes, op.result)
    if op is not None and op.is_terminal:
        raise_recorded(op.error, InvokeError)
    raise SuspendExecution(f"{alloc.describe()} waits for {function_name}")
