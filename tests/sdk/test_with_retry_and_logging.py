"""with_retry re-runs a whole block; the logger and is_replaying follow replay."""

from __future__ import annotations

import logging
from typing import Any

from durable import (
    AsyncDurableContext,
    ChildContextError,
    DurableContext,
    WithRetryConfig,
    durable_execution,
    with_retry,
    with_retry_async,
)
from durable.config import Duration
from durable.retries import RetryStrategyConfig, create_retry_strategy
from durable.testing import LocalDurableTestRunner

TWICE = WithRetryConfig(
    retry_strategy=create_retry_strategy(
        RetryStrategyConfig(max_attempts=2, initial_delay=Duration(3))
    )
)


def run(handler: Any) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run(timeout=30)


def test_with_retry_reruns_the_block_after_a_backoff_wait() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        def block(ctx: DurableContext, attempt: int) -> int:
            value = ctx.step(lambda _: attempt, name=f"try-{attempt}")
            if value < 2:
                raise RuntimeError("not yet")
            return value

        return with_retry(context, block, TWICE, name="block")

    result = run(handler)
    assert result.result == 2
    assert result.get_wait("block-backoff-1").status == "SUCCEEDED"


def test_with_retry_gives_up_with_child_context_error() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        def block(ctx: DurableContext, attempt: int) -> None:
            raise RuntimeError(f"attempt {attempt}")

        try:
            with_retry(context, block, TWICE, name="b")
        except ChildContextError as error:
            return f"{error.error_type}: {error.message}"
        return "unreachable"

    assert run(handler).result == "RuntimeError: attempt 2"


def test_async_with_retry_awaits_the_block() -> None:
    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> int:
        async def block(ctx: AsyncDurableContext, attempt: int) -> int:
            if attempt == 1:
                raise RuntimeError("first")
            return await ctx.step(lambda _: attempt * 10, name="ok")

        return await with_retry_async(context, block, TWICE, name="a")

    assert run(handler).result == 20


def test_is_replaying_is_true_only_before_the_first_new_operation() -> None:
    seen: list[tuple[str, bool]] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        seen.append(("start", context.is_replaying()))
        context.step(lambda _: 1, name="one")
        seen.append(("after one", context.is_replaying()))
        context.wait(Duration(1))
        seen.append(("after wait", context.is_replaying()))

    run(handler)
    assert seen == [
        ("start", False),
        ("after one", False),
        ("start", True),
        ("after one", True),
        ("after wait", False),
    ]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_set_logger_routes_messages_and_keeps_replay_silence() -> None:
    target = logging.getLogger("durable-test-target")
    collector = Collect()
    target.addHandler(collector)
    target.setLevel(logging.INFO)

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.set_logger(target)
        context.logger.info("before wait")
        context.wait(Duration(1))
        context.logger.info("after wait")

    run(handler)
    target.removeHandler(collector)
    assert collector.messages == ["before wait", "after wait"]


def test_a_logger_that_is_not_mode_aware_logs_on_replay_too() -> None:
    target = logging.getLogger("durable-test-replay")
    collector = Collect()
    target.addHandler(collector)
    target.setLevel(logging.INFO)

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.configure_logger(target, mode_aware=False)
        context.run_in_child_context(lambda ctx: ctx.logger.info("in child"), name="c")
        context.wait(Duration(1))

    run(handler)
    target.removeHandler(collector)
    assert collector.messages == ["in child"]


def test_a_re_run_summarised_child_is_visible_to_a_logger_that_is_not_mode_aware() -> None:
    target = logging.getLogger("durable-test-rerun")
    collector = Collect()
    target.addHandler(collector)
    target.setLevel(logging.INFO)

    def big(ctx: DurableContext) -> str:
        ctx.logger.info("building")
        return "x" * 300_000

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        context.configure_logger(target, mode_aware=False)
        size = len(context.run_in_child_context(big, name="big"))
        context.wait(Duration(1))
        return size

    assert run(handler).result == 300_000
    target.removeHandler(collector)
    assert collector.messages == ["building", "building"]
