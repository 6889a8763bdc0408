"""Callbacks and wait_for_callback on the local runner."""

from __future__ import annotations

import json
from typing import Any

import pytest
from durable import (
    AsyncDurableContext,
    CallbackExternalError,
    CallbackSubmitterError,
    CallbackTimeoutError,
    DurableContext,
    durable_execution,
    durable_wait_for_callback,
)
from durable.config import CallbackConfig, Duration, WaitForCallbackConfig
from durable.retries import RetryPresets
from durable.serdes import JsonSerDes
from durable.testing import LocalDurableTestRunner
from durable.types import WaitForCallbackContext


@durable_execution
def approval(event: Any, context: DurableContext) -> Any:
    callback = context.create_callback(name="approve", config=CallbackConfig(serdes=JsonSerDes()))
    return callback.result()


def test_a_callback_returns_what_the_external_system_sends() -> None:
    with LocalDurableTestRunner(approval) as runner:
        arn = runner.start()
        runner.send_callback_success(runner.wait_for_callback(arn, "approve"), '{"ok": true}')
        result = runner.wait_for_result(arn)
    assert (result.status, result.result) == ("SUCCEEDED", {"ok": True})
    assert result.get_callback("approve").status == "SUCCEEDED"


def test_without_a_serdes_the_raw_text_is_returned() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.create_callback(name="raw").result()

    with LocalDurableTestRunner(handler) as runner:
        arn = runner.start()
        runner.send_callback_success(runner.wait_for_callback(arn), "plain text")
        assert runner.wait_for_result(arn).result == "plain text"


def test_an_empty_answer_is_no_result() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return [context.create_callback(name="ping").result()]

    with LocalDurableTestRunner(handler) as runner:
        arn = runner.start()
        runner.send_callback_success(runner.wait_for_callback(arn), "")
        result = runner.wait_for_result(arn)
    assert result.result == [None]
    assert result.get_callback("ping").raw_result is None


def test_a_reported_failure_raises_callback_external_error() -> None:
    seen: list[str] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.create_callback(name="cb").result()
        except CallbackExternalError as error:
            seen.append(error.message or "")
        return "handled"

    with LocalDurableTestRunner(handler) as runner:
        arn = runner.start()
        runner.send_callback_failure(runner.wait_for_callback(arn), {"ErrorMessage": "declined"})
        assert runner.wait_for_result(arn).result == "handled"
    assert seen == ["declined"]


def test_an_unanswered_callback_times_out() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> None:
        context.create_callback(name="slow", config=CallbackConfig(timeout=Duration(30))).result()

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run()
    assert result.status == "FAILED"
    assert result.error["ErrorType"] == "durable.exceptions.CallbackTimeoutError"
    timed_out = next(e for e in result.history if e["EventType"] == "CallbackTimedOut")
    assert (
        timed_out["CallbackTimedOutDetails"]["Error"]["Payload"]["ErrorType"] == "Callback.Timeout"
    )


def test_a_missed_heartbeat_times_out_as_heartbeat() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        config = CallbackConfig(heartbeat_timeout=Duration(10))
        try:
            context.create_callback(name="hb", config=config).result()
        except CallbackTimeoutError as error:
            return error.message or ""
        return "answered"

    with LocalDurableTestRunner(handler) as runner:
        assert runner.run().result == "Callback timed out on heartbeat"


def test_callback_options_are_recorded() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        config = CallbackConfig(timeout=Duration(30), heartbeat_timeout=Duration(10))
        return context.create_callback(name="cb", config=config).callback_id

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run()
    started = next(e for e in result.history if e["EventType"] == "CallbackStarted")
    details = started["CallbackStartedDetails"]
    assert (details["Timeout"], details["HeartbeatTimeout"], details["CallbackId"]) == (
        30,
        10,
        result.result,
    )


