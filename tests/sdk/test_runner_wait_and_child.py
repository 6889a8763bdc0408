"""Waits and child contexts on the local runner."""

from __future__ import annotations

from typing import Any

import pytest
from durable import (
    ChildContextError,
    DurableContext,
    StepError,
    durable_execution,
    durable_with_child_context,
)
from durable.config import ChildConfig, Duration, StepConfig
from durable.retries import RetryPresets
from durable.serdes import SerDes, SerDesContext
from durable.testing import LocalDurableTestRunner

NO_RETRY = StepConfig(retry_strategy=RetryPresets.none())


def run(handler: Any, payload: Any = None) -> Any:
    with LocalDurableTestRunner(handler) as runner:
        return runner.run(payload, timeout=20)


def test_a_wait_suspends_and_resumes() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        context.wait(Duration.from_minutes(5), name="pause")
        return "after"

    result = run(handler)
    assert (result.result, len(result.invocations)) == ("after", 2)
    assert [e["EventType"] for e in result.history if "Wait" in e["EventType"]] == [
        "WaitStarted",
        "WaitSucceeded",
    ]
    assert result.get_wait("pause").status == "SUCCEEDED"


def test_waits_record_their_duration() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.wait(Duration.from_days(30))

    started = next(e for e in run(handler).history if e["EventType"] == "WaitStarted")
    assert started["WaitStartedDetails"]["Duration"] == 30 * 86400


def test_the_real_clock_really_waits() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        context.wait(Duration.from_seconds(1))
        return "woke"

    with LocalDurableTestRunner(handler, skip_time=False) as runner:
        assert runner.run(timeout=20).result == "woke"


def test_operations_in_a_child_have_the_child_as_parent() -> None:
    @durable_with_child_context
    def group(ctx: DurableContext, n: int) -> int:
        return ctx.step(lambda _: n * 2, name="double")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return context.run_in_child_context(group(21))

    result = run(handler)
    child = result.get_context("group")
    assert (result.result, child.children[0].name, child.children[0].parent_id) == (
        42,
        "double",
        child.id,
    )


def test_a_completed_child_is_not_run_again() -> None:
    runs: list[int] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        value = context.run_in_child_context(lambda ctx: runs.append(1) or 7, name="once")
        context.wait(Duration.from_seconds(1))
        return value

    assert (run(handler).result, runs) == (7, [1])


def test_a_child_failure_is_a_child_context_error_with_the_inner_type() -> None:
    caught: list[tuple[str, str]] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.run_in_child_context(
                lambda ctx: ctx.step(lambda _: 1 / 0, name="div", config=NO_RETRY), name="kid"
            )
        except ChildContextError as error:
            caught.append((type(error.__cause__).__name__, error.error_type))
        return "handled"

    result = run(handler)
    assert result.result == "handled"
    assert caught == [("StepError", "durable.exceptions.StepError")]


def test_a_child_raising_directly_records_context_failed() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.run_in_child_context(lambda ctx: (_ for _ in ()).throw(RuntimeError("x")), name="k")

    result = run(handler)
    assert result.status == "FAILED"
    assert result.get_context("k").error["ErrorType"] == "RuntimeError"
    assert result.error["ErrorType"] == "durable.exceptions.ChildContextError"


def test_a_child_result_over_256_kib_is_summarised_and_rebuilt_by_replay() -> None:
    runs: list[int] = []

    def big(ctx: DurableContext) -> str:
        runs.append(1)
        return ctx.step(lambda _: "x", name="seed") * 300_000

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        text = context.run_in_child_context(
            big, name="big", config=ChildConfig(summary_generator=lambda r: f"{len(r)} chars")
        )
        context.wait(Duration.from_seconds(1))
        return len(text)

    result = run(handler)
    assert (result.result, len(runs)) == (300_000, 2)
    succeeded = next(e for e in result.history if e["EventType"] == "ContextSucceeded")
    assert succeeded["ContextSucceededDetails"]["Result"]["Payload"] == "300000 chars"


class Upper(SerDes[str]):
    def serialize(self, value: str, serdes_context: SerDesContext) -> str:
        return value.upper()

    def deserialize(self, data: str, serdes_context: SerDesContext) -> str:
        return data


def test_a_child_serdes_shapes_the_recorded_and_returned_value() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        return context.run_in_child_context(
            lambda ctx: "quiet", name="loud", config=ChildConfig(serdes=Upper())
        )

    result = run(handler)
    assert (result.result, result.get_context("loud").raw_result) == ("QUIET", "QUIET")


def test_a_custom_sub_type_is_recorded() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.run_in_child_context(
            lambda ctx: None, name="g", config=ChildConfig(sub_type="Saga")
        )

    assert run(handler).get_context("g").sub_type == "Saga"


@pytest.mark.parametrize("depth", [1, 3])
def test_nested_children_replay_after_waits(depth: int) -> None:
    def nest(level: int) -> Any:
        def body(ctx: DurableContext) -> int:
            ctx.wait(Duration.from_seconds(1))
            if level == 0:
                return ctx.step(lambda _: 1, name="leaf")
            return 1 + ctx.run_in_child_context(nest(level - 1), name=f"level{level - 1}")

        return body

    @durable_execution
    def handler(event: Any, context: DurableContext) -> int:
        return context.run_in_child_context(nest(depth - 1), name="top")

    result = run(handler)
    assert (result.status, result.result) == ("SUCCEEDED", depth)


def test_a_step_error_outside_children_fails_with_its_message() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.step(lambda _: (_ for _ in ()).throw(ValueError("bad")), name="v", config=NO_RETRY)

    result = run(handler)
    assert result.error == {"ErrorMessage": "bad", "ErrorType": "durable.exceptions.StepError"}
    assert issubclass(StepError, Exception)
