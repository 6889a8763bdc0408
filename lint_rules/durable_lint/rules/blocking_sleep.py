"""DUR108: blocking sleep in replayed code."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class BlockingSleep(ReplayedSinkRule):
    """Sleeping in code that replays, instead of a durable wait.

    ## What it does
    Flags `time.sleep(...)` and `asyncio.sleep(...)` in replayed code.

    ## Why is this bad?
    The function keeps running (and billing) while it sleeps, every replay sleeps
    again, and a long sleep hits the invocation timeout. `context.wait` suspends the
    execution and resumes it later without holding compute.

    ## Example
    ```python
    time.sleep(60)
    ```

    ## Use instead
    ```python
    context.wait(Duration.from_seconds(60))
    ```

    ## Fix
    Unsafe: `time.sleep(n)` becomes `context.wait(Duration.from_seconds(n))`.
    """

    code = "DUR108"
    name = "blocking-sleep"
    VALID = (
        """
import time
from durable import durable_execution, durable_step
from durable.config import Duration

@durable_step
def poll(step_context):
    time.sleep(1)

@durable_execution
def handler(event, context):
    context.step(poll())
    context.wait(Duration.from_seconds(60))
""",
    )
    INVALID = (
        """
import asyncio
import time
from durable import durable_execution

@durable_execution
def handler(event, context):
    time.sleep(60)  # want: DUR108

@durable_execution
async def async_handler(event, context):
    await asyncio.sleep(5)  # want: DUR108
""",
    )
