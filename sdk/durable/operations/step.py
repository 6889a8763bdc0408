"""`step`: run a function once, checkpoint its result, retry it on failure.

First run: START, run the function, SUCCEED (or RETRY and suspend, or FAIL).
Replay: a SUCCEEDED step returns its recorded result; a FAILED one raises the
recorded error; a PENDING one (waiting for its retry) suspends again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from durable._core.state import CHECKPOINT_PAYLOAD_LIMIT, Allocation, ExecutionState, Scope
from durable._core.wire import ErrorObject, OperationStatus, OperationType
from durable.config import StepConfig, StepSemantics
from durable.exceptions import (
    ExecutionError,
    InvocationError,
    SerDesError,
    StepError,
    StepInterruptedError,
    SuspendExecution,
    TimedSuspendExecution,
)
from durable.operations.outcome import payload_too_large, raise_recorded, read_recorded
from durable.retries import RetryPresets, RetryStrategy
from durable.serdes import serialize_for_operation

DEFAULT_STEP_CONFIG = StepConfig()
_DEFAULT_RETRY: RetryStrategy = RetryPresets.default()


@dataclass(slots=True)
class StepPlan:
    """What `begin` decided: a replayed value, or an attempt to run."""

    alloc: Allocation
    config: StepConfig
    replayed: bool
    value: Any = None
    attempt: int = 1


def begin(state: ExecutionState, scope: Scope, name: str | None, config: StepConfig) -> StepPlan:
    """Replay the step or prepare an attempt (recording START when needed)."""
    alloc = state.allocate(scope, OperationType.STEP, config.sub_type or "Step", name)
    op = alloc.existing
    at_most_once = config.step_semantics is StepSemantics.AT_MOST_ONCE_PER_RETRY
    if op is None:
        state.record(alloc.update("START"), durable=at_most_once)
        return StepPlan(alloc, config, replayed=False)
    if op.status is OperationStatus.SUCCEEDED:
        value = read_recorded(state, alloc, config.serdes, op.result)
        return StepPlan(alloc, config, replayed=True, value=value)
    if op.is_terminal:
        raise_recorded(op.error, StepError)
    if op.status is OperationStatus.PENDING:
        raise _suspend_until(op.next_attempt_timestamp, f"{alloc.describe()} waits to retry")
    plan = StepPlan(alloc, config, replayed=False, attempt=op.attempt + 1)
    if op.status is OperationStatus.STARTED and at_most_once:
        failed(
            state,
            plan,
            StepInterruptedError(
                f"{alloc.describe()} started in an earlier invocation and did not finish; "
                "at-most-once steps are not run again",
                step_id=alloc.id,
            ),
        )
    if op.status is OperationStatus.READY:
        state.record(alloc.update("START"), durable=at_most_once)
    return plan


def succeeded(state: ExecutionState, plan: StepPlan, value: Any) -> Any:
    """Checkpoint the attempt's result; returns it as replay will (round-tripped)."""
    alloc, config = plan.alloc, plan.config
    context = state.serdes_context(alloc.id)
    try:
        text = serialize_for_operation(config.serdes, value, context, alloc.describe)
        if text is not None and (size := payload_too_large(text, CHECKPOINT_PAYLOAD_LIMIT)):
            raise SerDesError(
                f"the result of {alloc.describe()} is {size // 1024} KiB, over the 256 KiB "
                "checkpoint limit; return something smaller (for example a key to data stored "
                "elsewhere)"
            )
        result = read_recorded(state, alloc, config.serdes, text)
    except SerDesError as error:
        recorded = ErrorObject.from_exception(error)
        state.record(alloc.update("FAIL", error=recorded))
        raise_recorded(recorded, StepError)
    at_most_once = config.step_semantics is StepSemantics.AT_MOST_ONCE_PER_RETRY
    state.record(alloc.update("SUCCEED", payload=text), durable=at_most_once)
    return result


def failed(state: ExecutionState, plan: StepPlan, error: Exception) -> NoReturn:
    """Ask the retry strategy: RETRY and suspend, or FAIL and raise `StepError`."""
    if isinstance(error, ExecutionError | InvocationError) and not isinstance(
        error, StepInterruptedError
    ):
        raise error
    alloc = plan.alloc
    recorded = ErrorObject.from_exception(error)
    strategy = plan.config.retry_strategy or _DEFAULT_RETRY
    decision = strategy(error, plan.attempt)
    if decision.should_retry:
        delay = max(1, decision.delay_seconds)
        state.record(alloc.update("RETRY", error=recorded, next_attempt_delay_seconds=delay))
        raise TimedSuspendExecution.from_delay(f"{alloc.describe()} retries in {delay} s", delay)
    state.record(alloc.update("FAIL", error=recorded))
    raise_recorded(recorded, StepError)


def _suspend_until(moment: datetime | None, message: str) -> SuspendExecution:
    if moment is None:
        return SuspendExecution(message)
    return TimedSuspendExecution(message, moment.timestamp())
