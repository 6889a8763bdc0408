"""How the `durable` command prints executions, operation trees and histories."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from durable._core.wire import Operation, OperationType
from durable.local_engine import Outcome
from durable.service.sqlite_store import ExecutionSummary
from durable.service.store import Execution
from durable.testing.result import OperationResult

_PREVIEW = 80  # characters of a payload shown in tables


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(value: Any) -> str:
    """JSON text of `value`, datetimes as ISO 8601."""
    return json.dumps(value, default=_iso, indent=2)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 3] + "..."


def _error_line(error: dict[str, Any] | None) -> str:
    if not error:
        return "(no error details)"
    kind = error.get("ErrorType") or "Error"
    return f"{kind}: {error.get('ErrorMessage') or ''}".rstrip(": ")


def outcome_lines(outcome: Outcome) -> list[str]:
    """What `durable run`/`resume` print after the ARN."""
    if outcome.status == "SUCCEEDED":
        return [f"SUCCEEDED {outcome.result if outcome.result is not None else 'null'}"]
    if outcome.status != "WAITING":
        return [f"{outcome.status} {_error_line(outcome.error)}"]
    if not outcome.callbacks:
        return ["WAITING (nothing left to wait for; `durable resume` invokes it again)"]
    lines = [
        f"WAITING for callback {callback_id}" + (f" ({name})" if name else "")
        for callback_id, name in outcome.callbacks
    ]
    lines.append(
        "answer with `durable callback succeed ID --result JSON`, then `durable resume ARN`"
    )
    return lines


def summary_table(summaries: Iterable[ExecutionSummary]) -> list[str]:
    """The lines of `durable list`."""
    rows = [
        (s.arn, s.handler or "-", s.status, s.started.isoformat(timespec="seconds"))
        for s in summaries
    ]
    header = ("ARN", "HANDLER", "STATUS", "STARTED")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    return [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}"
        for r in [header, *rows]
    ]


def execution_lines(execution: Execution) -> list[str]:
    """The lines of `durable show`: status, result or error, the operation tree."""
    root = next(iter(execution.operations.values()))
    started = root.start_timestamp.isoformat() if root.start_timestamp else "-"
    lines = [
        f"ARN       {execution.arn}",
        f"Handler   {execution.handler or '-'}",
        f"Status    {execution.status}",
        f"Started   {started}",
        f"Input     {execution.input_payload if execution.input_payload is not None else '-'}",
    ]
    if execution.result is not None:
        lines.append(f"Result    {execution.result}")
    if execution.error is not None:
        lines.append(f"Error     {_error_line(execution.error.to_dict())}")
    lines.append(f"Invocations {len(execution.invocations)}")
    children: dict[str | None, list[Operation]] = {}
    for op in execution.operations.values():
        if op.type is not OperationType.EXECUTION:
            children.setdefault(op.parent_id, []).append(op)
    lines.append("Operations" if children else "Operations (none yet)")
    lines.extend(_tree(children, None, 1))
    return lines


def _shown(op: Operation) -> str:
    """The operation's result as JSON, decoded from the SDK's tagged encoding."""
    value = OperationResult.from_operation(op).result
    if value is op.result:
        return op.result or ""
    return json.dumps(value, default=str)


def _tree(children: dict[str | None, list[Operation]], parent: str | None, depth: int) -> list[str]:
    out: list[str] = []
    for op in children.get(parent, []):
        label = f"{op.type.value}/{op.sub_type}" if op.sub_type else op.type.value
        line = f"{'  ' * depth}{label} {op.name or op.id[:12]!s}  {op.status.value}"
        if op.type is OperationType.STEP and op.attempt:
            line += f"  attempt {op.attempt}"
        if op.callback_id:
            line += f"  callback {op.callback_id}"
        if op.result is not None:
            line += f"  -> {_clip(_shown(op))}"
        if op.error is not None:
            line += f"  !! {_clip(_error_line(op.error.to_dict()))}"
        out.append(line)
        out.extend(_tree(children, op.id, depth + 1))
    return out


def history_lines(events: Iterable[dict[str, Any]]) -> list[str]:
    """The lines of `durable history` without --json."""
    lines = []
    for entry in events:
        moment = entry["EventTimestamp"]
        stamp = moment.isoformat(timespec="milliseconds") if moment else "-"
        what = entry.get("Name") or (entry.get("Id") or "")[:12]
        kind = f" ({entry['SubType']})" if entry.get("SubType") else ""
        failure = (entry.get(f"{entry['EventType']}Details") or {}).get("Error") or {}
        error = f"  !! {_error_line(failure['Payload'])}" if failure.get("Payload") else ""
        line = f"{entry['EventId']:>4}  {stamp}  {entry['EventType']:<24} {what}{kind}{error}"
        lines.append(line.rstrip())
    return lines
