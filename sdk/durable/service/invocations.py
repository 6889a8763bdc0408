"""How an invocation ended, as Lambda reports it: the handler's envelope, or the error
of a crashed runtime."""

from __future__ import annotations

from typing import Any

from durable._core.wire import ErrorObject

ENVELOPE_STATUSES = ("SUCCEEDED", "FAILED", "PENDING")


def crash_error(crash: BaseException, request_id: str) -> ErrorObject:
    """The error Lambda reports for an invocation that `crash` ended.

    `SystemExit` is how Python code ends its process (`sys.exit`, `os._exit` aside):
    Lambda sees the runtime exit and reports `Runtime.ExitError`. Any other escaping
    exception keeps its own name, as the runtime reports it.
    """
    if isinstance(crash, SystemExit):
        code = crash.code
        status = int(code) if isinstance(code, int) else (0 if code is None else 1)
        message = f"RequestId: {request_id} Error: Runtime exited with error: exit status {status}"
        return ErrorObject(message, "Runtime.ExitError")
    return ErrorObject.from_crash(crash)


def invocation_outcome(
    output: Any, crash: BaseException | None, request_id: str
) -> tuple[str | None, ErrorObject | None]:
    """The envelope's Status and Error; Status None for a failed invocation (a crash,
    or something that is not a durable envelope), which Lambda invokes again."""
    if crash is not None:
        return None, crash_error(crash, request_id)
    if not isinstance(output, dict) or output.get("Status") not in ENVELOPE_STATUSES:
        return None, ErrorObject(
            "the handler did not return a durable envelope; decorate it with @durable_execution",
            "InvalidHandlerOutput",
        )
    raw = output.get("Error")
    return output["Status"], ErrorObject.from_dict(raw) if raw else None
