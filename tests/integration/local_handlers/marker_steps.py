"""Handlers for the `durable` CLI tests: steps that leave a marker line in a file."""

from __future__ import annotations

import time
from typing import Any

from durable import DurableContext, StepContext, durable_execution, durable_step
from durable.config import Duration, JitterStrategy, StepConfig, StepSemantics
from durable.exceptions import StepError
from durable.retries import RetryPresets, RetryStrategyConfig, create_retry_strategy


@durable_step
def mark(step_ctx: StepContext, path: str, label: str, pause: float) -> str:
    """Work for `pause` seconds, then append `label` to the file at `path`."""
    time.sleep(pause)  # work in flight, so a kill can land in the middle of a step
    with open(path, "a", encoding="utf-8") as markers:
        markers.write(label + "\n")
    return label.upper()


@durable_execution
def steps(event: dict[str, Any], context: DurableContext) -> dict[str, Any]:
    """`steps` marked steps, with a wait in the middle (`wait_seconds`, default 1) unless
    `wait` is false."""
    path, count, pause = event["markers"], event.get("steps", 6), event.get("pause", 0.05)
    done = []
    for i in range(count):
        done.append(context.step(mark(path, f"step-{i}", pause), name=f"step-{i}"))
        if i == count // 2 and event.get("wait", True):
            context.wait(Duration.from_seconds(event.get("wait_seconds", 1)), name="breather")
    return {"steps": done, "count": len(done)}


@durable_step
def mark_first(step_ctx: StepContext, path: str, label: str, pause: float) -> str:
    """Append `label` to the file at `path`, then work for `pause` seconds."""
    with open(path, "a", encoding="utf-8") as markers:
        markers.write(label + "\n")
    time.sleep(pause)
    return label.upper()


@durable_execution
def once(event: dict[str, Any], context: DurableContext) -> list[str]:
    """At-most-once steps without retries; a step cut short by a crash is "interrupted"."""
    path, count, pause = event["markers"], event.get("steps", 6), event.get("pause", 0.05)
    config = StepConfig(
        retry_strategy=RetryPresets.none(), step_semantics=StepSemantics.AT_MOST_ONCE_PER_RETRY
    )
    done = []
    for i in range(count):
        try:
            done.append(context.step(mark_first(path, f"step-{i}", pause), f"step-{i}", config))
        except StepError:
            done.append("interrupted")
    return done


@durable_step
def flaky(step_ctx: StepContext, path: str) -> str:
    """Fails on its first attempt, succeeds on the second."""
    with open(path, "a", encoding="utf-8") as markers:
        markers.write(f"attempt-{step_ctx.attempt}\n")
    if step_ctx.attempt < 2:
        raise ConnectionError("the service is busy")
    return "ok"


@durable_execution
def retrying(event: dict[str, Any], context: DurableContext) -> str:
    """One step that needs a retry after a one-second delay."""
    retry = create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=3,
            initial_delay=Duration.from_seconds(1),
            jitter_strategy=JitterStrategy.NONE,
        )
    )
    return context.step(
        flaky(event["markers"]), name="flaky", config=StepConfig(retry_strategy=retry)
    )


@durable_execution
def approval(event: dict[str, Any], context: DurableContext) -> dict[str, Any]:
    """Waits for an approval callback, then returns it."""
    callback = context.create_callback(name="approval")
    answer = callback.result()
    return {"approved": answer}


def failing(event: dict[str, Any], context: DurableContext) -> None:
    """Not decorated: the CLI wraps it. Fails with a ValueError."""
    raise ValueError(f"bad order {event.get('order')}")
