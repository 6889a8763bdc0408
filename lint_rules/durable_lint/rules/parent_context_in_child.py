"""DUR301: parent context used in a child scope."""

from __future__ import annotations

from collections.abc import Iterator

from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.semantics import CHILD_ROLES, DURABLE


class ParentContextInChild(Rule):
    """Using an enclosing durable context inside a child-context, map or branch function.

    ## What it does
    Inside a function run by `run_in_child_context`, `map`, `parallel` (or decorated
    `@durable_with_child_context` / `@durable_parallel_branch`), flags durable
    operations on an enclosing context instead of the function's own context parameter.

    ## Why is this bad?
    The child's operations must be recorded under the child context. Started on
    the parent, they take Ids from the parent's counter while the child runs
    concurrently or is skipped on replay, so the parent's sequence shifts.

    ## Example
    ```python
    context.map(items, lambda child, item, index, all_items: context.step(process(item)))
    ```

    ## Use instead
    ```python
    context.map(items, lambda child, item, index, all_items: child.step(process(item)))
    ```

    ## Fix
    None: use the function's own context parameter.
    """

    code = "DUR301"
    name = "parent-context-in-child"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    def child(context):
        return context.step(lambda _: 1)
    return context.run_in_child_context(child)
""",
    )
    INVALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    def child(child_context):
        return context.step(lambda _: 1)  # want: DUR301
    context.run_in_child_context(child)
    context.map(event["items"], lambda c, item, i, a: context.step(lambda _: item))  # want: DUR301
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for op in model.ops:
            if op.method == "callback.result" or op.context.kind != DURABLE:
                continue
            function = model.region_function(op.scope)
            if function is None or model.role(function) not in CHILD_ROLES:
                continue
            own = model.contexts.get(function, {})
            if not own or op.context.function is function:
                continue
            own_name = next(iter(own))
            yield Report(
                op.call,
                self.code,
                f"durable operation on the enclosing context '{op.context.name}' inside a child "
                f"function; use its own context parameter '{own_name}'",
            )
        for handoff in analysis.handoffs:
            function = model.region_function(handoff.scope)
            if function is None or model.role(function) not in CHILD_ROLES:
                continue
            own = model.contexts.get(function, {})
            ref = handoff.context
            if not own or ref.kind != DURABLE or ref.function is function:
                continue
            yield Report(
                handoff.call,
                self.code,
                f"{handoff.helper.name}() runs durable operations on the enclosing context "
                f"'{ref.name}' inside a child function; pass its own context "
                f"'{next(iter(own))}'",
            )
