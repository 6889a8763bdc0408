"""DUR105: host or process identity read in replayed code."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class HostIdentity(ReplayedSinkRule):
    """Reading which host or process runs the code, in code that replays.

    ## What it does
    Flags `os.getpid()`, `socket.gethostname()`, `platform.node()`,
    `threading.get_ident()`, `id()` and `hash()` in replayed code.

    ## Why is this bad?
    Replays run in other processes, often on other hosts. `id()` and string
    `hash()` change per process, so anything built from them differs on replay.

    ## Example
    ```python
    worker = f"{socket.gethostname()}-{os.getpid()}"
    ```

    ## Use instead
    ```python
    worker = context.step(lambda _: f"{socket.gethostname()}-{os.getpid()}", name="worker")
    ```

    ## Fix
    None: read the value inside a step.
    """

    code = "DUR105"
    name = "host-identity"
    VALID = (
        """
import os
from durable import durable_execution

@durable_execution
def handler(event, context):
    return context.step(lambda _: os.getpid(), name="pid")
""",
    )
    INVALID = (
        """
import os
import socket
from durable import durable_execution

@durable_execution
def handler(event, context):
    key = hash(event["name"])  # want: DUR105
    return socket.gethostname(), os.getpid(), key  # want: DUR105
""",
    )
