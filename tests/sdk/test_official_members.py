"""Public members the official SDK's classes have, on ours (parity finding 19)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from durable import AsyncDurableContext, DurableContext, durable_execution
from durable.batch import BatchItem, BatchResult, CompletionReason
from durable.config import BatchItemStatus, CompletionConfig, Duration, MapConfig, NestingType
from durable.exceptions import TimedSuspendExecution
from durable.retries import LinearRetryStrategyConfig
from durable.serdes import SerDes
from durable.testing import LocalDurableTestRunner
from durable.testing.runner import LocalLambdaContext
from durable.types import DurableContext as DurableContextProtocol
from durable.types import LambdaContext


def test_is_virtual_is_true_only_in_flat_batch_items() -> None:
    seen: dict[str, bool] = {}

    def item(ctx: DurableContext, x: str, index: int, items: Any) -> None:
        seen[x] = ctx.is_virtual

    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        seen["root"] = context.is_virtual
        context.run_in_child_context(lambda c: seen.update(child=c.is_virtual), name="c")
        context.map(["flat"], item, config=MapConfig(nesting_type=NestingType.FLAT))
        context.map(["nested"], item)

    with LocalDurableTestRunner(handler) as runner:
        runner.run({})
    assert seen == {"root": False, "child": False, "flat": True, "nested": False}


def test_is_virtual_on_the_async_context() -> None:
    seen: list[bool] = []

    async def item(ctx: AsyncDurableContext, x: int, index: int, items: Any) -> None:
        seen.append(ctx.is_virtual)

    @durable_execution
    async def handler(event: Any, context: AsyncDurableContext) -> None:
        seen.append(context.is_virtual)
        await context.map([1], item, config=MapConfig(nesting_type=NestingType.FLAT))

    with LocalDurableTestRunner(handler) as runner:
        runner.run({})
    assert seen == [False, True]


def test_a_timed_suspension_from_a_datetime_resumes_at_that_moment() -> None:
    moment = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    suspension = TimedSuspendExecution.from_datetime("later", moment)
    assert suspension.scheduled_timestamp == moment.timestamp()


@pytest.mark.parametrize(
    ("value", "primitive"),
    [(None, True), ("a", True), (1.5, True), ([1, ["x", None]], True), ({"a": 1}, False)],
)
def test_is_primitive_accepts_plain_json_scalars_and_lists(value: Any, primitive: bool) -> None:
    assert SerDes.is_primitive(value) is primitive


def test_linear_retry_config_reports_its_durations_in_seconds() -> None:
    config = LinearRetryStrategyConfig(
        initial_delay=Duration.from_seconds(2),
        increment=Duration.from_minutes(1),
        max_delay=Duration.from_minutes(10),
    )
    seconds = (config.initial_delay_seconds, config.increment_seconds, config.max_delay_seconds)
    assert seconds == (2, 60, 600)


def test_a_batch_result_without_a_reason_infers_it_from_its_items() -> None:
    data = {
        "all": [
            {"index": 0, "status": "SUCCEEDED", "result": 1},
            {"index": 1, "status": "FAILED", "error": {"ErrorMessage": "x"}},
        ]
    }
    assert BatchResult.from_dict(data).completion_reason is (
        CompletionReason.FAILURE_TOLERANCE_EXCEEDED
    )
    tolerant = CompletionConfig(tolerated_failure_count=1)
    assert BatchResult.from_dict(data, tolerant).completion_reason is (
        CompletionReason.ALL_COMPLETED
    )


def test_from_items_sees_a_reached_minimum() -> None:
    items: list[BatchItem[int]] = [
        BatchItem(0, BatchItemStatus.SUCCEEDED, 1),
        BatchItem(1, BatchItemStatus.STARTED),
    ]
    result = BatchResult.from_items(items, CompletionConfig(min_successful=1))
    assert result.completion_reason is CompletionReason.MIN_SUCCESSFUL_REACHED


def test_the_protocols_name_the_official_members() -> None:
    for member in ("step", "wait", "run_in_child_context", "map", "parallel", "create_callback"):
        assert callable(getattr(DurableContextProtocol, member))
    for member in ("get_remaining_time_in_millis", "log"):
        assert callable(getattr(LambdaContext, member))


def test_the_local_lambda_context_logs_to_standard_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    LocalLambdaContext("req").log("hello")
    assert capsys.readouterr().out == "hello"
