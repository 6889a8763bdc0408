"""`DurableContext`: the sync driver. Handlers receive one and call its operations.

`DriverBase` holds what it shares with the async driver (`durable.aio`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from durable._core.state import Allocation, ExecutionState, Scope
from durable._core.wire import OperationSubType
from durable.batch import BatchItem, BatchResult
from durable.config import (
    CallbackConfig,
    ChildConfig,
    Duration,
    InvokeConfig,
    MapConfig,
    ParallelBranch,
    ParallelConfig,
    StepConfig,
    WaitForCallbackConfig,
)
from durable.decorators import operation_name
from durable.exceptions import ChildContextError
from durable.logger import DurableLogger, root_logger
from durable.operations import batch as batch_op
from durable.operations import callback as callback_op
from durable.operations import child as child_op
from durable.operations import combinators
from durable.operations import condition as condition_op
from durable.operations import invoke as invoke_op
from durable.operations import step as step_op
from durable.operations import wait as wait_op
from durable.operations.callback import Callback
from durable.scheduling import run_with_threads
from durable.timeouts import call_step
from durable.types import (
    LoggerInterface,
    StepContext,
    WaitForCallbackContext,
    WaitForConditionCheckContext,
)
from durable.waits import WaitForConditionConfig

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class ExecutionContext:
    """Read-only facts about the running execution."""

    durable_execution_arn: str


class DriverBase:
    """What the sync and async drivers share: construction, replay status, the logger."""

    def __init__(
        self,
        state: ExecutionState,
        scope: Scope,
        logger: DurableLogger | None = None,
        lambda_context: Any = None,
    ) -> None:
        self._state = state
        self._scope = scope
        self.lambda_context = lambda_context
        self.execution_context = ExecutionContext(state.arn)
        base = logger or root_logger(state.arn, self.is_replaying)
        self.logger: DurableLogger = base.with_replay_source(self.is_replaying)

    @property
    def is_virtual(self) -> bool:
        """True in a context that checkpoints no start or end of its own (the items of a
        FLAT map or parallel): its operations record the enclosing context as parent,
        while their Ids still derive from this context's own Id."""
        return self._scope.virtual

    def is_replaying(self) -> bool:
        """True while this context replays operations recorded by earlier invocations."""
        return self._scope.replaying

    def set_logger(self, new_logger: LoggerInterface) -> None:
        """Log through `new_logger` (still silent while replaying)."""
        self.logger = self.logger.with_target(new_logger)

    def configure_logger(
        self, logger: LoggerInterface | None = None, *, mode_aware: bool = True
    ) -> None:
        """Set the logger and whether it is silent while replaying (`mode_aware`);
        `mode_aware=False` logs on every replay too, to watch re-execution."""
        self.logger = self.logger.with_target(logger, mode_aware)

    def _attempt_logger(self, alloc: Allocation, attempt: int) -> DurableLogger:
        """The logger of one attempt of a step or condition check."""
        return self.logger.with_fields(
            operationId=alloc.id, operationName=alloc.name, attempt=attempt
        )


