"""`AsyncDurableContext`: the asyncio driver, for `async def` handlers.

Its operations are coroutines; step and child functions may be `async def` or plain
functions. It runs on the same core as `DurableContext`, so the same handler written
either way records identical checkpoints.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from durable._core.wire import OperationSubType
from durable.batch import BatchItem, BatchResult
from durable.config import (
    BatchItemStatus,
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
from durable.context import DriverBase
from durable.decorators import operation_name
from durable.exceptions import (
    ChildContextError,
    ExecutionError,
    InvocationError,
    StepTimeoutError,
)
from durable.operations import batch as batch_op
from durable.operations import callback as callback_op
from durable.operations import child as child_op
from durable.operations import combinators
from durable.operations import condition as condition_op
from durable.operations import invoke as invoke_op
from durable.operations import step as step_op
from durable.operations import wait as wait_op
from durable.operations.callback import AsyncCallback
from durable.scheduling import off_the_loop, run_with_tasks
from durable.timeouts import with_timeout
from durable.types import (
    StepContext,
    WaitForCallbackContext,
    WaitForConditionCheckContext,
)
from durable.waits import WaitForConditionConfig

T = TypeVar("T")
U = TypeVar("U")


class AsyncDurableContext(DriverBase):
    """The durable context an `async def` handler receives (see `DurableContext`)."""

    async def step(
        self,
        func: Callable[[StepContext], Awaitable[T] | T],
        name: str | None = None,
        config: StepConfig | None = None,
    ) -> T:
        """Run `func(step_ctx)` (sync or async) once and checkpoint its result."""
        state, scope = self._state, self._scope
        plan = await off_the_loop(
            state,
            step_op.begin,
            state,
            scope,
            operation_name(name, func),
            config or step_op.DEFAULT_STEP_CONFIG,
        )
        if plan.replayed:
            state.settle(scope)
            return plan.value  # type: ignore[no-any-return]
        step_ctx = StepContext(self._attempt_logger(plan.alloc, plan.attempt), plan.attempt)
        timeout = plan.config.timeout
        try:
            if timeout is None:
                value: Any = func(step_ctx)
                if inspect.isawaitable(value):
                    value = await value
            else:
                value = await with_timeout(func, step_ctx, timeout.seconds)
        except TimeoutError as error:
            if timeout is not None and not isinstance(error, StepTimeoutError):
                error = StepTimeoutError(
                    f"{plan.alloc.describe()} attempt {plan.attempt} ran longer than its "
                    f"{timeout.seconds} s timeout"
                )
            await off_the_loop(state, step_op.failed, state, plan, error)
        except Exception as error:
            await off_the_loop(state, step_op.failed, state, plan, error)
        result = await off_the_loop(state, step_op.succeeded, state, plan, value)
        state.settle(scope)
        return result  # type: ignore[no-any-return]

    async def wait(self, duration: Duration, name: str | None = None) -> None:
        """Suspend the execution for `duration` (at least one second)."""
        await off_the_loop(self._state, wait_op.wait, self._state, self._scope, duration, name)
        self._state.settle(self._scope)

    async def run_in_child_context(
        self,
        func: Callable[[AsyncDurableContext], Awaitable[T] | T],
        name: str | None = None,
        config: ChildConfig[T] | None = None,
    ) -> T:
        """Run `func(child_ctx)` (sync or async) as one checkpointed operation."""
        cfg: ChildConfig[Any] = config or child_op.DEFAULT_CHILD_CONFIG
        sub_type = cfg.sub_type or OperationSubType.RUN_IN_CHILD_CONTEXT.value
        return await self._run_child(func, operation_name(name, func), cfg, sub_type)

    async def create_callback(
        self, name: str | None = None, config: CallbackConfig | None = None
    ) -> AsyncCallback:
        """Create a callback; `await callback.result()` suspends until it is answered."""
        cfg = config or callback_op.DEFAULT_CALLBACK_CONFIG
        alloc, callback_id = await off_the_loop(
            self._state, callback_op.create, self._state, self._scope, name, cfg
        )
        self._state.settle(self._scope)
        return AsyncCallback(self._state, alloc, callback_id, cfg.serdes)

    async def wait_for_callback(
        self,
        submitter: Callable[[str, WaitForCallbackContext], Any],
        name: str | None = None,
        config: WaitForCallbackConfig | None = None,
    ) -> Any:
        """Create a callback, run `submitter(callback_id, ctx)` (sync or async) as a
        step, and return the callback's answer (see `DurableContext.wait_for_callback`)."""
        name = operation_name(name, submitter)
        callback_name, step_name = callback_op.wait_for_callback_names(name)
        step_config = callback_op.submitter_step_config(config)

        async def body(ctx: AsyncDurableContext) -> Any:
            callback = await ctx.create_callback(name=callback_name, config=config)

            async def submit(step_ctx: StepContext) -> Any:
                outcome = submitter(callback.callback_id, WaitForCallbackContext(step_ctx.logger))
                return await outcome if inspect.isawaitable(outcome) else outcome

            await ctx.step(submit, name=step_name, config=step_config)
            return await callback.result()

        try:
            return await self._run_child(
                body, name, child_op.DEFAULT_CHILD_CONFIG, OperationSubType.WAIT_FOR_CALLBACK
            )
        except ChildContextError as error:
            raise callback_op.callback_failure(error) from error.__cause__

    async def wait_for_condition(
        self,
        check: Callable[[T, WaitForConditionCheckContext], Awaitable[T] | T],
        config: WaitForConditionConfig[T],
        name: str | None = None,
    ) -> T:
        """Poll `check(state, ctx)` (sync or async) until the wait strategy says stop."""
        state, scope = self._state, self._scope
        plan = await off_the_loop(state, condition_op.begin, state, scope, name, config, check)
        if plan.replayed:
            state.settle(scope)
            return plan.state  # type: ignore[no-any-return]
        check_ctx = WaitForConditionCheckContext(
            self._attempt_logger(plan.alloc, plan.attempt), plan.attempt
        )
        try:
            new_state: Any = check(plan.state, check_ctx)
            if inspect.isawaitable(new_state):
                new_state = await new_state
        except Exception as error:
            await off_the_loop(state, condition_op.failed, state, plan, error)
        result = await off_the_loop(state, condition_op.checked, state, plan, new_state)
        state.settle(scope)
        return result  # type: ignore[no-any-return]

    async def invoke(
        self,
        function_name: str,
        payload: Any,
        name: str | None = None,
        config: InvokeConfig[Any, Any] | None = None,
    ) -> Any:
        """Invoke the function `function_name` with `payload` (JSON by default) and
        return its result; the execution suspends while it runs. A failure raises
        `InvokeError`."""
        result = await off_the_loop(
            self._state,
            invoke_op.invoke,
            self._state,
            self._scope,
            function_name,
            payload,
            name,
            config or invoke_op.DEFAULT_INVOKE_CONFIG,
        )
        self._state.settle(self._scope)
        return result

    async def map(
        self,
        inputs: Sequence[U],
        func: Callable[[AsyncDurableContext, U, int, Sequence[U]], Awaitable[T] | T],
        name: str | None = None,
        config: MapConfig[U] | None = None,
    ) -> BatchResult[T]:
        """Run `func(ctx, item, index, items)` (sync or async) for every item, each in
        its own child context, as concurrent tasks (see `DurableContext.map`)."""
        spec, child_config = batch_op.map_spec(inputs, func, config)
        return await self._run_child(
            lambda ctx: ctx._run_batch(spec),
            operation_name(name, func),
            child_config,
            OperationSubType.MAP,
        )

    async def parallel(
        self,
        functions: Sequence[Callable[[AsyncDurableContext], Awaitable[T] | T] | ParallelBranch[T]],
        name: str | None = None,
        config: ParallelConfig | None = None,
    ) -> BatchResult[T]:
        """Run each `function(ctx)` (sync or async) in its own child context, as
        concurrent tasks (see `DurableContext.parallel`)."""
        spec, child_config = batch_op.parallel_spec(functions, config)
        return await self._run_child(
            lambda ctx: ctx._run_batch(spec), name, child_config, OperationSubType.PARALLEL
        )

    async def all(
        self,
        functions: Sequence[Callable[[AsyncDurableContext], Awaitable[T] | T]],
        name: str | None = None,
    ) -> list[T]:
        """Run every function concurrently, each in its own child context; return all
        results in order, or raise the first failure (`ChildContextError`)."""
        return await self._combine("all", functions, name)  # type: ignore[no-any-return]

    async def any(
        self,
        functions: Sequence[Callable[[AsyncDurableContext], Awaitable[T] | T]],
        name: str | None = None,
    ) -> T:
        """Run the functions concurrently; return the first success (replayed as
        recorded). Raises `BatchCompletionError` when every one fails."""
        return await self._combine("any", functions, name)  # type: ignore[no-any-return]

    async def race(
        self,
        functions: Sequence[Callable[[AsyncDurableContext], Awaitable[T] | T]],
        name: str | None = None,
    ) -> T:
        """Run the functions concurrently; the first to finish decides: its result,
        or its failure as `ChildContextError` (replayed as recorded)."""
        return await self._combine("race", functions, name)  # type: ignore[no-any-return]

    async def all_settled(
        self,
        functions: Sequence[Callable[[AsyncDurableContext], Awaitable[T] | T]],
        name: str | None = None,
    ) -> BatchResult[T]:
        """Run every function concurrently to completion; return the `BatchResult`
        with each one's result or error."""
        return await self._combine("all_settled", functions, name)  # type: ignore[no-any-return]

    async def _combine(self, kind: str, functions: Sequence[Any], name: str | None) -> Any:
        spec, child_config = combinators.spec(kind, functions)
        batch: BatchResult[Any] = await self._run_child(
            lambda ctx: ctx._run_batch(spec), name, child_config, child_config.sub_type or kind
        )
        return combinators.outcome(kind, batch)

    async def _run_batch(self, spec: batch_op.BatchSpec) -> BatchResult[Any]:
        record = batch_op.recorded_completion(self._state, self._scope)
        if record is not None:
            items: list[BatchItem[Any]] = []
            for entry in batch_op.replay_plan(self._state, self._scope, spec, record):
                if isinstance(entry, BatchItem):
                    items.append(entry)
                    continue
                try:
                    value = await self._run_item(spec, entry, None)
                except (ExecutionError, InvocationError):
                    raise
                except Exception as error:
                    failed: BatchItem[Any] = BatchItem(
                        entry, BatchItemStatus.FAILED, error=batch_op.item_error(error)
                    )
                    items.append(failed)
                    continue
                items.append(BatchItem(entry, BatchItemStatus.SUCCEEDED, value))
            return BatchResult(items, record.reason)
        coordinator = batch_op.Coordinator(spec)
        return await run_with_tasks(coordinator, lambda i, stop: self._run_item(spec, i, stop))

    async def _run_item(self, spec: batch_op.BatchSpec, index: int, stop: list[bool] | None) -> Any:
        return await self._run_child(
            spec.functions[index],
            spec.names[index],
            spec.item_config,
            spec.iteration_sub_type,
            op_id=batch_op.iteration_id(self._scope, index),
            stop=stop,
        )

    async def _run_child(
        self,
        func: Callable[[AsyncDurableContext], Awaitable[T] | T],
        name: str | None,
        config: ChildConfig[Any],
        sub_type: str,
        *,
        op_id: str | None = None,
        stop: list[bool] | None = None,
    ) -> T:
        state, scope = self._state, self._scope
        plan = await off_the_loop(
            state, child_op.begin, state, scope, name, config, sub_type, op_id=op_id, stop=stop
        )
        if plan.replayed:
            if op_id is None:
                state.settle(scope)
            return plan.value  # type: ignore[no-any-return]
        assert plan.scope is not None
        child = AsyncDurableContext(state, plan.scope, self.logger, self.lambda_context)
        try:
            value: Any = func(child)
            if inspect.isawaitable(value):
                value = await value
        except Exception as error:
            await off_the_loop(state, child_op.failed, state, plan, error)
        result = await off_the_loop(state, child_op.succeeded, state, plan, value)
        if op_id is None:
            state.settle(scope)
        return result  # type: ignore[no-any-return]
