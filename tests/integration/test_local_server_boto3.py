"""`durable serve`: boto3's real Lambda client against the local durable-execution API."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from durable import DurableContext, durable_execution
from durable.local_engine import LocalEngine
from durable.local_server import LocalApiServer
from durable.testing import LocalLambdaContext
from durable_cli_process import DurableCli


def lambda_client(url: str) -> Any:
    """A boto3 Lambda client talking to `url`, with dummy credentials."""
    return boto3.client(
        "lambda",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def order(event: Any, context: DurableContext) -> dict[str, Any]:
    priced = context.step(lambda _: 42, name="price")
    shipped = context.step(lambda _: "boxed", name="pack")
    answer = context.create_callback(name="approval").result()
    return {"price": priced, "packing": shipped, "answer": answer}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[LocalEngine, Any]]:
    """A local engine, served over HTTP (answers recorded, not driven), and a client."""
    local = LocalEngine(tmp_path / "executions.db")
    server = LocalApiServer(local, drive=False)
    server.start()
    yield local, lambda_client(server.url)
    server.close()
    local.close()


def _invoke_over_http(local: LocalEngine, client: Any, arn: str) -> dict[str, Any]:
    """One invocation, as Lambda would run it: a plain event, checkpoints over HTTP."""
    handler = durable_execution(order, boto3_client=client)
    event = dict(local.engine.invocation_event(arn))  # a dict: no in-process checkpointer
    started = local.engine.clock.now()
    output: dict[str, Any] = handler(event, LocalLambdaContext(uuid.uuid4().hex))
    local.engine.record_invocation(arn, "r", started, output)
    return output


def _all_events(client: Any, arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    marker: dict[str, str] = {}
    while True:
        page = client.get_durable_execution_history(DurableExecutionArn=arn, MaxItems=3, **marker)
        events.extend(page["Events"])
        if not page.get("NextMarker"):
            return events
        marker = {"Marker": page["NextMarker"]}


def test_handler_checkpoints_and_replays_through_the_http_api(
    served: tuple[LocalEngine, Any],
) -> None:
    local, client = served
    calls: list[str] = []
    client.meta.events.register("before-call.lambda", lambda model, **_: calls.append(model.name))
    arn = local.start("tests:order", '{"id": 1}', handler=order)

    assert _invoke_over_http(local, client, arn) == {"Status": "PENDING"}
    [started] = [e for e in _all_events(client, arn) if e["EventType"] == "CallbackStarted"]
    callback_id = started["CallbackStartedDetails"]["CallbackId"]
    client.send_durable_execution_callback_heartbeat(CallbackId=callback_id)
    client.send_durable_execution_callback_success(CallbackId=callback_id, Result=b'"approved"')

    output = _invoke_over_http(local, client, arn)  # replays steps from GetDurableExecutionState
    assert output["Status"] == "SUCCEEDED"
    assert {"CheckpointDurableExecution", "GetDurableExecutionState"} <= set(calls)
    described = client.get_durable_execution(DurableExecutionArn=arn)
    assert (described["Status"], described["DurableExecutionName"]) == (
        "SUCCEEDED",
        local.engine.execution(arn).name,
    )
    assert json.loads(described["Result"]) == {
        "price": 42,
        "packing": "boxed",
        "answer": '"approved"',
    }
    assert described["StartTimestamp"] <= described["EndTimestamp"]


def test_history_pages_through_boto3_equal_the_engines_history(
    served: tuple[LocalEngine, Any],
) -> None:
    local, client = served
    arn = local.start("tests:order", None, handler=order)
    _invoke_over_http(local, client, arn)

    events = _all_events(client, arn)
    expected = local.engine.history(arn)
    assert [(e["EventId"], e["EventType"]) for e in events] == [
        (e["EventId"], e["EventType"]) for e in expected
    ]
    for got, want in zip(events, expected, strict=True):  # epoch seconds on the wire
        assert abs((got["EventTimestamp"] - want["EventTimestamp"]).total_seconds()) < 0.001


def test_stale_checkpoint_token_is_an_invalid_parameter(served: tuple[LocalEngine, Any]) -> None:
    local, client = served
    arn = local.start("tests:order", None, handler=order)
    with pytest.raises(ClientError) as caught:
        client.checkpoint_durable_execution(
            DurableExecutionArn=arn, CheckpointToken="stale", Updates=[]
        )
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "Invalid checkpoint token" in caught.value.response["Error"]["Message"]


def test_unknown_execution_and_callback_are_not_found(served: tuple[LocalEngine, Any]) -> None:
    _, client = served
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_durable_execution(DurableExecutionArn="arn:aws:lambda:nowhere")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.send_durable_execution_callback_success(CallbackId="nope", Result=b"1")


def test_durable_serve_drives_an_execution_on_when_its_callback_is_answered(
    durable_cli: DurableCli,
) -> None:
    waiting = durable_cli("run", "marker_steps:approval", "--name", "a").stdout.splitlines()
    arn, callback_id = waiting[0], waiting[1].split()[3]
    server = durable_cli.start("serve", "--port", "0")
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[5]
        client = lambda_client(url)
        client.send_durable_execution_callback_success(CallbackId=callback_id, Result=b'"ok"')
        described = _finished(client, arn)
    finally:
        server.terminate()
        server.communicate(timeout=10)
    assert described["Status"] == "SUCCEEDED"
    assert json.loads(described["Result"]) == {"approved": '"ok"'}


def _finished(client: Any, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while (described := client.get_durable_execution(DurableExecutionArn=arn))[
        "Status"
    ] == "RUNNING":
        assert time.monotonic() < deadline, "the server did not finish the execution"
        time.sleep(0.05)
    return described


def test_durable_serve_drives_on_an_execution_a_killed_run_left_behind(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    markers = tmp_path / "markers.txt"
    payload = json.dumps({"markers": str(markers), "steps": 4, "pause": 0, "wait_seconds": 1})
    run = durable_cli.start("run", "marker_steps:steps", "--input", payload)
    assert run.stdout is not None
    arn = run.stdout.readline().strip()
    while len(markers.read_text().splitlines() if markers.exists() else []) < 3:
        assert run.poll() is None
        time.sleep(0.005)
    run.kill()  # during the wait after the third step
    run.communicate(timeout=10)

    server = durable_cli.start("serve")
    try:
        assert server.stdout is not None
        described = _finished(lambda_client(server.stdout.readline().split()[5]), arn)
    finally:
        server.terminate()
        server.communicate(timeout=10)
    assert described["Status"] == "SUCCEEDED"
    assert json.loads(described["Result"])["count"] == 4
