"""The embedded local engine behind the `durable` command: executions in a SQLite
file, driven in real time by the process that runs them.

`LocalEngine(db_path)` starts executions of a handler named "module:function", invokes
the handler as Lambda would (again after every suspension, again after a crash), and
fires waits, retry delays and callback timeouts at the due times stored in the file.
Because every checkpoint is committed before the handler goes on, a process killed at
any point leaves an execution that `drive` continues from its last checkpoint.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from durable._core.wire import ErrorObject, OperationStatus, OperationType
from durable.execution import durable_execution
from durable.service.clock import RealClock
from durable.service.engine import Engine
from durable.service.sqlite_store import SqliteStore, StoreConflict
from durable.service.store import Execution
from durable.testing import LocalLambdaContext

DEFAULT_DB = Path(".durable") / "executions.db"
MAX_CONSECUTIVE_CRASHES = 20
POLL_SECONDS = 0.5  # how often a sleeping driver looks for answers from other processes


class LocalEngineError(Exception):
    """A problem the user can fix: an unknown execution, an unimportable handler."""


class ExecutionBusy(LocalEngineError):
    """Another live process is driving the execution."""

    def __init__(self, pid: int) -> None:
        super().__init__(f"process {pid} is driving this execution; it picks up new answers")
        self.pid = pid


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


class InvocationLost(Exception):
    """The process running an invocation ended before the invocation did."""


@dataclass
class Outcome:
    """Where an execution stands after `drive`: finished, or waiting on callbacks."""

    arn: str
    status: str  # SUCCEEDED, FAILED, TIMED_OUT, STOPPED, or WAITING
    result: str | None = None
    error: dict[str, Any] | None = None
    callbacks: list[tuple[str, str | None]] = field(default_factory=list)  # (id, name)


def load_handler(spec: str) -> Callable[..., Any]:
    """The durable handler named by `spec` ("module:function", module importable from
    the current directory); a plain function is wrapped with `durable_execution`."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise LocalEngineError(f"handler {spec!r} must be written MODULE:FUNCTION")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        target: Any = importlib.import_module(module_name)
    except Exception as error:
        raise LocalEngineError(
            f"cannot import module {module_name!r} of handler {spec!r}: "
            f"{type(error).__name__}: {error}"
        ) from None
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise LocalEngineError(f"module {module_name!r} has no {attribute!r}")
        target = getattr(target, part)
    if not callable(target):
        raise LocalEngineError(f"{spec!r} is not a function")
    if hasattr(target, "durable_handler"):
        return target  # type: ignore[no-any-return]
    return durable_execution(target)  # type: ignore[no-any-return]


def function_name_of(spec: str) -> str:
    """The Lambda function name used in ARNs for a handler spec (letters, digits, - and _)."""
    name = re.sub(r"[^A-Za-z0-9_-]", "-", spec.rpartition(":")[2])
    return name[:64] or "handler"


