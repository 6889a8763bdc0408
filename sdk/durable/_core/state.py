"""The state of one execution during one invocation, and the replay-or-run decision.

Every durable operation starts with `ExecutionState.allocate`: it takes the next Id
of its context, looks the Id up in the operation log (a dict), and checks that a
recorded operation has the same Type, SubType, Name and ParentId. The operation
then either replays what was recorded or runs and emits `OperationUpdate`s through
`record`, which batches them for the `Checkpointer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from durable._core.checkpoint import CheckpointBatcher, Checkpointer
from durable._core.ids import operation_id
from durable._core.wire import Operation, OperationAction, OperationType, OperationUpdate
from durable.exceptions import (
    NonDeterministicExecutionError,
    OrphanedChildException,
    ValidationError,
)
from durable.serdes import SerDesContext

CHECKPOINT_PAYLOAD_LIMIT = 256 * 1024
"""Largest payload of one checkpointed operation, in bytes."""


class Scope:
    """The operation counter and replay status of one context.

    `parent_id` is what operations in the context record as ParentId; `prefix` is
    what their Ids derive from. They differ only for a virtual (flat) child.
    """

    __slots__ = ("counter", "next_id", "parent_id", "prefix", "replaying", "stops")

    def __init__(
        self,
        parent_id: str | None,
        prefix: str | None,
        replaying: bool,
        stops: tuple[list[bool], ...] = (),
    ) -> None:
        self.parent_id = parent_id
        self.prefix = prefix
        self.counter = 0
        self.replaying = replaying
        self.next_id: str | None = None  # the Id of position counter + 1, once computed
        # Flags that orphan this context when set: one per enclosing batch branch.
        self.stops = stops

    def child(self, op_id: str, *, virtual: bool = False, stop: list[bool] | None = None) -> Scope:
        """The scope of a child context owned by operation `op_id`; `stop` orphans it
        (and everything below it) when set to `[True]`."""
        stops = (*self.stops, stop) if stop is not None else self.stops
        return Scope(self.parent_id if virtual else op_id, op_id, self.replaying, stops)

    @property
    def virtual(self) -> bool:
        """Whether this is a virtual (flat) child: it records no operation of its own."""
        return self.prefix != self.parent_id

    def orphaned(self) -> bool:
        """Whether an enclosing batch has completed without this branch."""
        return any(flag[0] for flag in self.stops)


@dataclass(frozen=True, slots=True)
class Allocation:
    """An operation's identity, and what the log holds for it."""

    id: str
    type: OperationType
    sub_type: str
    name: str | None
    parent_id: str | None
    existing: Operation | None
    stops: tuple[list[bool], ...] = ()

    def update(self, action: str, **fields: object) -> OperationUpdate:
        """An update of this operation (see `OperationUpdate` for the fields)."""
        if self.stops and any(flag[0] for flag in self.stops):
            raise OrphanedChildException(f"{self.describe()} belongs to a completed batch")
        return OperationUpdate(
            id=self.id,
            type=self.type,
            action=OperationAction(action),
            parent_id=self.parent_id,
            name=self.name,
            sub_type=self.sub_type,
            **fields,  # type: ignore[arg-type]
        )

    def describe(self) -> str:
        """How errors name this operation: `step 'charge'` or `step #3`."""
        kind = _KIND_NAMES.get(self.sub_type, self.sub_type)
        return f"{kind} {self.name!r}" if self.name else f"{kind} (id {self.id[:12]})"


_KIND_NAMES = {
    "Step": "step",
    "Wait": "wait",
    "RunInChildContext": "child context",
    "Callback": "callback",
    "ChainedInvoke": "invoke",
    "WaitForCallback": "wait_for_callback",
    "WaitForCondition": "wait_for_condition",
    "Map": "map",
    "MapIteration": "map item",
    "Parallel": "parallel",
    "ParallelBranch": "parallel branch",
}


