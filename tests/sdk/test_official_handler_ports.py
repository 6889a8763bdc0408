"""A handler from the official SDK's README runs after changing only its imports."""

from __future__ import annotations

from durable import (
    DurableContext,
    StepContext,
    durable_execution,
    durable_step,
)
from durable.config import Duration
from durable.testing import LocalDurableTestRunner

# --- from the README of aws_durable_execution_sdk_python 3.0.0; imports changed only ---


@durable_step
def validate_order(step_ctx: StepContext, order_id: str) -> dict:  # type: ignore[type-arg]
    step_ctx.logger.info("Validating order", extra={"order_id": order_id})
    return {"order_id": order_id, "valid": True}


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:  # type: ignore[type-arg]
    order_id = event["order_id"]
    context.logger.info("Starting workflow", extra={"order_id": order_id})

    validation = context.step(validate_order(order_id), name="validate_order")
    if not validation["valid"]:
        return {"status": "rejected", "order_id": order_id}

    # simulate approval (real world: use wait_for_callback)
    context.wait(duration=Duration.from_seconds(5), name="await_confirmation")

    return {"status": "approved", "order_id": order_id}


# --- end of the README handler ---


def test_the_readme_handler_runs_to_approval() -> None:
    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({"order_id": "o-42"})
    assert (result.status, result.result) == (
        "SUCCEEDED",
        {"status": "approved", "order_id": "o-42"},
    )
    assert result.get_step("validate_order").result == {"order_id": "o-42", "valid": True}
    assert result.get_wait("await_confirmation").status == "SUCCEEDED"


def test_the_readme_handler_logs_once_despite_replay(caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level("INFO"), LocalDurableTestRunner(handler) as runner:
        runner.run({"order_id": "o-1"})
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("Starting workflow") == 1
    assert messages.count("Validating order") == 1
