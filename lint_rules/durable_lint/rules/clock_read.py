"""DUR101: clock read in replayed code."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class ClockRead(ReplayedSinkRule):
    """Reading the clock in code that replays.

    ## What it does
    Flags `time.time()`, `datetime.now()`, `date.today()` and the other clock
    reads of the catalogue in replayed code (a handler, a child-context, map-item
    or parallel-branch function), directly or through a helper of the module.

    ## Why is this bad?
    Replay runs the handler again from the top. A clock read returns a new value on
    every replay, so decisions and operation names built from it change between
    invocations and the execution diverges from its checkpoints.

    ## Example
    ```python
    @durable_execution
    def handler(event, context):
        started = time.time()
    ```

    ## Use instead
    ```python
    @durable_execution
    def handler(event, context):
        started = context.step(lambda _: time.time(), name="started")
    ```

    ## Fix
    Unsafe: wrap the read in `context.step(lambda _: <read>, name=...)`.
    """

    code = "DUR101"
    name = "clock-read"
    VALID = (
        """
import time
from durable import durable_execution, durable_step

@durable_step
def stamp(step_context):
    return time.time()

@durable_execution
def handler(event, context):
    started = context.step(lambda _: time.time())
    stamped = context.step(stamp())
    return time.strftime("%Y", time.gmtime(started))
""",
    )
    INVALID = (
        """
from time import time as now
import datetime as dt
from durable import durable_execution

@durable_execution
def handler(event, context):
    started = now()  # want: DUR101
    today = dt.date.today()  # want: DUR101
    return started, today
""",
        """
import time
from durable import durable_execution

def stamp():
    return time.time()

def build_order(event):
    return {"at": stamp()}

@durable_execution
def handler(event, context):
    return build_order(event)  # want: DUR101
""",
    )
