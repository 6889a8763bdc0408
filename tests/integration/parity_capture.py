"""Run one handler on one SDK's local runner and capture what the SDK wrote.

Both runners are driven the same way: the input goes in as JSON, every
`CheckpointDurableExecution` call the SDK makes is recorded by wrapping the runner's
checkpoint client (so we see the SDK's own `OperationUpdate`s, before any service
logic), every invocation envelope the handler returns is recorded by wrapping the
handler, and the final operation log is read from the runner's store. Everything is
turned into botocore-shaped dicts (each SDK's own `to_dict`), then normalised.

What is normalised, and why (nothing else is touched):
- Timestamps (StartTimestamp, EndTimestamp, NextAttemptTimestamp,
  ScheduledEndTimestamp) become "<time>": wall-clock readings of two separate runs.
- The EXECUTION operation's Id and Name become "<execution>": the service makes
  them up (they are part of the execution ARN), the SDK only echoes them back. The
  Id of an EXECUTION update (a handler result over 6 MiB) becomes "<execution>" too:
  the official SDK writes `execution-result-<milliseconds since 1970>`, a clock
  reading, where ours writes the EXECUTION operation's Id; the service identifies
  the execution by its ARN either way.
- CallbackId becomes "<callback-id>": the service mints it, like a token.
- ErrorObject.StackTrace becomes "<stack>" when present: the frames name files and
  line numbers of two different SDKs. Whether a trace is present is still compared.
- An ErrorType naming one of the SDK's own exceptions is written with the package
  prefix `durable.`: `aws_durable_execution_sdk_python.exceptions.StepError` and
  `durable.exceptions.StepError` are the same error of the two packages, and the
  package name is the one thing a port changes.
- In the final operation log, members whose value is None are dropped: the official
  runner's model writes absent members as null (e.g. `ContextDetails.Result: None`),
  ours leaves them out; to botocore both mean "not set".
- Checkpoint tokens and ARNs never appear in the captured dicts; they are not compared.
- SerDes failures only (ErrorType SerDesError on both sides, at the same place): our
  ErrorMessage names the operation, then ends with the official SDK's wording
  ("cannot serialize the result of step 'x': Unsupported type: <class 'object'>"), by
  the lead's decision (replay never compares messages). `align_serdes_wording` checks
  that ours ENDS WITH the official message and then compares it as equal; any other
  difference, and every other field, still fails the comparison.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aws_durable_execution_sdk_python.lambda_service import ErrorObject as OfficialErrorObject
from aws_durable_execution_sdk_python_testing.runner import DurableFunctionTestRunner
from durable._core.checkpoint import CheckpointResult
from durable._core.wire import OperationUpdate
from durable.service.engine import Engine
from durable.testing import LocalDurableTestRunner
from parity_handlers import OURS, THEIRS, Api, Case

TIMESTAMP_FIELDS = ("StartTimestamp", "EndTimestamp", "NextAttemptTimestamp")
DETAIL_TIMESTAMP_FIELDS = ("ScheduledEndTimestamp", "NextAttemptTimestamp")
OFFICIAL_PACKAGE = "aws_durable_execution_sdk_python"
SERDES_ERROR_TYPE = "durable.exceptions.SerDesError"

# The official runner logs every failed invocation with a traceback; the tests
# compare those failures, they do not need to see them.
logging.getLogger("aws_durable_execution_sdk_python_testing").setLevel(logging.CRITICAL)
logging.getLogger("aws_durable_execution_sdk_python").setLevel(logging.CRITICAL)


@dataclass
class Capture:
    """What one SDK did for one handler run, normalised for comparison."""

    status: str
    result: Any
    error: dict[str, Any] | None
    updates: list[dict[str, Any]] = field(default_factory=list)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)
    envelopes: list[dict[str, Any]] = field(default_factory=list)

    def updates_by_operation(self) -> dict[str, list[dict[str, Any]]]:
        """The updates grouped by operation Id, each group in the order written."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for update in self.updates:
            grouped.setdefault(update["Id"], []).append(update)
        return grouped


def _normalise_error(error: dict[str, Any] | None) -> dict[str, Any] | None:
    if not error:
        return error
    error = dict(error)
    error_type = error.get("ErrorType")
    if isinstance(error_type, str) and error_type.startswith(f"{OFFICIAL_PACKAGE}."):
        error["ErrorType"] = "durable." + error_type.removeprefix(f"{OFFICIAL_PACKAGE}.")
    if error.get("StackTrace"):
        error["StackTrace"] = "<stack>"
    return error


