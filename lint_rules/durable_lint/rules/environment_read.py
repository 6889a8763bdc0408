"""DUR106: environment read in replayed code (opt-in)."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class EnvironmentRead(ReplayedSinkRule):
    """Reading environment variables in code that replays (opt-in: select DUR106).

    ## What it does
    Flags `os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)` and
    `os.environb` in replayed code.

    ## Why is this bad?
    A deployment between two invocations can change the environment, and the replay
    then takes another branch. Most functions keep their environment fixed, which is
    why this rule is off unless selected.

    ## Example
    ```python
    if os.environ.get("FEATURE_X") == "on":
        context.step(new_flow)
    ```

    ## Use instead
    ```python
    flags = context.step(lambda _: os.environ.get("FEATURE_X"), name="flags")
    ```

    ## Fix
    None: read it inside a step or at module level, or pass it in the event.
    """

    code = "DUR106"
    name = "environment-read"
    default_enabled = False
    VALID = (
        """
import os
from durable import durable_execution

TABLE = os.environ["TABLE"]

@durable_execution
def handler(event, context):
    return context.step(lambda _: os.getenv("REGION"))
""",
    )
    INVALID = (
        """
import os
from durable import durable_execution

@durable_execution
def handler(event, context):
    region = os.getenv("REGION")  # want: DUR106
    return os.environ["TABLE"], region  # want: DUR106
""",
    )
