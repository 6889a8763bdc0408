"""An in-process durable-execution engine: the service side for local runs and tests.

It keeps executions in a `Store` (memory by default, or SQLite), applies checkpoints
with the service's rules (`transitions`), keeps the history in the service's event
format, and runs the timers of waits, step retries and callback timeouts on a `Clock`.
It is a `Checkpointer`, and hands handlers events that carry it (`LocalInvocationEvent`).
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from durable._core.checkpoint import CheckpointResult, StatePage
from durable._core.wire import (
    ErrorObject,
    InvocationInput,
    Operation,
    OperationAction,
    OperationStatus,
    OperationType,
    OperationUpdate,
)
from durable.exceptions import CheckpointError
from durable.service.clock import Clock
from durable.service.history import HistoryEvent, error_block, event, result_block
from durable.service.invocations import invocation_outcome
from durable.service.store import Execution, MemoryStore, Store
from durable.service.transitions import (
    CheckpointRejected,
    apply,
    check_identity,
    check_shape,
    finish,
)

PAGE_SIZE = 1000
_EVENT_SUFFIX = {
    OperationStatus.SUCCEEDED: "Succeeded",
    OperationStatus.FAILED: "Failed",
    OperationStatus.TIMED_OUT: "TimedOut",
    OperationStatus.STOPPED: "Stopped",
    OperationStatus.CANCELLED: "Failed",
}


class LocalInvocationEvent(dict[str, Any]):
    """A durable invocation event that also carries the checkpointer to use."""

    checkpointer: Any = None


class Engine:
    """Executions in a store, checkpoints validated like the service does.

    Every applied change is saved through the store under the engine's lock: one
    `save` per checkpoint, fired timer, answered callback or finished invocation.
    """

    def __init__(self, clock: Clock, store: Store | None = None) -> None:
        self.clock = clock
        self.store: Store = store if store is not None else MemoryStore()
        self._tokens = itertools.count(1)
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        # Starts the target of a CHAINED_INVOKE; returns what the service adds to the
        # ChainedInvokeStarted event (ExecutedVersion, DurableExecutionArn).
        self.on_invoke: Callable[[str, Operation, OperationUpdate], dict[str, str]] | None = None
        # Resolves a CHAINED_INVOKE's target at checkpoint time: the error that fails
        # the operation in the checkpoint's own response, or None to start it.
        self.invoke_preflight: Callable[[str], ErrorObject | None] | None = None

    # -- executions ------------------------------------------------------------
    def start_execution(
        self,
        input_payload: str | None,
        *,
        function_name: str = "handler",
        name: str | None = None,
        handler: str | None = None,
    ) -> str:
        """Create an execution and return its ARN (`handler`: "module:function", kept
        for the local CLI)."""
        with self.lock:
            name = name or uuid.uuid4().hex
            invocation_id = uuid.uuid4().hex
            arn = (
                f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}:$LATEST"
                f"/durable-execution/{name}/{invocation_id}"
            )
            now = self.clock.now()
            execution = Execution(arn, name, function_name, input_payload, handler=handler)
            root = Operation(
                id=invocation_id,
                type=OperationType.EXECUTION,
                status=OperationStatus.STARTED,
                name=name,
                start_timestamp=now,
                input_payload=input_payload,
            )
            execution.operations[root.id] = root
            details = {"Input": result_block(input_payload), "ExecutionTimeout": 0}
            started = event("ExecutionStarted", now, root, details)
            started.pop("Name", None)
            execution.append(started)
            execution.wake = True
            self.store.add(execution)
            return arn

    def execution(self, arn: str) -> Execution:
        """The execution with this ARN."""
        return self.store.get(arn)

    def _owned_execution(self, arn: str, token: str) -> Execution:
        """The execution with this ARN, when `token` is its current invocation's."""
        execution = self.execution(arn)
        if token != execution.token:
            raise CheckpointError("Invalid checkpoint token: a newer invocation owns the run")
        return execution

    def invocation_event(self, arn: str) -> LocalInvocationEvent:
        """The event for the next invocation (first page: the EXECUTION operation)."""
        with self.lock:
            execution = self.execution(arn)
            execution.token = f"T{next(self._tokens)}"
            execution.wake = False
            ops = list(execution.operations.values())
            more = "1" if len(ops) > 1 else None
            invocation = InvocationInput(arn, execution.token, ops[:1], more)
            self.store.save(execution)
            out = LocalInvocationEvent(invocation.to_event())
            out.checkpointer = self
            return out

    # -- Checkpointer ----------------------------------------------------------
    def checkpoint(
        self, arn: str, token: str, updates: Sequence[OperationUpdate]
    ) -> CheckpointResult:
        """Apply `updates` atomically, or reject all of them."""
        with self.lock:
            execution = self._owned_execution(arn, token)
            if execution.done:
                raise CheckpointRejected(f"execution {execution.name} has already completed")
            now = self.clock.now()
            staged: dict[str, Operation] = {}
            events: list[HistoryEvent] = []
            for update in updates:
                check_shape(update)
                if update.type is OperationType.EXECUTION:
                    if update is not updates[-1]:
                        raise CheckpointRejected("an EXECUTION update must be the last one")
                    staged["__execution__"] = self._finish_execution(execution, update, now)
                    continue
                current = staged.get(update.id) or execution.operations.get(update.id)
                if current is not None:
                    check_identity(current, update)
                if update.parent_id is not None:
                    parent = staged.get(update.parent_id) or execution.operations.get(
                        update.parent_id
                    )
                    if parent is None or parent.type is not OperationType.CONTEXT:
                        raise CheckpointRejected(
                            f"ParentId {update.parent_id[:12]} of {update.type.value} "
                            f"{update.name or update.id[:12]} is not a started CONTEXT"
                        )
                op, new_events = apply(current, update, now, self._new_callback_id)
                if (
                    op.type is OperationType.CHAINED_INVOKE
                    and op.status is OperationStatus.STARTED
                    and self.invoke_preflight is not None
                    and (refused := self.invoke_preflight(update.function_name or ""))
                ):
                    op = finish(op, OperationStatus.FAILED, now, error=refused)
                    new_events = [
                        event("ChainedInvokeFailed", now, op, {"Error": error_block(refused)})
                    ]
                staged[update.id] = op
                events.extend(new_events)
            execution_op = staged.pop("__execution__", None)
            sent = {update.id: update for update in updates}
            for op_id, op in staged.items():
                execution.operations[op_id] = op
                self._track(execution, op)
                if op.type is OperationType.CALLBACK and op.status is OperationStatus.STARTED:
                    started = sent[op_id]
                    timeout = started.callback_timeout_seconds or 0
                    execution.callbacks[op_id] = (
                        now + timedelta(seconds=timeout) if timeout else None,
                        started.callback_heartbeat_timeout_seconds or 0,
                        now,
                    )
                if (
                    op.type is OperationType.CHAINED_INVOKE
                    and op.status is OperationStatus.STARTED
                    and self.on_invoke is not None
                ):
                    target = self.on_invoke(arn, op, sent[op_id])
                    for new in events:
                        if new["EventType"] == "ChainedInvokeStarted" and new["Id"] == op_id:
                            new["ChainedInvokeStartedDetails"].update(target)
            for new in events:
                execution.append(new)
            if execution_op is not None:
                execution.operations[execution_op.id] = execution_op
            execution.token = f"T{next(self._tokens)}"
            execution.version += 1
            self.store.save(execution)
            self.changed.notify_all()
            return CheckpointResult(execution.token, list(staged.values()))

    def get_execution_state(
        self, arn: str, token: str, marker: str, max_items: int = PAGE_SIZE
    ) -> StatePage:
        """The operations from position `marker` on, `max_items` at a time."""
        with self.lock:
            execution = self._owned_execution(arn, token)
            start = int(marker)
            ops = list(itertools.islice(execution.operations.values(), start, start + max_items))
            end = start + len(ops)
            return StatePage(ops, str(end) if end < len(execution.operations) else None)

    def _finish_execution(
        self, execution: Execution, update: OperationUpdate, now: datetime
    ) -> Operation:
        # The ARN names the execution. The update's Id is not checked: the official SDK
        # sends `execution-result-<epoch ms>` for a large result.
        root = next(iter(execution.operations.values()))
        succeeded = update.action is OperationAction.SUCCEED
        return finish(
            root,
            OperationStatus.SUCCEEDED if succeeded else OperationStatus.FAILED,
            now,
            result=update.payload,
            error=update.error,
        )

    def _new_callback_id(self) -> str:
        return uuid.uuid4().hex

    def _track(self, execution: Execution, op: Operation) -> None:
        if op.is_terminal or op.status is OperationStatus.READY:
            execution.waiting.discard(op.id)
            return
        if op.type is OperationType.STEP and op.status is OperationStatus.STARTED:
            return
        if op.type is not OperationType.CONTEXT:
            execution.waiting.add(op.id)
            if op.type is OperationType.CALLBACK and op.callback_id:
                self.store.index_callback(op.callback_id, execution.arn, op.id)

    # -- invocations -----------------------------------------------------------
    def record_invocation(
        self,
        arn: str,
        request_id: str,
        started: datetime,
        output: Any,
        crash: BaseException | None = None,
    ) -> None:
        """Record how an invocation ended: its envelope, or the error that escaped."""
        with self.lock:
            execution = self.execution(arn)
            now = self.clock.now()
            execution.token = ""  # a finished invocation may not checkpoint any more
            details: dict[str, Any] = {
                "StartTimestamp": started,
                "EndTimestamp": now,
                "RequestId": request_id,
            }
            status, error = invocation_outcome(output, crash, request_id)
            if crash is not None or status is None:
                details["Error"] = error_block(error)
            execution.append(event("InvocationCompleted", now, None, details))
            execution.invocations.append(
                {
                    "RequestId": request_id,
                    "StartTimestamp": started,
                    "EndTimestamp": now,
                    "Status": status or "FAILED_INVOCATION",
                    "Error": error.to_dict() if error else None,
                }
            )
            deferred, execution.deferred = execution.deferred, []
            if status in ("SUCCEEDED", "FAILED"):
                self._complete(execution, status, output, error, now)
            else:
                if status is None:
                    execution.wake = True  # Lambda invokes a crashed handler again
                for op_id, end, result, failure in deferred:
                    op = execution.operations[op_id]
                    self._finish_service_operation(execution, op, end, now, result, failure)
            self.store.save(execution)
            self.changed.notify_all()

    def _complete(
        self,
        execution: Execution,
        status: str,
        output: dict[str, Any],
        error: ErrorObject | None,
        now: datetime,
    ) -> None:
        root = next(iter(execution.operations.values()))
        execution.status = status
        if status == "SUCCEEDED":
            result = output.get("Result")
            execution.result = root.result if not result and root.result else result
            details = {"Result": result_block(execution.result)}
        else:
            execution.error = error or root.error
            details = {"Error": error_block(execution.error)}
        if not root.is_terminal:
            execution.operations[root.id] = finish(
                root, OperationStatus(status), now, result=execution.result, error=execution.error
            )
        execution.append(event(f"Execution{status.title()}", now, None, details))

    # -- timers and external answers -------------------------------------------
    def next_due(self, arn: str, *, callbacks: bool = False) -> datetime | None:
        """When the earliest timer of the execution fires: waits and step retries, or
        with `callbacks` the callback timeouts (None: no such timer)."""
        with self.lock:
            execution = self.execution(arn)
            due = [self._due(execution, i, callbacks) for i in execution.waiting]
            return min((d for d in due if d is not None), default=None)

    @staticmethod
    def _due(execution: Execution, op_id: str, callbacks: bool) -> datetime | None:
        op = execution.operations[op_id]
        if op.type is OperationType.WAIT and not callbacks:
            return op.scheduled_end_timestamp
        if op.type is OperationType.STEP and not callbacks:
            return op.next_attempt_timestamp
        if op.type is OperationType.CALLBACK and callbacks and op_id in execution.callbacks:
            deadline, heartbeat, last_beat = execution.callbacks[op_id]
            beat_deadline = last_beat + timedelta(seconds=heartbeat) if heartbeat else None
            candidates = [d for d in (deadline, beat_deadline) if d is not None]
            return min(candidates, default=None)
        return None

    def fire_due(self, arn: str) -> None:
        """Complete every timer of the execution that is due."""
        with self.lock:
            execution = self.execution(arn)
            now = self.clock.now()
            for op_id in sorted(execution.waiting):
                op = execution.operations[op_id]
                due = self._due(execution, op_id, op.type is OperationType.CALLBACK)
                if due is None or due > now:
                    continue
                if op.type is OperationType.CALLBACK:
                    self._time_out_callback(execution, op, now)
                    continue
                execution.waiting.discard(op_id)
                execution.wake = True
                if op.type is OperationType.WAIT:
                    done = finish(op, OperationStatus.SUCCEEDED, now)
                    execution.operations[op_id] = done
                    assert op.scheduled_end_timestamp is not None and op.start_timestamp is not None
                    seconds = int((op.scheduled_end_timestamp - op.start_timestamp).total_seconds())
                    execution.append(event("WaitSucceeded", now, done, {"Duration": seconds}))
                else:
                    execution.operations[op_id] = Operation(
                        id=op.id,
                        type=op.type,
                        status=OperationStatus.READY,
                        parent_id=op.parent_id,
                        name=op.name,
                        sub_type=op.sub_type,
                        start_timestamp=op.start_timestamp,
                        attempt=op.attempt,
                        result=op.result,
                        error=op.error,
                    )
            execution.version += 1
            self.store.save(execution)
            self.changed.notify_all()

    def _time_out_callback(self, execution: Execution, op: Operation, now: datetime) -> None:
        deadline, _, _ = execution.callbacks[op.id]
        overall = deadline is not None and deadline <= now
        error = ErrorObject(
            "Callback timed out" if overall else "Callback timed out on heartbeat",
            "Callback.Timeout" if overall else "Callback.Heartbeat",
        )
        self._finish_service_operation(execution, op, OperationStatus.TIMED_OUT, now, None, error)

    def complete_operation(
        self,
        arn: str,
        op_id: str,
        status: OperationStatus,
        *,
        result: str | None = None,
        error: ErrorObject | None = None,
    ) -> None:
        """Finish an operation the service owns (a callback, an invoke).

        The end of a chained invoke reaches the caller only between its invocations,
        as on the service, where the caller suspends before its target can finish:
        while an invocation runs, it is kept and applied when that invocation ends.
        """
        with self.lock:
            execution = self.execution(arn)
            op = execution.operations[op_id]
            what = f"{op.type.value} {op.name or op_id[:12]}"
            if op.is_terminal:
                raise CheckpointRejected(f"{what} is already {op.status.value}")
            if any(op_id == deferred[0] for deferred in execution.deferred):
                raise CheckpointRejected(f"{what} has already ended")
            if op.type is OperationType.CHAINED_INVOKE and execution.token:
                execution.deferred.append((op_id, status, result, error))
                return
            self._finish_service_operation(execution, op, status, self.clock.now(), result, error)
            self.store.save(execution)
            self.changed.notify_all()

    def _finish_service_operation(
        self,
        execution: Execution,
        op: Operation,
        status: OperationStatus,
        now: datetime,
        result: str | None,
        error: ErrorObject | None,
    ) -> None:
        done = finish(op, status, now, result=result, error=error)
        execution.operations[op.id] = done
        execution.waiting.discard(op.id)
        execution.callbacks.pop(op.id, None)
        execution.wake = True
        execution.version += 1
        prefix = "Callback" if op.type is OperationType.CALLBACK else "ChainedInvoke"
        suffix = _EVENT_SUFFIX[status]
        details: dict[str, Any] = (
            {"Result": result_block(result)}
            if status is OperationStatus.SUCCEEDED
            else {"Error": error_block(error)}
        )
        execution.append(event(prefix + suffix, now, done, details))

    def heartbeat(self, callback_id: str) -> None:
        """Record a heartbeat of an open callback."""
        with self.lock:
            arn, op_id = self.callback(callback_id)
            execution = self.execution(arn)
            if execution.operations[op_id].is_terminal:
                raise CheckpointRejected(f"callback {callback_id} is already completed")
            deadline, seconds, _ = execution.callbacks.get(op_id, (None, 0, self.clock.now()))
            execution.callbacks[op_id] = (deadline, seconds, self.clock.now())
            execution.version += 1
            self.store.save(execution)
            self.changed.notify_all()

    def fail_execution(self, arn: str, error: ErrorObject) -> None:
        """End the execution as FAILED from the service side."""
        with self.lock:
            execution = self.execution(arn)
            if not execution.done:
                self._complete(execution, "FAILED", {}, error, self.clock.now())
            self.store.save(execution)
            self.changed.notify_all()

    def callback(self, callback_id: str) -> tuple[str, str]:
        """The (execution ARN, operation Id) of a callback."""
        with self.lock:
            return self.store.find_callback(callback_id)

    def history(self, arn: str) -> list[HistoryEvent]:
        """A copy of the execution's history."""
        with self.lock:
            return [dict(e) for e in self.execution(arn).events]
