"""`LocalDurableTestRunner`: run durable handlers in-process, as Lambda and the
service would, with waits and retry delays skipped on a virtual clock."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from durable._core.wire import (
    ErrorObject,
    Operation,
    OperationStatus,
    OperationType,
    OperationUpdate,
)
from durable.execution import durable_execution
from durable.service.clock import Clock, RealClock, VirtualClock
from durable.service.engine import Engine
from durable.service.transitions import CheckpointRejected
from durable.testing.result import TestResult

MAX_CONSECUTIVE_CRASHES = 20


@dataclass(frozen=True)
class LocalLambdaContext:
    """The Lambda context the runner passes to handlers."""

    aws_request_id: str
    function_name: str = "handler"

    def get_remaining_time_in_millis(self) -> int:
        """Local invocations have no deadline; this reports 15 minutes."""
        return 900_000

    def log(self, msg: str) -> None:
        """Write `msg` to standard output, as Lambda writes it to the log stream."""
        sys.stdout.write(msg)


def _as_durable(handler: Callable[..., Any]) -> Callable[..., Any]:
    if hasattr(handler, "durable_handler"):
        return handler
    return durable_execution(handler)  # type: ignore[no-any-return]


class LocalDurableTestRunner:
    """Runs a durable handler on the in-process engine.

        with LocalDurableTestRunner(handler) as runner:
            result = runner.run({"order_id": "o-1"})
            assert result.status == "SUCCEEDED"

    `handler` may be decorated with `@durable_execution` or not. With `skip_time`
    (the default) waits and retry delays take no real time, and a callback times out
    once nothing has happened for `callback_grace` (0.2) seconds. An exception escaping
    an invocation (other than the SDK's suspension, BaseException included) is a
    failed invocation: it is recorded and the handler is invoked again.
    """

    def __init__(self, handler: Callable[..., Any], *, skip_time: bool = True) -> None:
        self.clock: Clock = VirtualClock() if skip_time else RealClock()
        self.engine = Engine(self.clock)
        self.engine.on_invoke = self._on_invoke
        self.engine.invoke_preflight = self._unknown_function
        self._handler = _as_durable(handler)
        self._handlers: dict[str, Callable[..., Any]] = {}
        self._functions: dict[str, tuple[Callable[..., Any], bool]] = {}
        self._closed = False
        self.callback_grace = 0.2

    def __enter__(self) -> LocalDurableTestRunner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop driving executions (running handler code finishes on its own)."""
        with self.engine.lock:
            self._closed = True
            self.engine.changed.notify_all()

    # -- registry for invoke ---------------------------------------------------
    def register_function(self, name: str, handler: Callable[..., Any]) -> None:
        """Make `handler(event, context)`, a plain Lambda handler, invokable by `name`."""
        self._functions[name] = (handler, False)

    def register_durable_function(self, name: str, handler: Callable[..., Any]) -> None:
        """Make a durable handler invokable by `name` (it runs as its own execution)."""
        self._functions[name] = (_as_durable(handler), True)

    # -- running ---------------------------------------------------------------
    def run(self, input: Any = None, *, timeout: float = 60) -> TestResult:
        """Run the handler with `input` (any JSON-serialisable value; None sends no
        input, and the handler receives `{}` as on Lambda) to a terminal status."""
        return self.wait_for_result(self.start(input), timeout=timeout)

    def start(self, input: Any = None) -> str:
        """Start an execution without waiting; returns its ARN."""
        try:
            payload = None if input is None else json.dumps(input)
        except (TypeError, ValueError) as error:
            raise ValueError(f"the input must be JSON-serialisable: {error}") from None
        return self._start(self._handler, payload, "handler")

    def _start(self, handler: Callable[..., Any], payload: str | None, function: str) -> str:
        arn = self.engine.start_execution(payload, function_name=function)
        self._handlers[arn] = handler
        threading.Thread(
            target=self._drive, args=(arn,), name=f"durable-{function}", daemon=True
        ).start()
        return arn

    def wait_for_result(self, arn: str, *, timeout: float = 60) -> TestResult:
        """Wait until the execution finishes; returns its `TestResult`."""
        deadline = time.monotonic() + timeout
        with self.engine.lock:
            execution = self.engine.execution(arn)
            while not execution.done:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"the execution did not finish within {timeout} s "
                        f"({len(execution.invocations)} invocations so far; is it waiting "
                        "for a callback?)"
                    )
                self.engine.changed.wait(left)
            return TestResult(execution, self.engine.history(arn))

    def history(self, arn: str) -> list[dict[str, Any]]:
        """The history so far, also while the execution runs."""
        return self.engine.history(arn)

    def _drive(self, arn: str) -> None:
        try:
            self._invoke_until_done(arn)
        except Exception as error:  # a bug on the service side must not hang the test
            failure = ErrorObject(f"the local runner failed: {error}", "LocalRunnerError")
            self.engine.fail_execution(arn, failure)

    def _invoke_until_done(self, arn: str) -> None:
        engine, handler = self.engine, self._handlers[arn]
        crashes = 0
        while self._wait_for_work(arn):
            event = engine.invocation_event(arn)
            request_id = uuid.uuid4().hex
            started = self.clock.now()
            try:
                output = handler(event, LocalLambdaContext(request_id))
            except BaseException as crash:  # a crashed sandbox: Lambda invokes again
                engine.record_invocation(arn, request_id, started, None, crash)
                crashes += 1
                if crashes >= MAX_CONSECUTIVE_CRASHES:
                    engine.fail_execution(
                        arn,
                        ErrorObject(
                            f"the handler crashed {crashes} invocations in a row; last: "
                            f"{type(crash).__name__}: {crash}",
                            "InvocationsExhausted",
                        ),
                    )
                    return
                continue
            crashes = 0
            engine.record_invocation(arn, request_id, started, output)

    def _wait_for_work(self, arn: str) -> bool:
        """Block until the execution needs an invocation; False when it is over.

        Waits and retry delays fire at once on the virtual clock. A callback's
        timeout fires once nothing has happened for `callback_grace` seconds of real
        time, so a test can still answer the callback first. Timers fire in time
        order, and the first that wakes the execution ends the wait.
        """
        engine = self.engine
        with engine.lock:
            execution = engine.execution(arn)
            while not self._closed and not execution.done and not execution.wake:
                timer = engine.next_due(arn)
                callback = engine.next_due(arn, callbacks=True)
                # The clock moves to the earliest timer only: each timer that ends a
                # suspension re-invokes the handler before a later one may fire.
                if (
                    timer is not None
                    and self.clock.virtual
                    and (callback is None or timer < callback)
                ):
                    self.clock.advance_to(timer)
                    engine.fire_due(arn)
                    continue
                if callback is not None and self.clock.virtual:
                    version = execution.version
                    engine.changed.wait(self.callback_grace)
                    if execution.version == version and not execution.wake:
                        self.clock.advance_to(callback)
                        engine.fire_due(arn)
                    continue
                due = min((d for d in (timer, callback) if d is not None), default=None)
                if due is None:
                    engine.changed.wait()
                    continue
                left = (due - self.clock.now()).total_seconds()
                if left > 0:
                    engine.changed.wait(left)
                else:
                    engine.fire_due(arn)
            return not self._closed and not execution.done

    # -- callbacks -------------------------------------------------------------
    def wait_for_callback(self, arn: str, name: str | None = None, *, timeout: float = 60) -> str:
        """Block until a callback (named `name`, or any) is open; returns its id."""
        deadline = time.monotonic() + timeout
        with self.engine.lock:
            execution = self.engine.execution(arn)
            while True:
                for op in execution.operations.values():
                    if self._is_open_callback(execution.operations, op, name):
                        assert op.callback_id is not None
                        return op.callback_id
                left = deadline - time.monotonic()
                if left <= 0 or execution.done:
                    which = f"named {name!r} " if name else ""
                    raise TimeoutError(f"no callback {which}was started within {timeout} s")
                self.engine.changed.wait(left)

    def pending_callbacks(self, arn: str) -> list[dict[str, Any]]:
        """The callbacks the execution waits on: Name, CallbackId, Id, ParentId."""
        with self.engine.lock:
            ops = self.engine.execution(arn).operations
            return [
                {
                    "Name": op.name,
                    "CallbackId": op.callback_id,
                    "Id": op.id,
                    "ParentId": op.parent_id,
                }
                for op in ops.values()
                if op.type is OperationType.CALLBACK and not op.is_terminal
            ]

    @staticmethod
    def _is_open_callback(ops: dict[str, Operation], op: Operation, name: str | None) -> bool:
        if op.type is not OperationType.CALLBACK or op.is_terminal:
            return False
        if name is None or op.name == name:
            return True
        parent = ops.get(op.parent_id) if op.parent_id else None
        return parent is not None and parent.name == name

    def send_callback_success(self, callback_id: str, result: str | None = None) -> None:
        """Complete a callback with `result` (its raw text). An empty result is no
        result, as for the service's `SendDurableExecutionCallbackSuccess` blob."""
        arn, op_id = self.engine.callback(callback_id)
        self.engine.complete_operation(arn, op_id, OperationStatus.SUCCEEDED, result=result or None)

    def send_callback_failure(self, callback_id: str, error: dict[str, Any] | None = None) -> None:
        """Fail a callback with `error` (ErrorObject fields: ErrorMessage, ErrorType, ...)."""
        arn, op_id = self.engine.callback(callback_id)
        self.engine.complete_operation(
            arn, op_id, OperationStatus.FAILED, error=ErrorObject.from_dict(error or {})
        )

    def send_callback_heartbeat(self, callback_id: str) -> None:
        """Record a heartbeat of a callback (resets its heartbeat timeout)."""
        self.engine.heartbeat(callback_id)

    # -- invoke ----------------------------------------------------------------
    def _unknown_function(self, name: str) -> ErrorObject | None:
        """Fail an invoke of a function nobody registered in its START checkpoint's
        response, as the service does for a target it cannot resolve."""
        if name in self._functions:
            return None
        return ErrorObject(
            f"no function named {name!r} is registered with the test runner; call "
            "register_function or register_durable_function first",
            "ResourceNotFoundException",
        )

    def _on_invoke(self, arn: str, op: Operation, update: OperationUpdate) -> dict[str, str]:
        """Start the target of a chained invoke; returns the ChainedInvokeStarted
        fields the service fills in (the version run, the target's execution ARN)."""
        name = update.function_name or ""
        target = {"ExecutedVersion": "$LATEST"}
        child_arn: str | None = None
        handler, durable = self._functions[name]  # known: `_unknown_function` let it start
        if durable:
            child_arn = self._start(handler, update.payload, name)
            target["DurableExecutionArn"] = child_arn
        threading.Thread(
            target=self._run_invoke,
            args=(arn, op.id, name, update.payload, child_arn),
            daemon=True,
        ).start()
        return target

    def _run_invoke(
        self, arn: str, op_id: str, name: str, payload: str | None, child_arn: str | None
    ) -> None:
        # The caller may finish (or be stopped) before the invoked function does.
        with contextlib.suppress(CheckpointRejected):
            self._invoke_function(arn, op_id, name, payload, child_arn)

    def _invoke_function(
        self, arn: str, op_id: str, name: str, payload: str | None, child_arn: str | None
    ) -> None:
        engine = self.engine
        if child_arn is not None:
            child = self.wait_for_result(child_arn, timeout=3600)
            if child.status == "SUCCEEDED":
                engine.complete_operation(
                    arn, op_id, OperationStatus.SUCCEEDED, result=child.raw_result
                )
            else:
                failure = ErrorObject.from_dict(child.error or {})
                engine.complete_operation(arn, op_id, OperationStatus.FAILED, error=failure)
            return
        handler, _ = self._functions[name]
        try:
            event = json.loads(payload) if payload else None
            text = json.dumps(handler(event, LocalLambdaContext(uuid.uuid4().hex, name)))
        except Exception as error:
            engine.complete_operation(
                arn, op_id, OperationStatus.FAILED, error=ErrorObject.from_exception(error)
            )
            return
        engine.complete_operation(arn, op_id, OperationStatus.SUCCEEDED, result=text)
