"""DUR104: external I/O in replayed code."""

from __future__ import annotations

from durable_lint.rules.base import ReplayedSinkRule


class ExternalIO(ReplayedSinkRule):
    """Network, file, process or database I/O in code that replays.

    ## What it does
    Flags network calls (`requests`, `httpx`, `urllib.request`, `socket`, boto3
    clients and calls on the clients they return), file access (`open`, `pathlib`
    reads and writes, `os.listdir`, `shutil`, `tempfile`, `glob`), processes
    (`subprocess`, `os.system`) and database connections in replayed code.

    ## Why is this bad?
    The I/O runs again on every replay: a POST is sent twice, a file read returns
    something else the second time, and nothing about it is checkpointed.

    ## Example
    ```python
    s3 = boto3.client("s3")

    @durable_execution
    def handler(event, context):
        body = s3.get_object(Bucket="b", Key=event["key"])["Body"].read()
    ```

    ## Use instead
    ```python
    @durable_execution
    def handler(event, context):
        body = context.step(lambda _: s3.get_object(Bucket="b", Key=event["key"])["Body"].read())
    ```

    ## Fix
    None: move the call into a step (its result is checkpointed).
    """

    code = "DUR104"
    name = "external-io"
    VALID = (
        """
import boto3
import requests
from pathlib import Path
from durable import durable_execution, durable_step

s3 = boto3.client("s3")

@durable_step
def fetch(step_context, url):
    return requests.get(url).json()

@durable_execution
def handler(event, context):
    data = context.step(fetch(event["url"]))
    obj = context.step(lambda _: s3.get_object(Bucket="b", Key="k"))
    path = Path("/tmp") / "x.json"
    return data, obj, str(path)
""",
    )
    INVALID = (
        """
import boto3
import requests
from pathlib import Path
from durable import durable_execution

s3 = boto3.client("s3")

@durable_execution
def handler(event, context):
    data = requests.get(event["url"]).json()  # want: DUR104
    s3.put_object(Bucket="b", Key="k", Body=b"")  # want: DUR104
    text = (Path("/tmp") / "x.json").read_text()  # want: DUR104
    with open("/tmp/y") as handle:  # want: DUR104
        return data, text, handle.read()
""",
    )
