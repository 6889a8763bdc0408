"""The `Checkpointer` interface and the batcher that groups updates into few calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from durable._core.wire import Operation, OperationUpdate
from durable.exceptions import CheckpointError


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    """What the service answers to a checkpoint."""

    checkpoint_token: str | None
    operations: list[Operation] = field(default_factory=list)
    next_marker: str | None = None


@dataclass(frozen=True, slots=True)
class StatePage:
    """One page of an execution's operations."""

    operations: list[Operation]
    next_marker: str | None = None


class Checkpointer(Protocol):
    """Where checkpoints go: the Lambda API, or the in-process engine.

    A checkpointer whose calls wait on the network sets a class attribute
    `blocking_io = True`; the asyncio driver then checkpoints from a worker thread,
    so other tasks keep running during the round trip.
    """

    def checkpoint(
        self, arn: str, token: str, updates: Sequence[OperationUpdate]
    ) -> CheckpointResult:
        """Record `updates` in order; raises `CheckpointError` when rejected."""

    def get_execution_state(
        self, arn: str, token: str, marker: str, max_items: int = 1000
    ) -> StatePage:
        """The page of operations after `marker`."""


class CheckpointBatcher:
    """Queues updates and sends them in as few checkpoint calls as it safely can.

    Updates are sent when a caller needs them durable (`flush`), when the queue
    holds `max_updates` updates or `max_bytes` of payload, or when its oldest update
    has waited `max_age` seconds. Thread-safe: map and parallel branches share it.
    """

    def __init__(
        self,
        checkpointer: Checkpointer,
        arn: str,
        token: str,
        on_operations: Callable[[list[Operation]], None],
        *,
        max_updates: int = 200,
        max_bytes: int = 750 * 1024,
        max_age: float = 0.5,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._checkpointer = checkpointer
        self.blocking_io = bool(getattr(checkpointer, "blocking_io", False))
        self._arn = arn
        self.token = token
        self._on_operations = on_operations
        self._max_updates = max_updates
        self._max_bytes = max_bytes
        self._max_age = max_age
        self._now = now
        self._queue: list[OperationUpdate] = []
        self._queued_bytes = 0
        self._oldest = 0.0
        self._lock = threading.RLock()
        self.calls = 0

    @property
    def pending(self) -> int:
        """How many updates wait to be sent."""
        return len(self._queue)

    def add(self, update: OperationUpdate, *, flush: bool = False) -> None:
        """Queue `update`; with `flush`, send it (and everything before it) now."""
        with self._lock:
            size = len(update.payload) if update.payload else 0
            if self._queue and self._queued_bytes + size > self._max_bytes:
                self._send()
            if not self._queue:
                self._oldest = self._now()
            self._queue.append(update)
            self._queued_bytes += size
            if (
                flush
                or len(self._queue) >= self._max_updates
                or self._now() - self._oldest >= self._max_age
            ):
                self._send()

    def flush(self) -> None:
        """Send every queued update."""
        with self._lock:
            if self._queue:
                self._send()

    def discard(self) -> None:
        """Drop queued updates (after a failed call, so they are not sent twice)."""
        with self._lock:
            self._queue = []
            self._queued_bytes = 0

    def _send(self) -> None:
        batch, self._queue, self._queued_bytes = self._queue, [], 0
        try:
            self._call(batch)
        except CheckpointError as error:
            if error.is_retryable() or len(batch) == 1:
                raise
            # The service refuses a call as a whole. Sending the updates one at a time
            # keeps those before the refused one, as if each had gone alone; the refused
            # one raises again. (If the refusal spent the token, the first resend fails.)
            for update in batch:
                self._call([update])

    def _call(self, batch: list[OperationUpdate]) -> None:
        self.calls += 1
        answer = self._checkpointer.checkpoint(self._arn, self.token, batch)
        if answer.checkpoint_token:
            self.token = answer.checkpoint_token
        if answer.operations:
            self._on_operations(answer.operations)
