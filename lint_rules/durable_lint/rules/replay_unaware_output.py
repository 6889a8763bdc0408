"""DUR110: replay-unaware output in replayed code."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class ReplayUnawareOutput(ReplayedSinkRule):
    """Printing or logging in code that replays, instead of `context.logger`.

    ## What it does
    Flags `print`, `sys.stdout.write`, `sys.stderr.write`, the `logging` module's
    functions and calls on loggers from `logging.getLogger(...)` in replayed code.

    ## Why is this bad?
    Replayed code runs once per invocation, so every line is written again on each
    replay: logs fill with duplicates that look like repeated work. `context.logger`
    stays silent while the handler replays.

    ## Example
    ```python
    logger = logging.getLogger(__name__)

    @durable_execution
    def handler(event, context):
        logger.info("charging %s", event["order_id"])
    ```

    ## Use instead
    ```python
    @durable_execution
    def handler(event, context):
        context.logger.info("charging %s", event["order_id"])
    ```

    ## Fix
    None: use `context.logger`, or log inside a step.
    """

    code = "DUR110"
    name = "replay-unaware-output"
    VALID = (
        """
import logging
from durable import durable_execution, durable_step

logger = logging.getLogger(__name__)

@durable_step
def charge(step_context, order_id):
    logger.info("charging %s", order_id)
    print("charged")

@durable_execution
def handler(event, context):
    context.logger.info("start")
    return context.step(charge(event["order_id"]))
""",
    )
    INVALID = (
        """
import logging
import sys
from durable import durable_execution

logger = logging.getLogger(__name__)

@durable_execution
def handler(event, context):
    print("start")  # want: DUR110
    logger.info("start")  # want: DUR110
    logging.warning("start")  # want: DUR110
    sys.stderr.write("start")  # want: DUR110
""",
    )
