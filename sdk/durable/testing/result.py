"""What a test sees of a finished execution: `TestResult` and its operations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from durable._core.wire import Operation, OperationType
from durable.serdes import EXTENDED_TYPES_SERDES, SerDesContext
from durable.service.store import Execution


def _decode(op: Operation) -> Any:
    if op.result is None:
        return None
    try:
        if op.type in (OperationType.CALLBACK, OperationType.CHAINED_INVOKE):
            return json.loads(op.result)
        return EXTENDED_TYPES_SERDES.deserialize(op.result, SerDesContext(op.id))
    except Exception:  # a custom SerDes wrote it: show the text
        return op.result


@dataclass
class OperationResult:
    """One operation of an execution, with its children.

    `result` is the decoded result (the raw text when a custom SerDes wrote it),
    `raw_result` the checkpointed text, `error` the ErrorObject fields or None,
    `details` the operation as the service reports it (the `Operation` shape).
    """

    id: str
    name: str | None
    type: str
    sub_type: str | None
    status: str
    parent_id: str | None
    result: Any
    raw_result: str | None
    error: dict[str, Any] | None
    attempt: int
    start_timestamp: datetime | None
    end_timestamp: datetime | None
    callback_id: str | None
    details: dict[str, Any] = field(default_factory=dict)
    children: list[OperationResult] = field(default_factory=list)

    @classmethod
    def from_operation(cls, op: Operation) -> OperationResult:
        return cls(
            id=op.id,
            name=op.name,
            type=op.type.value,
            sub_type=op.sub_type,
            status=op.status.value,
            parent_id=op.parent_id,
            result=_decode(op),
            raw_result=op.result,
            error=op.error.to_dict() if op.error else None,
            attempt=op.attempt,
            start_timestamp=op.start_timestamp,
            end_timestamp=op.end_timestamp,
            callback_id=op.callback_id,
            details=op.to_dict(),
        )

    def walk(self) -> Iterator[OperationResult]:
        """This operation and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


class TestResult:
    """The outcome of one execution run by `LocalDurableTestRunner`.

    Attributes:
        status: "SUCCEEDED", "FAILED", ... ("RUNNING" if not finished).
        result: the handler's result, decoded from JSON.
        error: the execution's ErrorObject fields, or None.
        operations: the top-level operations, each with `children`.
        invocations: one dict per handler invocation (RequestId, Status, Error, ...).
        history: the execution history in the service's event format.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, execution: Execution, history: list[dict[str, Any]]) -> None:
        self.arn = execution.arn
        self.status = execution.status
        self.raw_result = execution.result
        self.result: Any = json.loads(execution.result) if execution.result else None
        self.error = execution.error.to_dict() if execution.error else None
        self.invocations = [dict(entry) for entry in execution.invocations]
        self.history = history
        views: dict[str, OperationResult] = {}
        self.operations: list[OperationResult] = []
        for op in execution.operations.values():
            if op.type is OperationType.EXECUTION:
                continue
            view = views[op.id] = OperationResult.from_operation(op)
            parent = views.get(op.parent_id) if op.parent_id else None
            (parent.children if parent else self.operations).append(view)

    def __repr__(self) -> str:
        return f"TestResult(status={self.status!r}, result={self.result!r}, error={self.error!r})"

    def all_operations(self) -> Iterator[OperationResult]:
        """Every operation, depth first."""
        for op in self.operations:
            yield from op.walk()

    def get_operation(self, name: str, op_type: str | None = None) -> OperationResult:
        """The first operation named `name` (of type `op_type`, if given)."""
        for op in self.all_operations():
            if op.name == name and (op_type is None or op.type == op_type):
                return op
        kind = op_type.lower() if op_type else "operation"
        names = sorted(
            {o.name for o in self.all_operations() if o.name and o.type == (op_type or o.type)}
        )
        raise LookupError(f"no {kind} named {name!r}; named ones are {names}")

    def get_operation_by_id(self, op_id: str) -> OperationResult:
        """The operation with Id `op_id`."""
        for op in self.all_operations():
            if op.id == op_id:
                return op
        raise LookupError(f"no operation with id {op_id!r}")

    def get_step(self, name: str) -> OperationResult:
        """The first step named `name`."""
        return self.get_operation(name, "STEP")

    def get_wait(self, name: str) -> OperationResult:
        """The first wait named `name`."""
        return self.get_operation(name, "WAIT")

    def get_context(self, name: str) -> OperationResult:
        """The first child context (or map/parallel) named `name`."""
        return self.get_operation(name, "CONTEXT")

    def get_callback(self, name: str) -> OperationResult:
        """The first callback named `name` (or the callback of the `wait_for_callback`
        named `name`)."""
        try:
            return self.get_operation(name, "CALLBACK")
        except LookupError:
            return self.get_operation(f"{name} create callback id", "CALLBACK")

    def get_invoke(self, name: str) -> OperationResult:
        """The first invoke named `name`."""
        return self.get_operation(name, "CHAINED_INVOKE")