class ExecutionState:
    """The operation log of an execution plus its checkpoint batcher."""

    def __init__(
        self,
        arn: str,
        token: str,
        operations: Iterable[Operation],
        checkpointer: Checkpointer,
        **batching: float,
    ) -> None:
        self.arn = arn
        self.operations: dict[str, Operation] = {op.id: op for op in operations}
        # The EXECUTION operation's Id is the last part of the execution ARN.
        self.execution: Operation | None = self.operations.get(arn.rsplit("/", 1)[-1]) or next(
            (op for op in self.operations.values() if op.type is OperationType.EXECUTION), None
        )
        self.batcher = CheckpointBatcher(
            checkpointer,
            arn,
            token,
            self._merge,
            **batching,  # type: ignore[arg-type]
        )
        self.closed = False
        self.root = Scope(None, None, replaying=len(self.operations) > 1)

    def _merge(self, operations: list[Operation]) -> None:
        for op in operations:
            self.operations[op.id] = op

    @property
    def input_payload(self) -> str | None:
        """The execution's input text."""
        return self.execution.input_payload if self.execution else None

    def allocate(
        self, scope: Scope, op_type: OperationType, sub_type: str, name: str | None
    ) -> Allocation:
        """Take the next Id of `scope` and check the log for it (the replay decision)."""
        if self.closed:
            what = f"{_KIND_NAMES.get(sub_type, sub_type)} {name!r}" if name else sub_type
            raise ValidationError(
                f"{what} was called after the handler returned; durable operations only "
                "work while the handler runs (do not keep the context for later)"
            )
        scope.counter += 1
        op_id = scope.next_id or operation_id(scope.prefix, scope.counter)
        scope.next_id = None
        return self.allocate_at(scope, op_id, op_type, sub_type, name)

    def allocate_at(
        self, scope: Scope, op_id: str, op_type: OperationType, sub_type: str, name: str | None
    ) -> Allocation:
        """Like `allocate`, for an operation whose Id is fixed by its caller (the items
        of a batch, whose Ids come from their index)."""
        if scope.stops and scope.orphaned():
            raise OrphanedChildException(f"{sub_type} {name!r} belongs to a completed batch")
        sub_type = str(sub_type)  # an OperationSubType member is recorded as its plain text
        existing = self.operations.get(op_id)
        name = name or None
        if existing is not None:
            self._check_identity(existing, op_type, sub_type, name, scope.parent_id)
        if scope.replaying and (
            existing is None
            or (not existing.is_terminal and existing.type is not OperationType.CONTEXT)
        ):
            scope.replaying = False
        return Allocation(op_id, op_type, sub_type, name, scope.parent_id, existing, scope.stops)

    def settle(self, scope: Scope) -> None:
        """After an operation returns: leave replay when the next one is new."""
        if scope.replaying:
            scope.next_id = operation_id(scope.prefix, scope.counter + 1)
            if scope.next_id not in self.operations:
                scope.replaying = False

    @staticmethod
    def _check_identity(
        recorded: Operation,
        op_type: OperationType,
        sub_type: str,
        name: str | None,
        parent_id: str | None,
    ) -> None:
        # Worded as the official SDK words it: the message becomes the execution's error.
        mismatches = []
        if recorded.type != op_type:
            mismatches.append(f"type checkpoint={recorded.type.value!r} current={op_type.value!r}")
        if recorded.sub_type != sub_type:
            mismatches.append(f"subtype checkpoint={recorded.sub_type!r} current={sub_type!r}")
        if (recorded.name or None) != name:
            mismatches.append(f"name checkpoint={recorded.name or None!r} current={name!r}")
        if (recorded.parent_id or None) != (parent_id or None):
            mismatches.append(
                f"parent_id checkpoint={recorded.parent_id or None!r} current={parent_id or None!r}"
            )
        if mismatches:
            raise NonDeterministicExecutionError(
                f"Non-deterministic operation identity at id={recorded.id!r}: "
                + ", ".join(mismatches),
                step_id=recorded.id,
            )

    def record(self, update: OperationUpdate, *, durable: bool = False) -> None:
        """Checkpoint `update`; with `durable`, wait until the service has it."""
        self.batcher.add(update, flush=durable)

    def flush(self) -> None:
        """Send every queued update."""
        self.batcher.flush()

    def serdes_context(self, op_id: str) -> SerDesContext:
        """The SerDes context of operation `op_id`."""
        return SerDesContext(op_id, self.arn)

    def close(self) -> None:
        """Mark the handler as returned: further operations are errors."""
        self.closed = True


def load_operations(
    checkpointer: Checkpointer,
    arn: str,
    token: str,
    first_page: list[Operation],
    marker: str | None,
    on_page: Callable[[list[Operation]], None] | None = None,
) -> list[Operation]:
    """All operations of an execution: the event's first page, then the rest by marker."""
    operations = list(first_page)
    while marker:
        page = checkpointer.get_execution_state(arn, token, marker)
        operations.extend(page.operations)
        if on_page is not None:
            on_page(page.operations)
        marker = page.next_marker
    return operations
