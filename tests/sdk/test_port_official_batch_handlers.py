"""Official documentation samples that use invoke and parallel, ported by imports only.

The samples come from the documentation inside the official wheels: the invoke example
of the aws-durable-execution-sdk-python-testing README, and the ``durable_parallel_branch``
docstring example of aws_durable_execution_sdk_python 3.0.0. Only import lines changed;
the test code around them is ours.
"""

from __future__ import annotations

from typing import Any

# Original imports:
#   from aws_durable_execution_sdk_python.context import DurableContext
#   from aws_durable_execution_sdk_python.execution import durable_execution
#   from aws_durable_execution_sdk_python import durable_parallel_branch
from durable import DurableContext, durable_execution, durable_parallel_branch
from durable.testing import LocalDurableTestRunner


# From the testing README, "Testing functions that invoke other functions".
@durable_execution
def process_payment(event: dict, context: DurableContext) -> dict:
    return {"charged": event["amount"]}


def lookup_price(event: dict, context) -> dict:  # type: ignore[no-untyped-def]
    return {"price": 25}


@durable_execution
def place_order(event: dict, context: DurableContext) -> dict:
    price = context.invoke("lookup-price", {"sku": event["sku"]}, name="price")
    payment = context.invoke("process-payment", {"amount": price["price"]}, name="payment")
    return {"sku": event["sku"], "charged": payment["charged"]}


# From the durable_parallel_branch docstring.
@durable_parallel_branch(name="fetch-user-data")
def fetch_user(ctx: DurableContext, user_id: str) -> dict:
    return ctx.step(lambda _: {"id": user_id, "name": "Jane"}, name="load_user")


@durable_parallel_branch(name="fetch-orders")
def fetch_orders(ctx: DurableContext, user_id: str) -> list:
    return ctx.step(lambda _: ["order1", "order2"], name="load_orders")


@durable_execution
def load_data(event: Any, context: DurableContext) -> list[Any]:
    user_id = event["user_id"]
    # Usage in a durable handler (the docstring's lines):
    results = context.parallel(
        functions=[fetch_user(user_id), fetch_orders(user_id)],
        name="load-data",
    )
    return results.get_results()


def test_invoke_sample_from_testing_readme_runs_after_changing_imports() -> None:
    with LocalDurableTestRunner(place_order) as runner:
        runner.register_durable_function("process-payment", process_payment)
        runner.register_function("lookup-price", lookup_price)
        result = runner.run({"sku": "book-1"})

    assert result.status == "SUCCEEDED"
    assert result.result == {"sku": "book-1", "charged": 25}


def test_parallel_branch_docstring_sample_runs_after_changing_imports() -> None:
    with LocalDurableTestRunner(load_data) as runner:
        result = runner.run({"user_id": "u-1"})

    assert result.status == "SUCCEEDED"
    assert result.result == [{"id": "u-1", "name": "Jane"}, ["order1", "order2"]]
