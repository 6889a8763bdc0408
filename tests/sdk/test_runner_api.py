"""The runner's API: start/wait_for_result/history, invocations, the pytest fixture,
and the envelope rules of `durable_execution`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from conftest import run_recording
from durable import DurableContext, durable_execution
from durable.config import Duration
from durable.testing import LocalDurableTestRunner


@durable_execution
def two_waits(event: Any, context: DurableContext) -> str:
    context.step(lambda _: "a", name="a")
    context.wait(Duration.from_seconds(5), name="w1")
    context.wait(Duration.from_seconds(5), name="w2")
    return "done"


def test_start_returns_an_arn_and_wait_for_result_the_outcome() -> None:
    with LocalDurableTestRunner(two_waits) as runner:
        arn = runner.start()
        result = runner.wait_for_result(arn, timeout=20)
    assert (result.arn, result.status) == (arn, "SUCCEEDED")


def test_invocations_count_the_replays() -> None:
    with LocalDurableTestRunner(two_waits) as runner:
        result = runner.run()
    assert [i["Status"] for i in result.invocations] == ["PENDING", "PENDING", "SUCCEEDED"]


def test_history_uses_the_service_event_format() -> None:
    with LocalDurableTestRunner(two_waits) as runner:
        history = runner.run().history
    assert [e["EventId"] for e in history] == list(range(1, len(history) + 1))
    assert history[0]["EventType"] == "ExecutionStarted"
    assert history[-1]["EventType"] == "ExecutionSucceeded"
    step = next(e for e in history if e["EventType"] == "StepSucceeded")
    assert set(step) == {
        "EventType",
        "EventId",
        "SubType",
        "Id",
        "Name",
        "EventTimestamp",
        "StepSucceededDetails",
    }
    assert step["StepSucceededDetails"]["Result"]["Payload"] == '"a"'


def test_history_is_readable_while_running() -> None:
    with LocalDurableTestRunner(two_waits) as runner:
        arn = runner.start()
        early = runner.history(arn)
        runner.wait_for_result(arn)
    assert early[0]["EventType"] == "ExecutionStarted"


def test_an_undecorated_handler_is_accepted() -> None:
    def plain(event: Any, context: DurableContext) -> int:
        return context.step(lambda _: 3, name="three")

    with LocalDurableTestRunner(plain) as runner:
        assert runner.run().result == 3


def test_operations_are_found_by_id() -> None:
    with LocalDurableTestRunner(two_waits) as runner:
        result = runner.run()
    first = result.operations[0]
    assert result.get_operation_by_id(first.id) is first


SIZE = 6 * 1024 * 1024 - 30  # over the response limit once JSON-quoted, under the payload one


def test_a_result_over_the_response_limit_is_checkpointed_on_the_execution() -> None:
    @durable_execution
    def huge(event: Any, context: DurableContext) -> str:
        return "y" * SIZE

    result, updates = run_recording(huge)
    assert (result.status, len(result.result)) == ("SUCCEEDED", SIZE)
    assert updates[-1]["Type"] == "EXECUTION" and updates[-1]["Action"] == "SUCCEED"


def test_a_result_over_6_mib_fails_clearly() -> None:
    @durable_execution
    def huge(event: Any, context: DurableContext) -> str:
        return "y" * (7 * 1024 * 1024)

    result, _ = run_recording(huge)
    assert result.error["ErrorMessage"].startswith("the handler's result is 7168 KiB of JSON")


def test_the_envelope_carries_the_json_result() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> dict[str, int]:
        return {"n": event["n"]}

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({"n": 2})
    assert json.loads(result.raw_result or "") == {"n": 2}


def test_the_pytest_fixture_builds_runners(
    durable_runner: Callable[..., LocalDurableTestRunner],
) -> None:
    assert durable_runner(two_waits).run().result == "done"
