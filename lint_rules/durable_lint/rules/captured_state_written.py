"""DUR304: captured state written in a step or child function."""

from __future__ import annotations

from collections.abc import Iterator

from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.semantics import CHILD_ROLES
from durable_lint.state_writes import state_writes


class CapturedStateWritten(Rule):
    """Writing a captured variable from inside a step, child, map-item or branch function.

    ## What it does
    Inside a step, child-context, map-item or parallel-branch function, flags writes
    to names it captured from an enclosing function: rebinding (`nonlocal`, and
    `global` in steps), augmented assignment, `del`, item or attribute assignment,
    and mutating calls (`append`, `update`, `add`, `pop`, ...). Reads are fine.

    ## Why is this bad?
    On replay a completed operation is not run again: its recorded result is
    returned instead. A side effect on captured state happens on the first
    invocation only, so on replay the variable is silently missing the write.

    ## Example
    ```python
    results = []
    for item in event["items"]:
        context.step(lambda _: results.append(process(item)))
    ```

    ## Use instead
    ```python
    results = [context.step(lambda _: process(item)) for item in event["items"]]
    ```

    ## Fix
    None: return the value from the operation and assign it outside.
    """

    code = "DUR304"
    name = "captured-state-written"
    VALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    totals = {}
    def step(step_context):
        local = {"n": len(totals)}
        local["m"] = 1
        return local
    totals["x"] = context.step(step)
    return totals
""",
    )
    INVALID = (
        """
from durable import durable_execution

@durable_execution
def handler(event, context):
    results = []
    count = 0
    def child(child_context):
        nonlocal count
        count += 1  # want: DUR304
        results.append(child_context.step(lambda _: 1))  # want: DUR304
    context.run_in_child_context(child)
    context.step(lambda _: results.append(2))  # want: DUR304
    return results
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        model = analysis.model
        for write in state_writes(analysis):
            role = model.role(write.function)
            in_step = role == "step"
            if not (in_step or role in CHILD_ROLES):
                continue
            if write.where == "module" and not in_step:
                continue  # module state in replayed code is DUR305
            kind = "step" if in_step else "child function"
            yield Report(
                write.node,
                self.code,
                f"{kind} {write.how} captured '{write.name}', a write lost when replay skips "
                "the completed operation; return the value instead",
            )