class LocalEngine:
    """The engine over a SQLite file, with a driver that runs handlers in real time."""

    def __init__(self, db_path: str | Path = DEFAULT_DB) -> None:
        self.store = SqliteStore(db_path)
        self.engine = Engine(RealClock(), self.store)
        self._handlers: dict[str, Callable[..., Any]] = {}

    def register(self, spec: str, handler: Callable[..., Any]) -> None:
        """Use `handler` for executions of `spec` instead of importing it."""
        self._handlers[spec] = handler

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    # -- lookups ---------------------------------------------------------------
    def resolve(self, key: str) -> str:
        """The ARN of the execution with this ARN or name."""
        arn = self.store.resolve(key)
        if arn is None:
            raise LocalEngineError(
                f"no execution {key!r} in {self.store.path}; `durable list` shows them"
            )
        return arn

    def execution(self, key: str) -> Execution:
        """The stored execution with this ARN or name, as the file has it now."""
        arn = self.resolve(key)
        self.store.refresh(arn)
        return self.engine.execution(arn)

    # -- running ---------------------------------------------------------------
    def start(
        self,
        spec: str,
        input_payload: str | None,
        name: str | None = None,
        *,
        handler: Callable[..., Any] | None = None,
    ) -> str:
        """Create an execution of the handler `spec` names ("module:function"; it must
        import, unless `handler` is the function itself); returns the ARN."""
        if handler is None and spec not in self._handlers:
            load_handler(spec)
        if name is not None and self.store.resolve(name) is not None:
            raise LocalEngineError(f"an execution named {name!r} already exists")
        return self.engine.start_execution(
            input_payload, function_name=function_name_of(spec), name=name, handler=spec
        )

    def drive(self, arn: str, *, handler: Callable[..., Any] | None = None) -> Outcome:
        """Invoke the handler and fire timers until the execution finishes or waits only
        on callbacks. Waits and retry delays elapse in real time. The handler is imported
        from the spec stored with the execution, unless given.

        One process drives an execution at a time: while another live process does,
        this raises `ExecutionBusy`.
        """
        other = self.store.claim(arn, os.getpid(), _process_alive)
        if other is not None:
            raise ExecutionBusy(other)
        try:
            return self._drive(arn, handler)
        finally:
            self.store.release(arn, os.getpid())

    def _drive(self, arn: str, handler: Callable[..., Any] | None) -> Outcome:
        self.store.refresh(arn)
        execution = self.engine.execution(arn)
        if handler is None:
            if not execution.handler:
                raise LocalEngineError(f"execution {execution.name} names no handler")
            handler = self._handlers.get(execution.handler) or load_handler(execution.handler)
        elif not hasattr(handler, "durable_handler"):
            handler = durable_execution(handler)
        self._account_for_lost_invocation(arn)
        crashes = 0
        while True:
            try:
                invoke = self._next_step(arn)
            except StoreConflict:
                continue  # another process moved it on; the next look reads its version
            if isinstance(invoke, Outcome):
                return invoke
            if not invoke:
                continue
            try:
                crashed = self._invoke(arn, handler)
            except StoreConflict:
                continue
            crashes = crashes + 1 if crashed else 0
            if crashes >= MAX_CONSECUTIVE_CRASHES:
                error = ErrorObject(
                    f"the handler crashed {crashes} invocations in a row", "InvocationsExhausted"
                )
                self.engine.fail_execution(arn, error)

    def _next_step(self, arn: str) -> Outcome | bool:
        """An Outcome when driving is over; True to invoke now; False after a timer
        fired or a pause, to look again."""
        engine = self.engine
        with engine.lock:
            self.store.refresh(arn)
            execution = engine.execution(arn)
            if execution.done:
                return self.outcome(arn)
            self._fail_invokes(execution)
            if execution.wake:
                return True
            timer = engine.next_due(arn)
            callback = engine.next_due(arn, callbacks=True)
            due = min((d for d in (timer, callback) if d is not None), default=None)
            now = engine.clock.now()
            if due is not None and due <= now:
                engine.fire_due(arn)
                return False
            if timer is None:
                return self.outcome(arn)
            pause = min((timer - now).total_seconds(), POLL_SECONDS)
        time.sleep(max(pause, 0.0))
        return False

    def _invoke(self, arn: str, handler: Callable[..., Any]) -> bool:
        """One invocation; True if it crashed."""
        engine = self.engine
        event = engine.invocation_event(arn)
        request_id = uuid.uuid4().hex
        started = engine.clock.now()
        context = LocalLambdaContext(request_id, engine.execution(arn).function_name)
        try:
            output = handler(event, context)
        except BaseException as crash:  # a crashed sandbox: Lambda invokes again
            engine.record_invocation(arn, request_id, started, None, crash)
            if not isinstance(crash, Exception):
                raise  # Ctrl-C, SystemExit: stop driving; `durable resume` continues
            return True
        engine.record_invocation(arn, request_id, started, output)
        return False

    def _account_for_lost_invocation(self, arn: str) -> None:
        """A token still set means the last invocation's process died mid-invocation:
        record that in the history, which also makes the handler run again."""
        with self.engine.lock:
            execution = self.engine.execution(arn)
            if execution.done or not execution.token:
                return
            last = execution.events[-1]["EventTimestamp"]
            lost = InvocationLost("the process running this invocation ended before it did")
            self.engine.record_invocation(arn, "lost-" + uuid.uuid4().hex, last, None, lost)

    def _fail_invokes(self, execution: Execution) -> None:
        """The local engine runs one handler; an invoke of another function fails."""
        for op_id in sorted(execution.waiting):
            op = execution.operations[op_id]
            if op.type is OperationType.CHAINED_INVOKE and not op.is_terminal:
                error = ErrorObject(
                    f"the local engine cannot invoke other functions ({op.name or op_id[:12]})",
                    "ResourceNotFoundException",
                )
                self.engine.complete_operation(
                    execution.arn, op_id, OperationStatus.FAILED, error=error
                )

    def outcome(self, arn: str) -> Outcome:
        """Where the execution stands now."""
        with self.engine.lock:
            execution = self.engine.execution(arn)
            if execution.done:
                error = execution.error.to_dict() if execution.error else None
                return Outcome(arn, execution.status, execution.result, error)
            waiting = [
                (op.callback_id or "", op.name)
                for op in execution.operations.values()
                if op.type is OperationType.CALLBACK and not op.is_terminal
            ]
            return Outcome(arn, "WAITING", callbacks=waiting)

    # -- callbacks -------------------------------------------------------------
    def answer_callback(
        self,
        callback_id: str,
        action: str,
        result: str | None = None,
        error: dict[str, Any] | None = None,
    ) -> str:
        """Succeed, fail or heartbeat a callback; returns the execution's ARN."""
        try:
            arn, op_id = self.engine.callback(callback_id)
        except KeyError:
            raise LocalEngineError(f"no callback with id {callback_id!r}") from None
        self.store.refresh(arn)
        engine = self.engine
        if action == "heartbeat":
            engine.heartbeat(callback_id)
        elif action == "succeed":
            engine.complete_operation(arn, op_id, OperationStatus.SUCCEEDED, result=result)
        else:
            failure = ErrorObject.from_dict(error or {})
            engine.complete_operation(arn, op_id, OperationStatus.FAILED, error=failure)
        return arn
