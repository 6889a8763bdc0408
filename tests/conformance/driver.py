"""Run one conformance requirement on ``durable.testing.LocalDurableTestRunner``.

The driver plays the role of the suite's validator: it substitutes the requirement's
variables into the input, starts the execution, acts as the external system for
``CallbackActions`` (matching started callbacks by name, ``'*'`` or ``${/regex/}``),
waits for the terminal status, and compares result, history and logs.

Requirements with callback actions run on the real clock: on the service those actions
arrive while timers are still pending, and a virtual clock that jumps to the next timer
would reorder them. After each terminal callback action the driver waits for the
invocation it triggers to finish, as the suite's delays between actions intend, so the
history has one invocation per action as the requirement expects.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from durable.testing import LocalDurableTestRunner

from .cases import Case
from .matcher import Bindings, count_log_matches, match_history, match_result
from .requirements import CallbackAction, Requirement

TERMINAL_EVENTS = {
    "ExecutionSucceeded",
    "ExecutionFailed",
    "ExecutionTimedOut",
    "ExecutionStopped",
    "ExecutionCancelled",
}
RUN_TIMEOUT = 60.0
POLL_SECONDS = 0.005


@dataclass
class Outcome:
    """What happened, and every way it differs from the requirement."""

    status: str
    result: Any
    history: list[dict[str, Any]]
    mismatches: list[str]

    def report(self) -> str:
        events = "\n".join(
            f"  {e.get('EventId')}: {e.get('EventType')} {e.get('SubType', '')} "
            f"Name={e.get('Name')!r} ParentId={e.get('ParentId')!r}"
            for e in self.history
        )
        problems = "\n".join(f"- {line}" for line in self.mismatches)
        return f"{problems}\nstatus={self.status} result={self.result!r}\nhistory:\n{events}"


class _LogLines(logging.Handler):
    """Collects INFO and above: what a handler logs, not the SDK's own debug tracing."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"[{record.levelname}] {record.getMessage()}")


@contextmanager
def _captured_logs() -> Iterator[list[str]]:
    handler = _LogLines()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def run_requirement(requirement: Requirement, case: Case) -> Outcome:
    """Run the case's handler as the requirement describes and compare everything."""
    bindings = Bindings(requirement.variables)
    event_input = bindings.substitute(requirement.input)
    actions = [
        CallbackAction(a.callback_name, a.operation, bindings.substitute(a.payload))
        for a in requirement.callback_actions
    ]
    mismatches: list[str] = []
    with _captured_logs() as log_lines:
        runner = LocalDurableTestRunner(case.handler, skip_time=not actions)
        with runner:
            for name, function in case.functions.items():
                runner.register_function(name, function)
            for name, function in case.durable_functions.items():
                runner.register_durable_function(name, function)
            arn = runner.start(event_input)
            mismatches += _act_as_external_system(runner, arn, actions, bindings)
            result = runner.wait_for_result(arn, timeout=RUN_TIMEOUT)
    history = list(result.history)
    mismatches += match_result(requirement.expected_result, result.status, result.result, bindings)
    mismatches += match_history(requirement.expected_history, history, bindings)
    for expectation in requirement.expected_logs:
        count = count_log_matches(expectation, log_lines, bindings)
        if count != expectation["count"]:
            pattern = bindings.substitute(expectation["match"]["message"])
            mismatches.append(f"log {pattern}: {count} lines, expected {expectation['count']}")
    return Outcome(result.status, result.result, history, mismatches)


def _act_as_external_system(
    runner: LocalDurableTestRunner,
    arn: str,
    actions: list[CallbackAction],
    bindings: Bindings,
) -> list[str]:
    pending = list(actions)
    handled: set[str] = set()
    deadline = time.monotonic() + RUN_TIMEOUT
    while pending:
        history = runner.history(arn)
        if any(event.get("EventType") in TERMINAL_EVENTS for event in history):
            return [f"execution ended with callback actions unsent: {pending}"]
        sent = False
        for position, event in enumerate(history):
            if event.get("EventType") != "CallbackStarted":
                continue
            if not _invocation_finished_after(history, position):
                continue
            callback_id = event.get("CallbackStartedDetails", {}).get("CallbackId")
            if not callback_id or callback_id in handled:
                continue
            action = _first_matching(pending, str(event.get("Name", "")), bindings)
            if action is None:
                continue
            pending.remove(action)
            _send(runner, callback_id, action)
            if action.operation != "heartbeat":
                handled.add(callback_id)
                _wait_for_next_invocation(runner, arn, after=len(history), deadline=deadline)
            sent = True
            break
        if not sent:
            if time.monotonic() > deadline:
                return [f"no started callback matched the actions {pending}"]
            time.sleep(POLL_SECONDS)
    return []


def _invocation_finished_after(history: list[dict[str, Any]], position: int) -> bool:
    """Whether the invocation that started the callback at ``position`` has ended.

    The suite's external system answers a second or more after the callback starts,
    by when that invocation has suspended; answering earlier would fold the answer
    into the same invocation and change the history the requirement describes.
    """
    return any(e.get("EventType") == "InvocationCompleted" for e in history[position + 1 :])


def _first_matching(
    actions: list[CallbackAction], callback_name: str, bindings: Bindings
) -> CallbackAction | None:
    for action in actions:
        wanted = str(bindings.substitute(action.callback_name))
        regex = re.match(r"^\$\{/(.+)/\}$", wanted)
        if wanted in ("*", callback_name) or (regex and re.search(regex.group(1), callback_name)):
            return action
    return None


def _send(runner: LocalDurableTestRunner, callback_id: str, action: CallbackAction) -> None:
    if action.operation == "success":
        payload = None if action.payload is None else json.dumps(action.payload)
        runner.send_callback_success(callback_id, payload)
    elif action.operation == "failure":
        runner.send_callback_failure(callback_id, action.payload)
    else:
        runner.send_callback_heartbeat(callback_id)


def _wait_for_next_invocation(
    runner: LocalDurableTestRunner, arn: str, *, after: int, deadline: float
) -> None:
    """Block until the invocation that the callback completion triggers has finished."""
    while time.monotonic() < deadline:
        newer = runner.history(arn)[after:]
        kinds = {event.get("EventType") for event in newer}
        if "InvocationCompleted" in kinds or kinds & TERMINAL_EVENTS:
            return
        time.sleep(POLL_SECONDS)
