"""Handlers from the official SDK's documentation run on ours after changing only imports.

Each handler below is a sample from the documentation shipped inside the official
wheels (aws_durable_execution_sdk_python 3.0.0 and its -testing 1.4.0 package), used as
test input. Only the import lines differ from the original: the package prefix
``aws_durable_execution_sdk_python`` became ``durable``. The assertions are ours.
"""

from __future__ import annotations

from typing import Any

# Sample 1 is the Quick Start handler of the aws-durable-execution-sdk-python README.
# Sample 2 is the Quick Start of the aws-durable-execution-sdk-python-testing README.
# Their original imports:
#   from aws_durable_execution_sdk_python import (DurableContext, StepContext,
#       durable_execution, durable_step)
#   from aws_durable_execution_sdk_python.context import (DurableContext, durable_step,
#       durable_with_child_context)
#   from aws_durable_execution_sdk_python.execution import durable_execution
#   from aws_durable_execution_sdk_python.config import Duration
# Ours: the spec names the package root as the home of these names.
from durable import (
    DurableContext,
    StepContext,
    durable_execution,
    durable_step,
    durable_with_child_context,
)
from durable.config import Duration
from durable.testing import LocalDurableTestRunner


@durable_step
def validate_order(step_ctx: StepContext, order_id: str) -> dict:
    step_ctx.logger.info("Validating order", extra={"order_id": order_id})
    return {"order_id": order_id, "valid": True}


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    order_id = event["order_id"]
    context.logger.info("Starting workflow", extra={"order_id": order_id})

    validation = context.step(validate_order(order_id), name="validate_order")
    if not validation["valid"]:
        return {"status": "rejected", "order_id": order_id}

    # simulate approval (real world: use wait_for_callback)
    context.wait(duration=Duration.from_seconds(5), name="await_confirmation")

    return {"status": "approved", "order_id": order_id}


# The testing README's sample, as published: its steps take (a, b) without the step
# context that durable_step passes first, so on the official SDK the first step fails
# with "one() takes 2 positional arguments but 3 were given". A faithful port must
# fail in the same way.
@durable_step
def one(a: int, b: int) -> str:
    return f"{a} {b}"


@durable_step
def two_1(a: int, b: int) -> str:
    return f"{a} {b}"


@durable_step
def two_2(a: int, b: int) -> str:
    return f"{b} {a}"


@durable_with_child_context
def two(ctx: DurableContext, a: int, b: int) -> str:
    two_1_result: str = ctx.step(two_1(a, b))
    two_2_result: str = ctx.step(two_2(a, b))
    return f"{two_1_result} {two_2_result}"


@durable_step
def three(a: int, b: int) -> str:
    return f"{a} {b}"


@durable_execution
def function_under_test(event: Any, context: DurableContext) -> list[str]:
    results: list[str] = []

    result_one: str = context.step(one(1, 2))
    results.append(result_one)

    context.wait(Duration.from_seconds(1))

    result_two: str = context.run_in_child_context(two(3, 4))
    results.append(result_two)

    result_three: str = context.step(three(5, 6))
    results.append(result_three)

    return results


def _events(history: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    return [event for event in history if event.get("EventType") == event_type]


def test_sdk_readme_quick_start_runs_after_changing_imports() -> None:
    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({"order_id": "order-7"})

    assert result.status == "SUCCEEDED"
    assert result.result == {"status": "approved", "order_id": "order-7"}


def test_sdk_readme_quick_start_checkpoints_its_named_step_and_wait() -> None:
    with LocalDurableTestRunner(handler) as runner:
        result = runner.run({"order_id": "order-7"})

    step_names = [event.get("Name") for event in _events(result.history, "StepSucceeded")]
    waits = _events(result.history, "WaitStarted")
    assert step_names == ["validate_order"]
    assert [event.get("Name") for event in waits] == ["await_confirmation"]
    assert waits[0]["WaitStartedDetails"]["Duration"] == 5


def test_testing_readme_sample_fails_as_it_does_on_the_official_sdk() -> None:
    with LocalDurableTestRunner(function_under_test) as runner:
        result = runner.run("input str")

    assert result.status == "FAILED"
    assert result.error is not None
    assert result.error["ErrorType"].endswith("StepError")
    assert result.error["ErrorMessage"] == "one() takes 2 positional arguments but 3 were given"
