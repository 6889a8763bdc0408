"""Helpers shared by the SDK tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from durable._core.checkpoint import CheckpointResult
from durable._core.wire import OperationUpdate
from durable.testing import LocalDurableTestRunner, TestResult


def run_recording(
    handler: Callable[..., Any], payload: Any = None, **options: Any
) -> tuple[TestResult, list[dict[str, Any]]]:
    """Run `handler` and return its result with every update it checkpointed."""
    updates: list[dict[str, Any]] = []
    with LocalDurableTestRunner(handler, **options) as runner:
        engine_checkpoint = runner.engine.checkpoint

        def recording(arn: str, token: str, batch: Sequence[OperationUpdate]) -> CheckpointResult:
            updates.extend(u.to_dict() for u in batch)
            return engine_checkpoint(arn, token, batch)

        runner.engine.checkpoint = recording  # type: ignore[method-assign]
        return runner.run(payload, timeout=30), updates
