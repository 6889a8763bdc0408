"""The asyncio driver checkpoints from a worker thread when its checkpointer waits on
the network (`blocking_io`, as the boto3 checkpointer does): other tasks run during the
round trip, and the checkpoints keep their order."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

from durable import AsyncDurableContext, durable_execution
from durable._core.checkpoint import CheckpointResult
from durable._core.wire import OperationUpdate
from durable.config import (
    ChildConfig,
    CompletionConfig,
    Duration,
    MapConfig,
    StepConfig,
    StepSemantics,
)
from durable.service.lambda_api import LambdaApiCheckpointer
from durable.testing import LocalDurableTestRunner, TestResult

AT_MOST_ONCE = StepConfig(step_semantics=StepSemantics.AT_MOST_ONCE_PER_RETRY)


def run_recording(
    handler: Any, *, blocking_io: bool, gate: threading.Event | None = None
) -> tuple[TestResult, list[dict[str, Any]], list[bool]]:
    """Run `handler` with the engine acting as a network checkpointer (or not).

    With `gate`, each checkpoint call waits (up to 10 s) for the gate to open and
    notes whether it did: it only opens if the event loop runs meanwhile."""
    updates: list[dict[str, Any]] = []
    gate_seen: list[bool] = []
    with LocalDurableTestRunner(handler) as runner:
        engine = runner.engine
        engine_checkpoint = engine.checkpoint

        def checkpoint(arn: str, token: str, batch: Sequence[OperationUpdate]) -> CheckpointResult:
            if gate is not None:
                gate_seen.append(gate.wait(10))
            updates.extend(u.to_dict() for u in batch)
            return engine_checkpoint(arn, token, batch)

        engine.checkpoint = checkpoint  # type: ignore[method-assign]
        engine.blocking_io = blocking_io  # type: ignore[attr-defined]
        return runner.run({}, timeout=60), updates, gate_seen


def test_the_lambda_api_checkpointer_is_a_network_checkpointer() -> None:
    assert LambdaApiCheckpointer.blocking_io is True


def test_other_tasks_run_while_a_checkpoint_is_in_flight() -> None:
    gate = threading.Event()

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> str:
        async def open_gate() -> None:
            gate.set()

        opener = asyncio.get_running_loop().create_task(open_gate())
        # An at-most-once step's START must be durable before its body runs: the
        # checkpoint waits for the gate, which only the event loop can open.
        value = await context.step(lambda _: "ran", name="charge", config=AT_MOST_ONCE)
        await opener
        return value

    result, _, gate_seen = run_recording(handler, blocking_io=True, gate=gate)
    assert result.result == "ran"
    assert gate_seen[0] is True


def test_checkpoints_keep_their_order_when_made_off_the_loop() -> None:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> Any:
        first = await context.step(lambda _: 1, name="first", config=AT_MOST_ONCE)

        async def child(ctx: AsyncDurableContext) -> int:
            return await ctx.step(lambda _: 2, name="inner") + first

        total = await context.run_in_child_context(child, name="child", config=ChildConfig())
        await context.wait(Duration.from_seconds(1), name="pause")

        async def item(ctx: AsyncDurableContext, x: int, index: int, items: Any) -> int:
            if index == 1:
                raise ValueError("item 1")
            return await ctx.step(lambda _: x * 10, name="times-ten")

        config = MapConfig(max_concurrency=1, completion_config=CompletionConfig.all_completed())
        batch = await context.map([1, 2, 3], item, name="map", config=config)
        return [total, batch.get_results()]

    inline, inline_updates, _ = run_recording(handler, blocking_io=False)
    threaded, threaded_updates, _ = run_recording(handler, blocking_io=True)
    assert inline.result == threaded.result == [3, [10, 30]]
    assert inline_updates == threaded_updates
    assert len(inline.invocations) == len(threaded.invocations) == 2


def test_operations_started_together_take_the_same_ids_as_inline() -> None:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> list[int]:
        steps = [context.step(lambda _, i=i: i, name=f"s{i}") for i in range(20)]
        return list(await asyncio.gather(*steps))

    inline, inline_updates, _ = run_recording(handler, blocking_io=False)
    threaded, threaded_updates, _ = run_recording(handler, blocking_io=True)
    assert inline.result == threaded.result == list(range(20))
    names = {u["Id"]: u.get("Name") for u in inline_updates}
    assert {u["Id"]: u.get("Name") for u in threaded_updates} == names
