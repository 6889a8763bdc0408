"""Where the in-process engine keeps executions: the `Store` protocol, and the
`MemoryStore` that keeps them in memory (`SqliteStore` keeps them on disk)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from durable._core.wire import ErrorObject, Operation, OperationStatus
from durable.service.history import HistoryEvent

TERMINAL = ("SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED")


@dataclass
class Execution:
    """One execution as the engine stores it."""

    arn: str
    name: str
    function_name: str
    input_payload: str | None
    operations: dict[str, Operation] = field(default_factory=dict)
    events: list[HistoryEvent] = field(default_factory=list)
    invocations: list[dict[str, Any]] = field(default_factory=list)
    status: str = "RUNNING"
    result: str | None = None
    error: ErrorObject | None = None
    token: str = ""
    # Ids of operations waiting on the service: timers, open callbacks, invokes.
    waiting: set[str] = field(default_factory=set)
    # Open callbacks: (overall deadline, heartbeat timeout in seconds, last heartbeat).
    callbacks: dict[str, tuple[datetime | None, int, datetime]] = field(default_factory=dict)
    # Ends of chained invokes that arrived while an invocation ran: applied once it ends.
    deferred: list[tuple[str, OperationStatus, str | None, ErrorObject | None]] = field(
        default_factory=list
    )
    wake: bool = False  # something changed that the handler must see
    version: int = 0  # bumped on every change, so waiters can tell "nothing happened"
    handler: str | None = None  # "module:function" of the handler, for the local CLI

    @property
    def done(self) -> bool:
        """Whether the execution has finished."""
        return self.status in TERMINAL

    def append(self, new: HistoryEvent) -> None:
        new["EventId"] = len(self.events) + 1
        self.events.append(new)


class Store(Protocol):
    """Where the engine keeps executions.

    The engine changes an `Execution` in place, under its own lock, and calls `save`
    once per applied change (a checkpoint, a fired timer, an invocation's end), so a
    store that persists writes each change as one unit.
    """

    def add(self, execution: Execution) -> None:
        """Keep a new execution."""

    def get(self, arn: str) -> Execution:
        """The execution with this ARN (KeyError when there is none)."""

    def save(self, execution: Execution) -> None:
        """Persist what changed in `execution` since it was added or last saved."""

    def index_callback(self, callback_id: str, arn: str, op_id: str) -> None:
        """Remember which execution and operation a callback id belongs to."""

    def find_callback(self, callback_id: str) -> tuple[str, str]:
        """The (execution ARN, operation Id) of a callback (KeyError when unknown)."""


class MemoryStore:
    """Executions by ARN, and callbacks by id, in memory (thread-safe)."""

    def __init__(self) -> None:
        self._executions: dict[str, Execution] = {}
        self._callbacks: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def add(self, execution: Execution) -> None:
        """Keep a new execution."""
        with self._lock:
            self._executions[execution.arn] = execution

    def get(self, arn: str) -> Execution:
        """The execution with this ARN."""
        try:
            return self._executions[arn]
        except KeyError:
            raise KeyError(f"no execution with ARN {arn!r}") from None

    def save(self, execution: Execution) -> None:
        """Nothing to do: the execution in memory is the stored one."""

    def index_callback(self, callback_id: str, arn: str, op_id: str) -> None:
        """Remember which execution and operation a callback id belongs to."""
        with self._lock:
            self._callbacks[callback_id] = (arn, op_id)

    def find_callback(self, callback_id: str) -> tuple[str, str]:
        """The (execution ARN, operation Id) of a callback."""
        try:
            return self._callbacks[callback_id]
        except KeyError:
            raise KeyError(f"no callback with id {callback_id!r}") from None