@durable_wait_for_callback
def notify(callback_id: str, ctx: WaitForCallbackContext, channel: str) -> None:
    ctx.logger.info("sending %s to %s", callback_id, channel)


def test_wait_for_callback_nests_callback_and_submitter_in_a_context() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        return context.wait_for_callback(notify("email"), name="sign-off")

    with LocalDurableTestRunner(handler) as runner:
        arn = runner.start()
        runner.send_callback_success(runner.wait_for_callback(arn, "sign-off"), "signed")
        result = runner.wait_for_result(arn)
    context = result.get_context("sign-off")
    assert (result.result, context.sub_type) == ("signed", "WaitForCallback")
    assert [c.name for c in context.children] == [
        "sign-off create callback id",
        "sign-off submitter",
    ]


def test_a_failing_submitter_raises_callback_submitter_error() -> None:
    def broken(callback_id: str, ctx: WaitForCallbackContext) -> None:
        raise ConnectionError("queue down")

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.wait_for_callback(
                broken, name="w", config=WaitForCallbackConfig(retry_strategy=RetryPresets.none())
            )
        except CallbackSubmitterError as error:
            return f"{type(error).__name__}: {error.message}"
        return "unreachable"

    with LocalDurableTestRunner(handler) as runner:
        assert runner.run().result == "CallbackSubmitterError: queue down"


def test_a_timed_out_wait_for_callback_raises_callback_timeout_error() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        try:
            context.wait_for_callback(
                lambda cid, ctx: None, name="w", config=WaitForCallbackConfig(timeout=Duration(5))
            )
        except CallbackTimeoutError:
            return "timed out"
        return "answered"

    with LocalDurableTestRunner(handler) as runner:
        assert runner.run().result == "timed out"


def test_answering_a_finished_callback_is_refused() -> None:
    with LocalDurableTestRunner(approval) as runner:
        arn = runner.start()
        callback_id = runner.wait_for_callback(arn)
        runner.send_callback_success(callback_id, "1")
        runner.wait_for_result(arn)
        with pytest.raises(Exception, match="already SUCCEEDED"):
            runner.send_callback_success(callback_id, "2")


def test_async_wait_for_callback_matches_sync_checkpoints() -> None:
    @durable_execution
    def sync_handler(event: Any, context: DurableContext) -> Any:
        return context.wait_for_callback(lambda cid, ctx: None, name="w")

    @durable_execution
    async def async_handler(event: Any, context: AsyncDurableContext) -> Any:
        async def submit(cid: str, ctx: WaitForCallbackContext) -> None:
            return None

        return await context.wait_for_callback(submit, name="w")

    def answered(handler: Any) -> list[dict[str, Any]]:
        updates: list[dict[str, Any]] = []
        with LocalDurableTestRunner(handler) as runner:
            original = runner.engine.checkpoint

            def recording(arn: str, token: str, batch: Any) -> Any:
                updates.extend(u.to_dict() for u in batch)
                return original(arn, token, batch)

            runner.engine.checkpoint = recording  # type: ignore[method-assign]
            arn = runner.start()
            runner.send_callback_success(runner.wait_for_callback(arn, "w"), json.dumps("ok"))
            assert runner.wait_for_result(arn).result == '"ok"'
        return updates

    assert answered(sync_handler) == answered(async_handler)


def test_the_runner_lists_the_callbacks_it_waits_on() -> None:
    @durable_execution
    def handler(event: Any, context: DurableContext) -> Any:
        first = context.create_callback(name="a")
        second = context.create_callback(name="b")
        return [first.result(), second.result()]

    with LocalDurableTestRunner(handler) as runner:
        arn = runner.start()
        runner.wait_for_callback(arn, "b")
        pending = runner.pending_callbacks(arn)
        assert [p["Name"] for p in pending] == ["a", "b"]
        for entry in pending:
            runner.send_callback_success(entry["CallbackId"], entry["Name"])
        assert runner.wait_for_result(arn).result == ["a", "b"]
