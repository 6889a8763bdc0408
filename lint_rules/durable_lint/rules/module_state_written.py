"""DUR305: module state written in replayed code."""

from __future__ import annotations

from collections.abc import Iterator

from durable_lint.analysis import Analysis
from durable_lint.findings import Report
from durable_lint.rules.base import Rule
from durable_lint.semantics import Region
from durable_lint.state_writes import state_writes


class ModuleStateWritten(Rule):
    """Writing module-level state from replayed code.

    ## What it does
    Flags, in a handler or another replayed function, `global` rebinding and
    writes to module-level containers (item assignment, `del`, `append`, `update`,
    ...) or attributes of module-level objects.

    ## Why is this bad?
    Warm sandboxes keep module state between invocations, and between different
    executions: the value leaks from one execution into another, and replay sees
    whatever the last invocation left behind.

    ## Example
    ```python
    SEEN = set()

    @durable_execution
    def handler(event, context):
        SEEN.add(event["id"])
    ```

    ## Use instead
    ```python
    @durable_execution
    def handler(event, context):
        seen = {event["id"]}
    ```

    ## Fix
    None: keep the state in locals, the event, or operation results.
    """

    code = "DUR305"
    name = "module-state-written"
    VALID = (
        """
from durable import durable_execution

CACHE = {}

@durable_execution
def handler(event, context):
    local = dict(CACHE)
    local["id"] = event["id"]
    return local
""",
    )
    INVALID = (
        """
from durable import durable_execution

SEEN = set()
COUNT = 0

@durable_execution
def handler(event, context):
    global COUNT
    COUNT += 1  # want: DUR305
    SEEN.add(event["id"])  # want: DUR305
""",
    )

    def check(self, analysis: Analysis) -> Iterator[Report]:
        for write in state_writes(analysis):
            if write.where != "module" or analysis.region(write.scope) is not Region.REPLAYED:
                continue
            yield Report(
                write.node,
                self.code,
                f"replayed code {write.how} module-level '{write.name}', state that leaks "
                "between executions and differs on replay; keep it in locals or results",
            )
