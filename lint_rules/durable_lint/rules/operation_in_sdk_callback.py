"""DUR202: durable operation inside an SDK callback."""

from __future__ import annotations

from collections.abc import Iterator

from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.rules.operation_in_step import describe_operation
from durable_lint.semantics import SDK_CALLBACK_ROLES


class OperationInSdkCallback(Rule):
    """A durable operation inside a callback the SDK calls.

    ## What it does
    Flags durable operations inside a `wait_for_callback` submitter, a
    `wait_for_condition` check, a retry or wait strategy, an `item_namer`, a
    `summary_generator` or a SerDes method.

    ## Why is this bad?
    The SDK calls these while it runs an operation of its own (or outside replay
    altogether). An operation started there has no place in the execution's
    sequence and breaks the checkpoints of the operation around it.

    ## Example
    ```python
    def submit(callback_id, callback_context):
        context.step(lambda _: notify(callback_id))

    context.wait_for_callback(submit)
    ```

    ## Use instead
    ```python
    def submit(callback_id, callback_context):
        notify(callback_id)

    context.wait_for_callback(submit)
    ```

    ## Fix
    None: do the work directly in the callback, or before the operation.
    """

    code = "DUR202"
    name = "operation-in-sdk-callback"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    def submit(callback_id, callback_context):
        send(callback_id)
    return context.wait_for_callback(submit, name="approval")
""",
    )
    INVALID = (
        """
from durable import durable_execution
from durable.config import WaitForConditionConfig

@durable_execution
def handler(event, context):
    def submit(callback_id, callback_context):
        context.step(lambda _: callback_id)  # want: DUR202
    def check(state, check_context):
        context.wait(5)  # want: DUR202
        return state
    context.wait_for_callback(submit)
    context.wait_for_condition(check, WaitForConditionConfig(initial_state=0))
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for op in model.ops:
            role = model.role(model.region_function(op.scope))
            if role not in SDK_CALLBACK_ROLES:
                continue
            what = describe_operation(op.method, op.context.name)
            yield Report(
                op.call,
                self.code,
                f"durable operation {what} inside a {role} the SDK calls back; "
                "do the work directly, or run the operation before or after it",
            )
        for handoff in analysis.handoffs:
            role = model.role(model.region_function(handoff.scope))
            if role not in SDK_CALLBACK_ROLES:
                continue
            yield Report(
                handoff.call,
                self.code,
                f"{handoff.helper.name}() runs durable operations inside a {role} the SDK "
                "calls back; do the work directly, or run the operations before or after it",
            )
