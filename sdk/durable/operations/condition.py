"""`wait_for_condition`: poll a check until the wait strategy says stop.

Recorded as one STEP (SubType WaitForCondition). Each poll runs the check on the
state, then either SUCCEEDs with the final state or RETRYs carrying the new state
in its payload, suspending until the strategy's delay is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from durable._core.state import Allocation, ExecutionState, Scope
from durable._core.wire import ErrorObject, OperationStatus, OperationType
from durable.exceptions import (
    InvocationError,
    TimedSuspendExecution,
    ValidationError,
    WaitForConditionError,
)
from durable.operations.outcome import raise_recorded, read_recorded
from durable.serdes import deserialize_for_operation, serialize_for_operation
from durable.waits import WaitForConditionConfig


@dataclass(slots=True)
class ConditionPlan:
    """What `begin` decided: a replayed final state, or a poll to run."""

    alloc: Allocation
    config: WaitForConditionConfig[Any]
    replayed: bool
    state: Any = None
    attempt: int = 1


def begin(
    state: ExecutionState,
    scope: Scope,
    name: str | None,
    config: WaitForConditionConfig[Any] | None,
    check: Any,
) -> ConditionPlan:
    """Replay the final state, suspend until the next poll, or prepare a poll."""
    if check is None or not callable(check):
        raise ValidationError("wait_for_condition needs a check function")
    if config is None:
        raise ValidationError("wait_for_condition needs a WaitForConditionConfig")
    alloc = state.allocate(scope, OperationType.STEP, "WaitForCondition", name)
    op = alloc.existing
    context = state.serdes_context(alloc.id)
    if op is not None and op.status is OperationStatus.SUCCEEDED:
        value = read_recorded(state, alloc, config.serdes, op.result)
        return ConditionPlan(alloc, config, replayed=True, state=value)
    if op is not None and op.is_terminal:
        raise_recorded(op.error, WaitForConditionError)
    if op is not None and op.status is OperationStatus.PENDING:
        when = op.next_attempt_timestamp
        message = f"{alloc.describe()} polls again later"
        raise TimedSuspendExecution(message, when.timestamp() if when else 0.0)
    if op is None or op.status is not OperationStatus.STARTED:
        state.record(alloc.update("START"))
    plan = ConditionPlan(alloc, config, replayed=False, attempt=(op.attempt if op else 0) + 1)
    try:
        if op is not None and op.result:
            plan.state = deserialize_for_operation(
                config.serdes, op.result, context, alloc.describe
            )
        else:
            text = serialize_for_operation(
                config.serdes, config.initial_state, context, alloc.describe, "initial state"
            )
            plan.state = deserialize_for_operation(config.serdes, text, context, alloc.describe)
    except Exception as error:
        failed(state, plan, error)
    return plan


def checked(state: ExecutionState, plan: ConditionPlan, new_state: Any) -> Any:
    """After a poll: SUCCEED with the state, or RETRY with it and suspend."""
    alloc, config = plan.alloc, plan.config
    context = state.serdes_context(alloc.id)
    try:
        text = serialize_for_operation(config.serdes, new_state, context, alloc.describe, "state")
        value = deserialize_for_operation(config.serdes, text, context, alloc.describe)
        decision = config.wait_strategy(value, plan.attempt)
    except Exception as error:
        failed(state, plan, error)
    if not decision.should_continue:
        state.record(alloc.update("SUCCEED", payload=text))
        return value
    delay = max(1, decision.delay_seconds)
    state.record(alloc.update("RETRY", payload=text, next_attempt_delay_seconds=delay))
    raise TimedSuspendExecution.from_delay(f"{alloc.describe()} polls again in {delay} s", delay)


def failed(state: ExecutionState, plan: ConditionPlan, error: Exception) -> NoReturn:
    """Record the failure and raise `WaitForConditionError`."""
    if isinstance(error, InvocationError) and error.is_retryable():
        raise error
    recorded = ErrorObject.from_exception(error)
    state.record(plan.alloc.update("FAIL", error=recorded))
    raise_recorded(recorded, WaitForConditionError)
