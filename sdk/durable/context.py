"""`DurableContext`: the sync driver. Handlers receive one and call its operations."""

from __future__ import annotations

import contextvars
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from durable._core.state import ExecutionState, Scope
from durable._core.wire import OperationSubType
from durable.config import (
    CallbackConfig,
    ChildConfig,
    Duration,
    InvokeConfig,
    StepConfig,
    WaitForCallbackConfig,
)
from durable.decorators import operation_name
from durable.exceptions import ChildContextError, StepTimeoutError, ValidationError
from durable.logger import DurableLogger, root_logger
from durable.operations import callback as callback_op
from durable.operations import child as child_op
from durable.operations import condition as condition_op
from durable.operations import invoke as invoke_op
from durable.operations import step as step_op
from durable.operations import wait as wait_op
from durable.operations.callback import Callback
from durable.types import (
    LoggerInterface,
    StepContext,
    WaitForCallbackContext,
    WaitForConditionCheckContext,
)
from durable.waits import WaitForConditionConfig

T = TypeVar("T")


@dataclass(frozen=True)
class ExecutionContext:
    """Read-only facts about the running execution."""

    durable_execution_arn: str


class DurableContext:
    """The durable context a sync handler receives.

    Every operation is checkpointed. When the handler resumes, it runs again from the
    top and completed operations return their recorded results instead of running.
    """

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

    def is_replaying(self) -> bool:
        """True while this context replays operations recorded by earlier invocations."""
        return self._scope.replaying

    def set_logger(self, new_logger: LoggerInterface) -> None:
        """Log through `new_logger` (still silent while replaying)."""
        self.logger = self.logger.with_target(new_logger)

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
        step_ctx = StepContext(
            logger=self.logger.with_fields(
                operationId=plan.alloc.id, operationName=plan.alloc.name, attempt=plan.attempt
            ),
            attempt=plan.attempt,
        )
        try:
            value = _call_step(func, step_ctx, plan.config.timeout, plan.alloc.describe())
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
        step_config = (
            StepConfig(retry_strategy=config.retry_strategy, serdes=config.serdes)
            if config
            else None
        )

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
            logger=self.logger.with_fields(
                operationId=plan.alloc.id, operationName=plan.alloc.name, attempt=plan.attempt
            ),
            attempt=plan.attempt,
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

    def _run_child(
        self,
        func: Callable[[DurableContext], T],
        name: str | None,
        config: ChildConfig[Any],
        sub_type: str,
    ) -> T:
        state, scope = self._state, self._scope
        plan = child_op.begin(state, scope, name, config, sub_type)
        if plan.replayed:
            state.settle(scope)
            return plan.value  # type: ignore[no-any-return]
        assert plan.scope is not None
        child = DurableContext(state, plan.scope, self.logger, self.lambda_context)
        try:
            value = func(child)
            if inspect.iscoroutine(value):
                value.close()
                raise ValidationError(
                    f"{plan.alloc.describe()} is an async function; use an async def "
                    "handler (AsyncDurableContext) to run async child contexts"
                )
        except Exception as error:
            child_op.failed(state, plan, error)
        result = child_op.succeeded(state, plan, value)
        state.settle(scope)
        return result  # type: ignore[no-any-return]


_STEP_DEFAULTS = step_op.DEFAULT_STEP_CONFIG


def _call_step(
    func: Callable[[StepContext], T], step_ctx: StepContext, timeout: Duration | None, what: str
) -> T:
    if timeout is None:
        value = func(step_ctx)
    else:
        value = _call_with_timeout(func, step_ctx, timeout.seconds, what)
    if inspect.iscoroutine(value):
        value.close()
        raise ValidationError(
            f"{what} is an async function; use an async def handler (AsyncDurableContext) "
            "to run async steps"
        )
    return value


def _call_with_timeout(
    func: Callable[[StepContext], T], step_ctx: StepContext, seconds: int, what: str
) -> T:
    outcome: list[Any] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()

    def attempt() -> None:
        try:
            outcome.append(context.run(func, step_ctx))
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)

    # A daemon thread: a hung attempt cannot be killed, only abandoned.
    worker = threading.Thread(target=attempt, name="durable-step", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise StepTimeoutError(
            f"{what} attempt {step_ctx.attempt} ran longer than its {seconds} s timeout"
        )
    if failure:
        raise failure[0]
    return outcome[0]  # type: ignore[no-any-return]
