"""DUR102: random value in replayed code."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class RandomValue(ReplayedSinkRule):
    """Drawing a random value in code that replays.

    ## What it does
    Flags the module-level functions of `random`, unseeded `random.Random()` and
    `SystemRandom()`, `secrets.*` (but `secrets.compare_digest`, a constant-time
    comparison), `os.urandom`, numpy's legacy global generator and an unseeded
    `numpy.random.default_rng()` in replayed code.

    ## Why is this bad?
    Every replay draws a different value: a branch taken on the first invocation
    is not taken on the next, and operations no longer line up with checkpoints.

    ## Example
    ```python
    @durable_execution
    def handler(event, context):
        if random.random() < 0.5:
            context.step(notify)
    ```

    ## Use instead
    ```python
    @durable_execution
    def handler(event, context):
        roll = context.step(lambda _: random.random(), name="roll")
        if roll < 0.5:
            context.step(notify)
    ```

    ## Fix
    Unsafe: wrap the draw in `context.step(lambda _: <draw>, name=...)`.
    A `random.Random(seed)` seeded from the event is deterministic and is not flagged.
    """

    code = "DUR102"
    name = "random-value"
    VALID = (
        """
import random
from durable import durable_execution

@durable_execution
def handler(event, context):
    rng = random.Random(42)
    picked = rng.choice(event["items"])
    drawn = context.step(lambda _: random.random())
    return picked, drawn
""",
    )
    INVALID = (
        """
import random
import secrets
from durable import durable_execution

@durable_execution
def handler(event, context):
    token = secrets.token_hex(8)  # want: DUR102
    rng = random.Random()  # want: DUR102
    return token, rng.random()
""",
    )
