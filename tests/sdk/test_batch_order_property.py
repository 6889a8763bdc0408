"""map and parallel give the same BatchResult and the same checkpoints whatever order
their branches finish in, across replays."""

from __future__ import annotations

import json
import time
from typing import Any

from conftest import run_recording
from durable import DurableContext, durable_execution
from durable.config import CompletionConfig, Duration, MapConfig, ParallelConfig
from hypothesis import given, settings
from hypothesis import strategies as st

BRANCHES = st.lists(
    st.tuples(
        st.sampled_from([0.0, 0.001, 0.004]),  # how long the branch's step takes
        st.booleans(),  # whether the branch waits (forcing a replay)
        st.booleans(),  # whether the branch fails
    ),
    min_size=1,
    max_size=6,
)


def handler_for(branches: list[tuple[float, bool, bool]], concurrency: int | None) -> Any:
    def item(ctx: DurableContext, spec: Any, index: int, items: Any) -> int:
        delay, waits, fails = spec

        def work(_: Any) -> int:
            time.sleep(delay)
            return index * 3

        value = ctx.step(work, name="work")
        if waits:
            ctx.wait(Duration(1), name="nap")
        if fails:
            raise ValueError(f"branch {index}")
        return value

    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        mapped = context.map(
            branches,
            item,
            name="m",
            config=MapConfig(
                max_concurrency=concurrency, completion_config=CompletionConfig.all_completed()
            ),
        )
        parallel = context.parallel(
            [lambda c, i=i, s=spec: item(c, s, i, branches) for i, spec in enumerate(branches)],
            name="p",
            config=ParallelConfig(
                max_concurrency=concurrency, completion_config=CompletionConfig.all_completed()
            ),
        )
        return [mapped.to_dict(), parallel.to_dict()]

    return handler


def canonical(updates: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(u, sort_keys=True) for u in updates)


@settings(max_examples=25, deadline=None)
@given(BRANCHES)
def test_concurrent_and_sequential_runs_agree(branches: list[tuple[float, bool, bool]]) -> None:
    sequential, sequential_updates = run_recording(handler_for(branches, 1))
    concurrent, concurrent_updates = run_recording(handler_for(branches, None))
    assert sequential.status == concurrent.status == "SUCCEEDED"
    assert sequential.result == concurrent.result
    assert canonical(sequential_updates) == canonical(concurrent_updates)