def _aligned(ours: Any, theirs: Any) -> Any:
    """`ours` with each SerDes ErrorMessage that ends with the official one at the same
    place replaced by the official one; everything else as it is."""
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return [_aligned(a, b) for a, b in zip(ours, theirs, strict=True)]
    if not (isinstance(ours, dict) and isinstance(theirs, dict)):
        return ours
    out = {key: _aligned(value, theirs.get(key)) for key, value in ours.items()}
    mine, official = out.get("ErrorMessage"), theirs.get("ErrorMessage")
    if (
        out.get("ErrorType") == theirs.get("ErrorType") == SERDES_ERROR_TYPE
        and isinstance(mine, str)
        and isinstance(official, str)
        and mine.endswith(": " + official)
    ):
        out["ErrorMessage"] = official
    return out


def align_serdes_wording(ours: Capture, theirs: Capture) -> Capture:
    """`ours` with its SerDes failure messages compared by their official ending."""
    return dataclasses.replace(
        ours,
        error=_aligned(ours.error, theirs.error),
        updates=_aligned(ours.updates, theirs.updates),
        operations=_aligned(ours.operations, theirs.operations),
        envelopes=_aligned(ours.envelopes, theirs.envelopes),
    )


def _without_nulls(item: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _without_nulls(value) if isinstance(value, dict) else value
        for key, value in item.items()
        if value is not None
    }


def _normalise(item: dict[str, Any], execution_id: str | None) -> dict[str, Any]:
    item = dict(item)
    if item.get("Type") == "EXECUTION" and "Action" in item:
        item["Id"] = "<execution>"
    if execution_id is not None and item.get("Id") == execution_id:
        item["Id"] = "<execution>"
        if "Name" in item:
            item["Name"] = "<execution>"
    if execution_id is not None and item.get("ParentId") == execution_id:
        item["ParentId"] = "<execution>"
    for key in TIMESTAMP_FIELDS:
        if item.get(key) is not None:
            item[key] = "<time>"
    if "Error" in item:
        item["Error"] = _normalise_error(item["Error"])
    for key, value in list(item.items()):
        if key.endswith("Details") and isinstance(value, dict):
            details = dict(value)
            for stamp in DETAIL_TIMESTAMP_FIELDS:
                if details.get(stamp) is not None:
                    details[stamp] = "<time>"
            if details.get("CallbackId"):
                details["CallbackId"] = "<callback-id>"
            if "Error" in details:
                details["Error"] = _normalise_error(details["Error"])
            item[key] = details
    return item


def _normalise_envelope(envelope: Any) -> dict[str, Any]:
    if not isinstance(envelope, dict):
        return {"NotADict": repr(envelope)}
    out = dict(envelope)
    if "Error" in out:
        out["Error"] = _normalise_error(out["Error"])
    return out


