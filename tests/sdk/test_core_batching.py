"""Checkpoint batching: few calls, nothing lost, nothing sent twice. A fake clock."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from durable._core.checkpoint import CheckpointBatcher, CheckpointResult, StatePage
from durable._core.wire import Operation, OperationAction, OperationType, OperationUpdate
from durable.exceptions import CheckpointError


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def checkpoint(
        self, arn: str, token: str, updates: Sequence[OperationUpdate]
    ) -> CheckpointResult:
        self.batches.append([u.id for u in updates])
        return CheckpointResult(f"{token}+")

    def get_execution_state(
        self, arn: str, token: str, marker: str, max_items: int = 1000
    ) -> StatePage:
        return StatePage([])


def update(n: int, payload: str | None = None) -> OperationUpdate:
    return OperationUpdate(str(n), OperationType.STEP, OperationAction.SUCCEED, payload=payload)


def batcher(recorder: Recorder, **options: float) -> CheckpointBatcher:
    merged: list[Operation] = []
    return CheckpointBatcher(recorder, "arn", "t", merged.extend, now=lambda: 0.0, **options)  # type: ignore[arg-type]


def test_updates_wait_in_the_queue_until_flushed() -> None:
    recorder = Recorder()
    queue = batcher(recorder)
    for n in range(5):
        queue.add(update(n))
    assert recorder.batches == []
    queue.flush()
    assert recorder.batches == [["0", "1", "2", "3", "4"]]


def test_a_durable_update_sends_everything_before_it() -> None:
    recorder = Recorder()
    queue = batcher(recorder)
    queue.add(update(1))
    queue.add(update(2), flush=True)
    assert recorder.batches == [["1", "2"]]


def test_a_full_queue_is_sent() -> None:
    recorder = Recorder()
    queue = batcher(recorder, max_updates=3)
    for n in range(7):
        queue.add(update(n))
    assert recorder.batches == [["0", "1", "2"], ["3", "4", "5"]]


def test_payload_bytes_bound_a_batch() -> None:
    recorder = Recorder()
    queue = batcher(recorder, max_bytes=10)
    queue.add(update(1, "x" * 6))
    queue.add(update(2, "x" * 6))
    assert recorder.batches == [["1"]]


def test_an_old_queue_is_sent() -> None:
    recorder = Recorder()
    clock = iter([0.0, 0.0, 1.0])
    queue = CheckpointBatcher(
        recorder, "arn", "t", list().extend, max_age=0.5, now=lambda: next(clock)
    )
    queue.add(update(1))
    queue.add(update(2))
    assert recorder.batches == [["1", "2"]]


def test_each_answer_carries_the_next_token() -> None:
    recorder = Recorder()
    queue = batcher(recorder)
    queue.add(update(1), flush=True)
    queue.add(update(2), flush=True)
    assert queue.token == "t++"


class Refusing(Recorder):
    """Refuses, as a whole, every call that holds update `bad` (like the service)."""

    def __init__(self, bad: str, *, retryable: bool = False) -> None:
        super().__init__()
        self.bad = bad
        self.retryable = retryable
        self.kept: list[str] = []

    def checkpoint(
        self, arn: str, token: str, updates: Sequence[OperationUpdate]
    ) -> CheckpointResult:
        self.batches.append([u.id for u in updates])
        if any(u.id == self.bad for u in updates):
            raise CheckpointError("refused", retryable=self.retryable)
        self.kept.extend(u.id for u in updates)
        return CheckpointResult(f"{token}+")


def test_a_refused_batch_keeps_the_updates_before_the_refused_one() -> None:
    service = Refusing("3")
    queue = batcher(service)
    for n in range(1, 5):
        queue.add(update(n))
    with pytest.raises(CheckpointError, match="refused"):
        queue.flush()
    assert service.kept == ["1", "2"]
    assert service.batches == [["1", "2", "3", "4"], ["1"], ["2"], ["3"]]


def test_a_transient_failure_is_not_split() -> None:
    service = Refusing("2", retryable=True)
    queue = batcher(service)
    queue.add(update(1))
    queue.add(update(2))
    with pytest.raises(CheckpointError):
        queue.flush()
    assert service.batches == [["1", "2"]]
