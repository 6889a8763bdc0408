"""`run_in_child_context`: a group of operations checkpointed as one.

A succeeded child replays its recorded result without running. A result over the
256 KiB payload limit is checkpointed as a summary with ReplayChildren=true; the
child then runs again on replay (its own operations replay) to rebuild the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from durable._core.state import CHECKPOINT_PAYLOAD_LIMIT, Allocation, ExecutionState, Scope
from durable._core.wire import ErrorObject, OperationStatus, OperationType
from durable.config import ChildConfig
from durable.exceptions import ChildContextError, ExecutionError, InvocationError
from durable.operations.outcome import payload_too_large, raise_recorded, read_recorded
from durable.serdes import serialize_for_operation

DEFAULT_CHILD_CONFIG: ChildConfig[Any] = ChildConfig()


@dataclass(slots=True)
class ChildPlan:
    """What `begin` decided: a replayed value, or a child scope to run in."""

    alloc: Allocation
    config: ChildConfig[Any]
    replayed: bool
    scope: Scope | None = None
    value: Any = None
    rerun: bool = False  # ReplayChildren: run again, record nothing


def begin(
    state: ExecutionState,
    scope: Scope,
    name: str | None,
    config: ChildConfig[Any],
    sub_type: str,
    *,
    op_id: str | None = None,
    stop: list[bool] | None = None,
) -> ChildPlan:
    """Replay the child or open its scope (recording START on the first run).

    `op_id` fixes the Id (batch items); `stop` is the flag that orphans the child.
    """
    if op_id is None:
        alloc = state.allocate(scope, OperationType.CONTEXT, sub_type, name)
    else:
        alloc = state.allocate_at(scope, op_id, OperationType.CONTEXT, sub_type, name)
    op = alloc.existing
    if op is not None and op.status is OperationStatus.SUCCEEDED and not op.replay_children:
        value = read_recorded(state, alloc, config.serdes, op.result)
        return ChildPlan(alloc, config, replayed=True, value=value)
    if op is not None and op.is_terminal and op.status is not OperationStatus.SUCCEEDED:
        raise_recorded(op.error, ChildContextError)
    if op is None and not config.is_virtual:
        state.record(alloc.update("START"))
    rerun = op is not None and op.replay_children
    child_scope = scope.child(alloc.id, virtual=config.is_virtual, stop=stop)
    return ChildPlan(alloc, config, replayed=False, scope=child_scope, rerun=rerun)


def succeeded(state: ExecutionState, plan: ChildPlan, value: Any) -> Any:
    """Checkpoint the child's result; returns it as replay will (round-tripped)."""
    alloc, config = plan.alloc, plan.config
    context = state.serdes_context(alloc.id)
    try:
        text = serialize_for_operation(config.serdes, value, context, alloc.describe)
        result = read_recorded(state, alloc, config.serdes, text)
    except Exception as error:
        failed(state, plan, error)
    if config.is_virtual or plan.rerun:
        return result
    replay_children = False
    if text is not None and payload_too_large(text, CHECKPOINT_PAYLOAD_LIMIT):
        replay_children = True
        try:
            text = config.summary_generator(value) if config.summary_generator else ""
        except Exception as error:
            failed(state, plan, error)
    state.record(alloc.update("SUCCEED", payload=text, replay_children=replay_children))
    return result


def failed(state: ExecutionState, plan: ChildPlan, error: Exception) -> NoReturn:
    """Record the child's failure and raise `ChildContextError` (or the recorded
    `SerDesError`); errors that end the invocation pass through unrecorded."""
    if isinstance(error, ExecutionError | InvocationError):
        raise error
    recorded = ErrorObject.from_exception(error)
    if not plan.config.is_virtual and not plan.rerun:
        state.record(plan.alloc.update("FAIL", error=recorded))
    raise_recorded(recorded, ChildContextError)