class _Envelopes:
    """The envelopes a handler returned, and whether an invocation is still running.

    The official runner finishes an execution as soon as the EXECUTION update of a
    large result is checkpointed, before the invocation has returned its envelope;
    `settled` waits for that last envelope.
    """

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._running = 0
        self._idle = threading.Condition()

    def wrap(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def recording(event: Any, context: Any) -> Any:
            with self._idle:
                self._running += 1
            try:
                envelope = handler(event, context)
                self.items.append(envelope)
                return envelope
            finally:
                with self._idle:
                    self._running -= 1
                    self._idle.notify_all()

        return recording

    def settled(self, timeout: float = 30) -> list[Any]:
        with self._idle:
            self._idle.wait_for(lambda: self._running == 0, timeout)
        return self.items


def _execution_id(operations: Sequence[dict[str, Any]]) -> str | None:
    return next((op["Id"] for op in operations if op["Type"] == "EXECUTION"), None)


def _capture(
    status: str,
    result: str | None,
    error: dict[str, Any] | None,
    updates: list[dict[str, Any]],
    operations: list[dict[str, Any]],
    envelopes: list[Any],
) -> Capture:
    execution_id = _execution_id(operations)
    return Capture(
        status=status,
        result=json.loads(result) if result else None,
        error=_normalise_error(error),
        updates=[_normalise(u, execution_id) for u in updates],
        operations={
            (n := _normalise(_without_nulls(op), execution_id))["Id"]: n for op in operations
        },
        envelopes=[_normalise_envelope(e) for e in envelopes],
    )


class _OurDriver:
    def __init__(self, runner: LocalDurableTestRunner, arn: str) -> None:
        self.runner, self.arn = runner, arn

    def wait_for_callback(self, name: str) -> str:
        return self.runner.wait_for_callback(self.arn, name, timeout=30)

    def send_callback_success(self, callback_id: str, result: str) -> None:
        self.runner.send_callback_success(callback_id, result)

    def send_callback_failure(self, callback_id: str, message: str, error_type: str) -> None:
        error = {"ErrorMessage": message, "ErrorType": error_type}
        self.runner.send_callback_failure(callback_id, error)

    def send_callback_heartbeat(self, callback_id: str) -> None:
        self.runner.send_callback_heartbeat(callback_id)


class _TheirDriver:
    def __init__(self, runner: DurableFunctionTestRunner, arn: str) -> None:
        self.runner, self.arn = runner, arn

    def wait_for_callback(self, name: str) -> str:
        return self.runner.wait_for_callback(self.arn, name, timeout=30)

    def send_callback_success(self, callback_id: str, result: str) -> None:
        self.runner.send_callback_success(callback_id, result.encode())

    def send_callback_failure(self, callback_id: str, message: str, error_type: str) -> None:
        error = OfficialErrorObject(message=message, type=error_type, data=None, stack_trace=None)
        self.runner.send_callback_failure(callback_id, error)

    def send_callback_heartbeat(self, callback_id: str) -> None:
        self.runner.send_callback_heartbeat(callback_id)


def run_ours(
    case: Case,
    timeout: float = 30,
    *,
    handler_for: Callable[[Engine], Callable[..., Any]] | None = None,
) -> Capture:
    """Run the case's handler built with `durable` on our runner (or the durable handler
    `handler_for(engine)` makes, for handlers that need the runner's engine)."""
    chosen: list[Callable[..., Any]] = []

    def handler(event: Any, context: Any) -> Any:
        return chosen[0](event, context)

    handler.durable_handler = True  # type: ignore[attr-defined]  # the chosen one is
    updates: list[dict[str, Any]] = []
    envelopes = _Envelopes()
    with LocalDurableTestRunner(envelopes.wrap(handler)) as runner:
        chosen.append(handler_for(runner.engine) if handler_for else case.build(Api(OURS)))
        for name, (function, durable) in (
            case.functions(Api(OURS)) if case.functions else {}
        ).items():
            register = runner.register_durable_function if durable else runner.register_function
            register(name, function)
        engine_checkpoint = runner.engine.checkpoint

        def recording(arn: str, token: str, batch: Sequence[OperationUpdate]) -> CheckpointResult:
            updates.extend(u.to_dict() for u in batch)
            return engine_checkpoint(arn, token, batch)

        runner.engine.checkpoint = recording  # type: ignore[method-assign]
        arn = runner.start(case.payload)
        if case.drive:
            case.drive(_OurDriver(runner, arn))
        outcome = runner.wait_for_result(arn, timeout=timeout)
        with runner.engine.lock:
            operations = [
                op.to_dict() for op in runner.engine.execution(outcome.arn).operations.values()
            ]
    return _capture(
        outcome.status, outcome.raw_result, outcome.error, updates, operations, envelopes.settled()
    )


def run_theirs(case: Case, timeout: int = 30) -> Capture:
    """Run the case's handler built with the official SDK on its
    `DurableFunctionTestRunner`."""
    handler = case.build(Api(THEIRS))
    written: list[dict[str, Any]] = []
    envelopes = _Envelopes()
    with DurableFunctionTestRunner(handler) as runner:
        runner.poll_interval = 0.02
        for name, (function, durable) in (
            case.functions(Api(THEIRS)) if case.functions else {}
        ).items():
            register = runner.register_durable_function if durable else runner.register_function
            register(name, function)
        runner._invoker.handler = envelopes.wrap(handler)
        client = runner._service_client
        client_checkpoint = client.checkpoint

        def recording(
            durable_execution_arn: str,
            checkpoint_token: str,
            updates: list[Any],
            client_token: str | None = None,
        ) -> Any:
            written.extend(dict(u.to_dict()) for u in updates)
            return client_checkpoint(durable_execution_arn, checkpoint_token, updates, client_token)

        client.checkpoint = recording  # type: ignore[method-assign]
        arn = runner.run_async(input=json.dumps(case.payload))
        if case.drive:
            case.drive(_TheirDriver(runner, arn))
        outcome = runner.wait_for_result(arn, timeout=timeout)
        execution = runner._store.load(arn)
        operations = [dict(op.to_dict()) for op in execution.operations]
        returned = envelopes.settled()
    error = dict(outcome.error.to_dict()) if outcome.error else None
    return _capture(outcome.status.value, outcome.result, error, written, operations, returned)
