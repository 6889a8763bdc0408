"""`durable serve`: the Lambda durable-execution HTTP API over the local engine.

The server answers the REST paths of botocore's `lambda` service model (rest-json,
API version 2025-12-01) for CheckpointDurableExecution, GetDurableExecutionState,
GetDurableExecution, GetDurableExecutionHistory and SendDurableExecutionCallback
Success/Failure/Heartbeat, so a boto3 Lambda client created with
`endpoint_url="http://127.0.0.1:PORT"` works against the executions in the local
database. An execution whose callback is answered through the API is driven on by the
server, as the service would invoke the function again; `durable serve` also drives on
the executions it finds running when it starts.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from durable._core.wire import OperationUpdate
from durable.exceptions import CheckpointError
from durable.local_engine import LocalEngine, LocalEngineError
from durable.service.sqlite_store import StoreConflict
from durable.service.store import Execution

API_VERSION = "2025-12-01"
DEFAULT_PAGE = 1000


class ApiError(Exception):
    """An error answered the way the Lambda API does: status, code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def _wire(value: Any) -> Any:
    """JSON-ready value: datetimes as epoch seconds (rest-json's timestamp format)."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {key: _wire(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_wire(item) for item in value]
    return value


def _page(items: list[Any], query: dict[str, str]) -> tuple[list[Any], str | None]:
    try:
        start = int(query.get("Marker") or 0)
        size = int(query.get("MaxItems") or DEFAULT_PAGE) or DEFAULT_PAGE
    except ValueError:
        message = "Marker and MaxItems must be numbers"
        raise ApiError(400, "InvalidParameterValueException", message) from None
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


class LocalApi:
    """The API's operations over a `LocalEngine`, independent of HTTP."""

    def __init__(self, local: LocalEngine, *, drive: bool = True) -> None:
        self.local = local
        self.drive = drive
        self.engine = local.engine
        self._driving: set[str] = set()
        self._lock = threading.Lock()
        self.drive_errors: list[str] = []

    def _execution(self, arn: str) -> Execution:
        try:
            return self.local.execution(arn)
        except LocalEngineError as error:
            raise ApiError(404, "ResourceNotFoundException", str(error)) from None

    def checkpoint(self, arn: str, body: dict[str, Any]) -> dict[str, Any]:
        """CheckpointDurableExecution."""
        self._execution(arn)
        updates = [OperationUpdate.from_dict(item) for item in body.get("Updates") or ()]
        try:
            result = self.engine.checkpoint(arn, body.get("CheckpointToken") or "", updates)
        except StoreConflict as error:  # retryable, as the service's 5xx answers are
            raise ApiError(500, "ServiceException", str(error)) from None
        except CheckpointError as error:
            raise ApiError(400, "InvalidParameterValueException", str(error)) from None
        state = {"Operations": [op.to_dict() for op in result.operations]}
        return {"CheckpointToken": result.checkpoint_token, "NewExecutionState": state}

    def state(self, arn: str, query: dict[str, str]) -> dict[str, Any]:
        """GetDurableExecutionState."""
        self._execution(arn)
        try:
            size = int(query.get("MaxItems") or DEFAULT_PAGE) or DEFAULT_PAGE
            page = self.engine.get_execution_state(
                arn, query.get("CheckpointToken") or "", query.get("Marker") or "0", size
            )
        except (CheckpointError, ValueError) as error:
            raise ApiError(400, "InvalidParameterValueException", str(error)) from None
        out: dict[str, Any] = {"Operations": [op.to_dict() for op in page.operations]}
        if page.next_marker:
            out["NextMarker"] = page.next_marker
        return out

    def describe(self, arn: str) -> dict[str, Any]:
        """GetDurableExecution."""
        with self.engine.lock:
            execution = self._execution(arn)
            root = next(iter(execution.operations.values()))
            out: dict[str, Any] = {
                "DurableExecutionArn": execution.arn,
                "DurableExecutionName": execution.name,
                "FunctionArn": execution.arn.split("/durable-execution/")[0],
                "Status": execution.status,
                "StartTimestamp": root.start_timestamp,
                "Version": "$LATEST",
            }
            if execution.input_payload is not None:
                out["InputPayload"] = execution.input_payload
            if execution.result is not None:
                out["Result"] = execution.result
            if execution.error is not None:
                out["Error"] = execution.error.to_dict()
            if root.end_timestamp is not None:
                out["EndTimestamp"] = root.end_timestamp
            return out

    def history(self, arn: str, query: dict[str, str]) -> dict[str, Any]:
        """GetDurableExecutionHistory."""
        with self.engine.lock:
            self._execution(arn)
            events = self.engine.history(arn)
        if query.get("ReverseOrder") == "true":
            events.reverse()
        page, marker = _page(events, query)
        out: dict[str, Any] = {"Events": page}
        if marker:
            out["NextMarker"] = marker
        return out

    def answer(self, callback_id: str, action: str, body: bytes) -> dict[str, Any]:
        """SendDurableExecutionCallbackSuccess / Failure / Heartbeat."""
        result: str | None = None
        error: dict[str, Any] | None = None
        if action == "succeed":
            result = body.decode() if body else None
        elif action == "fail" and body:
            error = json.loads(body)
        try:
            arn = self.local.answer_callback(callback_id, action, result, error)
        except LocalEngineError as problem:
            raise ApiError(404, "ResourceNotFoundException", str(problem)) from None
        except StoreConflict as problem:
            raise ApiError(500, "ServiceException", str(problem)) from None
        except CheckpointError as problem:
            raise ApiError(400, "InvalidParameterValueException", str(problem)) from None
        if action != "heartbeat" and self.drive:
            self._drive_in_background(arn)
        return {}

    def drive_running(self) -> int:
        """Drive on, in the background, every execution the file has as RUNNING (one
        left behind by a stopped `durable run`, say); returns how many."""
        running = [s.arn for s in self.local.store.summaries() if s.status == "RUNNING"]
        for arn in running:
            self._drive_in_background(arn)
        return len(running)

    def _drive_in_background(self, arn: str) -> None:
        with self._lock:
            if arn in self._driving:
                return  # the running driver sees the answer on its next look
            self._driving.add(arn)
        threading.Thread(target=self._drive, args=(arn,), daemon=True).start()

    def _drive(self, arn: str) -> None:
        while True:
            try:
                self.local.drive(arn)
            except Exception as error:  # report, and leave the execution to `durable resume`
                self.drive_errors.append(f"{arn}: {error}")
            with self._lock, self.engine.lock:
                execution = self.engine.execution(arn)
                if execution.done or not execution.wake:
                    self._driving.discard(arn)
                    return


