"""DUR201: durable operation inside a step."""

from __future__ import annotations

from collections.abc import Iterator

from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule


def describe_operation(method: str, context: str) -> str:
    """`context.step()` or `cb.result()`, as a message names an operation."""
    if method == "callback.result":
        return "Callback.result()"
    if method == "with_retry":
        return f"with_retry({context}, ...)"
    return f"{context}.{method}()"


class OperationInStep(Rule):
    """A durable operation inside a step.

    ## What it does
    Flags durable operations (`step`, `wait`, `run_in_child_context`, ...) inside
    a callable passed to `step` or a `@durable_step` function, whether through a
    captured outer context or through the step's `StepContext`, which has none.

    ## Why is this bad?
    A step runs once and its result is checkpointed; it is not replayed. Operations
    started inside it are not part of the replayed sequence: their Ids collide with
    the parent's and their checkpoints are never read back.

    ## Example
    ```python
    def book(step_context):
        context.wait(Duration.from_seconds(5))
        return reserve()

    context.step(book)
    ```

    ## Use instead
    ```python
    def book(child):
        child.wait(Duration.from_seconds(5))
        return child.step(lambda _: reserve())

    context.run_in_child_context(book)
    ```

    ## Fix
    None: group the operations with `run_in_child_context`.
    """

    code = "DUR201"
    name = "operation-in-step"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    def book(child):
        child.step(lambda _: 1)
        return child.step(lambda _: 2)
    return context.run_in_child_context(book)
""",
    )
    INVALID = (
        """
from durable import durable_execution, durable_step
from durable.config import Duration

@durable_step
def charge(step_context, amount):
    step_context.step(lambda _: amount)  # want: DUR201
    return amount

@durable_execution
def handler(event, context):
    def book(step_context):
        context.wait(Duration.from_seconds(5))  # want: DUR201
        return 1
    context.step(book)
    return context.step(charge(3))
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for op in model.ops:
            function = model.region_function(op.scope)
            if model.role(function) != "step":
                continue
            what = describe_operation(op.method, op.context.name)
            yield Report(
                op.call,
                self.code,
                f"durable operation {what} inside a step, which is never replayed; "
                "group operations with run_in_child_context instead",
            )
        for handoff in analysis.handoffs:
            if model.role(model.region_function(handoff.scope)) != "step":
                continue
            yield Report(
                handoff.call,
                self.code,
                f"{handoff.helper.name}() runs durable operations on '{handoff.context.name}' "
                "inside a step, which is never replayed; group them with run_in_child_context",
            )
