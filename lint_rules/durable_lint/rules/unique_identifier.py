"""DUR103: unique identifier generated in replayed code."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class UniqueIdentifier(ReplayedSinkRule):
    """Generating a fresh identifier in code that replays.

    ## What it does
    Flags `uuid.uuid1()`, `uuid4()`, `uuid7()`, `uuid.getnode()` and ULID generators
    in replayed code. `uuid3` and `uuid5` hash their input and are fine.

    ## Why is this bad?
    Each replay makes a new identifier: an idempotency key sent to a payment API
    differs between invocations and the side effect can happen twice.

    ## Example
    ```python
    order_id = str(uuid.uuid4())
    ```

    ## Use instead
    ```python
    order_id = context.step(lambda _: str(uuid.uuid4()), name="order-id")
    # or, from stable input:
    order_id = str(uuid.uuid5(uuid.NAMESPACE_URL, event["request_id"]))
    ```

    ## Fix
    Unsafe: wrap the call in `context.step(lambda _: <call>, name=...)`.
    """

    code = "DUR103"
    name = "unique-identifier"
    VALID = (
        """
import uuid
from durable import durable_execution

@durable_execution
def handler(event, context):
    stable = uuid.uuid5(uuid.NAMESPACE_URL, event["id"])
    fresh = context.step(lambda _: str(uuid.uuid4()), name="fresh")
    return stable, fresh
""",
    )
    INVALID = (
        """
from uuid import uuid4
from durable import durable_execution

@durable_execution
def handler(event, context):
    return str(uuid4())  # want: DUR103
""",
    )