class _Routes:
    """Maps (method, path) to a LocalApi call."""

    def __init__(self, api: LocalApi) -> None:
        self.api = api

    def dispatch(self, method: str, raw_path: str, body: bytes) -> dict[str, Any]:
        parts = urlsplit(raw_path)
        segments = [unquote(s) for s in parts.path.split("/") if s]
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if len(segments) < 3 or segments[0] != API_VERSION:
            raise ApiError(404, "UnknownOperationException", f"no operation at {parts.path}")
        kind, key, rest = segments[1], segments[2], segments[3:]
        handlers: dict[tuple[str, str, tuple[str, ...]], Callable[[], dict[str, Any]]] = {
            ("POST", "durable-executions", ("checkpoint",)): lambda: self.api.checkpoint(
                key, json.loads(body or b"{}")
            ),
            ("GET", "durable-executions", ("state",)): lambda: self.api.state(key, query),
            ("GET", "durable-executions", ()): lambda: self.api.describe(key),
            ("GET", "durable-executions", ("history",)): lambda: self.api.history(key, query),
        }
        for action in ("succeed", "fail", "heartbeat"):
            handlers[("POST", "durable-execution-callbacks", (action,))] = (
                lambda action=action: self.api.answer(key, action, body)  # type: ignore[misc]
            )
        call = handlers.get((method, kind, tuple(rest)))
        if call is None:
            raise ApiError(404, "UnknownOperationException", f"no {method} {parts.path}")
        return call()


class LocalApiServer:
    """The HTTP server; `start()` serves on a thread, `url` is where, `close()` stops.

    With `drive` (the default) an execution whose callback is answered through the
    API is driven on by the server; without it the answer is only recorded.
    """

    def __init__(
        self, local: LocalEngine, host: str = "127.0.0.1", port: int = 0, *, drive: bool = True
    ) -> None:
        self.api = LocalApi(local, drive=drive)
        routes = _Routes(self.api)

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    status, answer = 200, routes.dispatch(self.command, self.path, body)
                    headers: dict[str, str] = {}
                except ApiError as error:
                    status, answer = error.status, {"message": str(error)}
                    headers = {"x-amzn-ErrorType": error.code}
                except ValueError as error:  # a body that is not JSON
                    status, answer = 400, {"message": f"the request body is not valid: {error}"}
                    headers = {"x-amzn-ErrorType": "InvalidParameterValueException"}
                except Exception as error:  # a bug here must not leave the client hanging
                    status, answer = 500, {"message": f"{type(error).__name__}: {error}"}
                    headers = {"x-amzn-ErrorType": "ServiceException"}
                data = json.dumps(_wire(answer)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the API's clients report their own errors."""

        self._http = ThreadingHTTPServer((host, port), Handler)
        self._http.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's base URL, for `endpoint_url=`."""
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        """Serve on a background thread."""
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve on this thread until interrupted."""
        self._http.serve_forever()

    def close(self) -> None:
        """Stop serving."""
        self._http.shutdown()
        self._http.server_close()
