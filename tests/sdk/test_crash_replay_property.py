"""Crash a run at arbitrary points: replay gives the same result, and every step
whose function returned ran exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from durable import DurableContext, StepContext, durable_execution
from durable.config import Duration
from durable.testing import LocalDurableTestRunner
from hypothesis import given, settings
from hypothesis import strategies as st


class SandboxCrash(BaseException):
    """What a test raises to simulate a dying Lambda sandbox."""


PLANS = st.tuples(
    st.integers(min_value=1, max_value=8),  # steps
    st.sets(st.tuples(st.integers(0, 7), st.sampled_from(["inside", "after"])), max_size=5),
    st.sets(st.integers(0, 7), max_size=3),  # steps followed by a wait
    st.booleans(),  # run the steps inside a child context
)


@settings(max_examples=40, deadline=None)
@given(PLANS)
def test_crashes_never_change_the_result_or_repeat_a_returned_step(plan: Any) -> None:
    count, crash_points, waits_after, in_child = plan
    pending_crashes = {p for p in crash_points if p[0] < count}
    started: Counter[int] = Counter()
    returned: Counter[int] = Counter()

    def work(index: int) -> Any:
        def body(step_ctx: StepContext) -> int:
            started[index] += 1
            if (index, "inside") in pending_crashes:
                pending_crashes.discard((index, "inside"))
                raise SandboxCrash(f"inside step {index}")
            returned[index] += 1
            return index * index

        return body

    def steps(ctx: DurableContext) -> int:
        total = 0
        for index in range(count):
            total += ctx.step(work(index), name=f"s{index}")
            if (index, "after") in pending_crashes:
                pending_crashes.discard((index, "after"))
                raise SandboxCrash(f"after step {index}")
            if index in waits_after:
                ctx.wait(Duration.from_seconds(1))
        return total

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        if in_child:
            return context.run_in_child_context(steps, name="batch")
        return steps(context)

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run(timeout=30)

    assert (result.status, result.result) == ("SUCCEEDED", sum(i * i for i in range(count)))
    assert all(returned[i] == 1 for i in range(count)), returned
    crashed_inside = Counter(i for i, where in crash_points if where == "inside" and i < count)
    assert all(started[i] == 1 + crashed_inside[i] for i in range(count)), started
    crashed_invocations = [i for i in result.invocations if i["Status"] == "FAILED_INVOCATION"]
    assert len(crashed_invocations) == len({p for p in crash_points if p[0] < count})


def test_a_crash_inside_a_map_item_replays_without_repeating_returned_steps() -> None:
    returned: Counter[int] = Counter()
    crashed: list[int] = []

    def item(ctx: DurableContext, x: int, index: int, items: Any) -> int:
        def body(step_ctx: StepContext) -> int:
            if index == 2 and not crashed:
                crashed.append(index)
                raise SandboxCrash("inside a map item")
            returned[index] += 1
            return x * 2

        return ctx.step(body, name="double")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> list[int]:
        return context.map([1, 2, 3, 4], item).get_results()

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run(timeout=30)
    assert result.result == [2, 4, 6, 8]
    assert crashed == [2] and all(count == 1 for count in returned.values())
    assert [i["Status"] for i in result.invocations] == ["FAILED_INVOCATION", "SUCCEEDED"]


def test_a_crash_in_an_async_handler_replays_like_a_sync_one() -> None:
    from durable import AsyncDurableContext

    runs: Counter[str] = Counter()
    pending = ["crash"]

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> str:
        first = await context.step(lambda _: runs.update(["a"]) or "a", name="a")
        if pending:
            pending.pop()
            raise SandboxCrash("after a")
        second = await context.step(lambda _: runs.update(["b"]) or "b", name="b")
        return first + second

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run(timeout=30)
    assert (result.result, dict(runs)) == ("ab", {"a": 1, "b": 1})