class DurableContext(DriverBase):
    """The durable context a sync handler receives.

    Every operation is checkpointed. When the handler resumes, it runs again from the
    top and completed operations return their recorded results instead of running.
    """

    def step(
        self,
        func: Callable[[StepContext], T],
        name: str | None = None,
        config: StepConfig | None = None,
    ) -> T:
        """Run `func(step_ctx)` once and checkpoint its result.

        On replay the recorded result is returned without running `func`. A failure
        is retried by `config.retry_strategy` (the execution suspends between
        attempts) and finally raises `StepError`.
        """
        state, scope = self._state, self._scope
        plan = step_op.begin(state, scope, operation_name(name, func), config or _STEP_DEFAULTS)
        if plan.replayed:
            state.settle(scope)
            return plan.value  # type: ignore[no-any-return]
        step_ctx = StepContext(self._attempt_logger(plan.alloc, plan.attempt), plan.attempt)
        try:
            value = call_step(func, step_ctx, plan.config.timeout, plan.alloc.describe())
        except Exception as error:
            step_op.failed(state, plan, error)
        result = step_op.succeeded(state, plan, value)
        state.settle(scope)
        return result  # type: ignore[no-any-return]

    def wait(self, duration: Duration, name: str | None = None) -> None:
        """Suspend the execution for `duration` (at least one second)."""
        wait_op.wait(self._state, self._scope, duration, name)
        self._state.settle(self._scope)

    def run_in_child_context(
        self,
        func: Callable[[DurableContext], T],
        name: str | None = None,
        config: ChildConfig[T] | None = None,
    ) -> T:
        """Run `func(child_ctx)` as one checkpointed operation holding its own
        operations; on replay its recorded result returns without running `func`."""
        cfg: ChildConfig[Any] = config or child_op.DEFAULT_CHILD_CONFIG
        sub_type = cfg.sub_type or OperationSubType.RUN_IN_CHILD_CONTEXT.value
        return self._run_child(func, operation_name(name, func), cfg, sub_type)

    def create_callback(
        self, name: str | None = None, config: CallbackConfig | None = None
    ) -> Callback:
        """Create a callback: give `callback.callback_id` to an external system, which
        answers through the service; `callback.result()` suspends until it does."""
        cfg = config or callback_op.DEFAULT_CALLBACK_CONFIG
        alloc, callback_id = callback_op.create(self._state, self._scope, name, cfg)
        self._state.settle(self._scope)
        return Callback(self._state, alloc, callback_id, cfg.serdes)

    def wait_for_callback(
        self,
        submitter: Callable[[str, WaitForCallbackContext], Any],
        name: str | None = None,
        config: WaitForCallbackConfig | None = None,
    ) -> Any:
        """Create a callback, run `submitter(callback_id, ctx)` as a step to hand the id
        to an external system, and return the callback's answer.

        Raises `CallbackTimeoutError` / `CallbackExternalError` when the callback
        fails and `CallbackSubmitterError` when the submitter step does.
        """
        name = operation_name(name, submitter)
        callback_name, step_name = callback_op.wait_for_callback_names(name)
        step_config = callback_op.submitter_step_config(config)

        def body(ctx: DurableContext) -> Any:
            callback = ctx.create_callback(name=callback_name, config=config)

            def submit(step_ctx: StepContext) -> Any:
                return submitter(callback.callback_id, WaitForCallbackContext(step_ctx.logger))

            ctx.step(submit, name=step_name, config=step_config)
            return callback.result()

        try:
            return self._run_child(
                body, name, child_op.DEFAULT_CHILD_CONFIG, OperationSubType.WAIT_FOR_CALLBACK
            )
        except ChildContextError as error:
            raise callback_op.callback_failure(error) from error.__cause__

    def wait_for_condition(
        self,
        check: Callable[[T, WaitForConditionCheckContext], T],
        config: WaitForConditionConfig[T],
        name: str | None = None,
    ) -> T:
        """Poll `check(state, ctx) -> new state` until `config.wait_strategy` says stop;
        returns the final state. The execution suspends between polls."""
        state, scope = self._state, self._scope
        plan = condition_op.begin(state, scope, name, config, check)
        if plan.replayed:
            state.settle(scope)
            return plan.state  # type: ignore[no-any-return]
        check_ctx = WaitForConditionCheckContext(
            self._attempt_logger(plan.alloc, plan.attempt), plan.attempt
        )
        try:
            new_state = check(plan.state, check_ctx)
        except Exception as error:
            condition_op.failed(state, plan, error)
        result = condition_op.checked(state, plan, new_state)
        state.settle(scope)
        return result  # type: ignore[no-any-return]

    def invoke(
        self,
        function_name: str,
        payload: Any,
        name: str | None = None,
        config: InvokeConfig[Any, Any] | None = None,
    ) -> Any:
        """Invoke the function `function_name` with `payload` (JSON by default) and
        return its result; the execution suspends while it runs. A failure raises
        `InvokeError`."""
        result = invoke_op.invoke(
            self._state,
            self._scope,
            function_name,
            payload,
            name,
            config or invoke_op.DEFAULT_INVOKE_CONFIG,
        )
        self._state.settle(self._scope)
        return result

    def map(
        self,
        inputs: Sequence[U],
        func: Callable[[DurableContext, U, int, Sequence[U]], T],
        name: str | None = None,
        config: MapConfig[U] | None = None,
    ) -> BatchResult[T]:
        """Run `func(ctx, item, index, items)` for every item, each in its own child
        context, concurrently up to `config.max_concurrency`. Failed items do not fail
        the map: inspect the `BatchResult` (or call `throw_if_error()`)."""
        spec, child_config = batch_op.map_spec(inputs, func, config)
        return self._run_child(
            lambda ctx: ctx._run_batch(spec),
            operation_name(name, func),
            child_config,
            OperationSubType.MAP,
        )

    def parallel(
        self,
        functions: Sequence[Callable[[DurableContext], T] | ParallelBranch[T]],
        name: str | None = None,
        config: ParallelConfig | None = None,
    ) -> BatchResult[T]:
        """Run each `function(ctx)` in its own child context, concurrently up to
        `config.max_concurrency`; returns a `BatchResult`."""
        spec, child_config = batch_op.parallel_spec(functions, config)
        return self._run_child(
            lambda ctx: ctx._run_batch(spec), name, child_config, OperationSubType.PARALLEL
        )

    def all(
        self, functions: Sequence[Callable[[DurableContext], T]], name: str | None = None
    ) -> list[T]:
        """Run every function concurrently, each in its own child context; return all
        results in order, or raise the first failure (`ChildContextError`)."""
        return self._combine("all", functions, name)  # type: ignore[no-any-return]

    def any(self, functions: Sequence[Callable[[DurableContext], T]], name: str | None = None) -> T:
        """Run the functions concurrently; return the first success (replayed as
        recorded). Raises `BatchCompletionError` when every one fails."""
        return self._combine("any", functions, name)  # type: ignore[no-any-return]

    def race(
        self, functions: Sequence[Callable[[DurableContext], T]], name: str | None = None
    ) -> T:
        """Run the functions concurrently; the first to finish decides: its result,
        or its failure as `ChildContextError` (replayed as recorded)."""
        return self._combine("race", functions, name)  # type: ignore[no-any-return]

    def all_settled(
        self, functions: Sequence[Callable[[DurableContext], T]], name: str | None = None
    ) -> BatchResult[T]:
        """Run every function concurrently to completion; return the `BatchResult`
        with each one's result or error."""
        return self._combine("all_settled", functions, name)  # type: ignore[no-any-return]

    def _combine(self, kind: str, functions: Sequence[Any], name: str | None) -> Any:
        spec, child_config = combinators.spec(kind, functions)
        batch = self._run_child(
            lambda ctx: ctx._run_batch(spec), name, child_config, child_config.sub_type or kind
        )
        return combinators.outcome(kind, batch)

    def _run_batch(self, spec: batch_op.BatchSpec) -> BatchResult[Any]:
        record = batch_op.recorded_completion(self._state, self._scope)
        if record is not None:
            plan = batch_op.replay_plan(self._state, self._scope, spec, record)
            items = [
                entry
                if isinstance(entry, BatchItem)
                else batch_op.replayed_item(
                    entry, functools.partial(self._run_item, spec, entry, None)
                )
                for entry in plan
            ]
            return BatchResult(items, record.reason)
        coordinator = batch_op.Coordinator(spec)
        return run_with_threads(coordinator, lambda i, stop: self._run_item(spec, i, stop))

    def _run_item(self, spec: batch_op.BatchSpec, index: int, stop: list[bool] | None) -> Any:
        return self._run_child(
            spec.functions[index],
            spec.names[index],
            spec.item_config,
            spec.iteration_sub_type,
            op_id=batch_op.iteration_id(self._scope, index),
            stop=stop,
        )

    def _run_child(
        self,
        func: Callable[[DurableContext], T],
        name: str | None,
        config: ChildConfig[Any],
        sub_type: str,
        *,
        op_id: str | None = None,
        stop: list[bool] | None = None,
    ) -> T:
        state, scope = self._state, self._scope
        plan = child_op.begin(state, scope, name, config, sub_type, op_id=op_id, stop=stop)
        if plan.replayed:
            if op_id is None:
                state.settle(scope)
            return plan.value  # type: ignore[no-any-return]
        assert plan.scope is not None
        child = DurableContext(state, plan.scope, self.logger, self.lambda_context)
        try:
            value = func(child)
            if inspect.iscoroutine(value):
                value.close()  # unrun; fails below as a result that cannot be serialized
        except Exception as error:
            child_op.failed(state, plan, error)
        result = child_op.succeeded(state, plan, value)
        if op_id is None:
            state.settle(scope)
        return result  # type: ignore[no-any-return]


_STEP_DEFAULTS = step_op.DEFAULT_STEP_CONFIG
