"""Compare an actual execution against a requirement, the way the suite defines comparison.

The conformance package states its rules (its README and validator):

- Variables such as ``${GEN_STR:8}`` become fresh random strings before the run and
  are substituted into Input, ExpectedResult, CallbackActions and the history.
- Expected events are matched to actual events by ``EventId``; actual events that the
  requirement does not list are ignored.
- Inside an event, only the keys the requirement lists are compared (a listed key must
  exist); ``'*'`` accepts any value, ``{}`` accepts anything, ``${NAME}`` binds on first
  use and must equal its binding afterwards, ``${/regex/}`` must match, lists compare
  element by element with equal lengths, and everything else compares literally.
- ExpectedResult compares ``ExecutionStatus`` always, and ``Result`` only when the
  execution succeeded, against the handler result decoded once from JSON.

Timestamps, ARNs and callback ids are therefore never compared literally: the
requirements write them as ``'*'`` or as placeholders.
"""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

_GENERATOR = re.compile(r"^\$\{GEN_STR:(\d+)\}$")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PLACEHOLDER = re.compile(r"^\$\{(.+)\}$")
_REGEX = re.compile(r"^\$\{/(.+)/\}$")
_ALPHABET = string.ascii_lowercase + string.digits


class Bindings:
    """Placeholder values shared by input substitution and history matching."""

    def __init__(self, variables: dict[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = {}
        for name, value in (variables or {}).items():
            generated = _GENERATOR.match(value) if isinstance(value, str) else None
            if generated:
                length = int(generated.group(1))
                self.values[name] = "".join(secrets.choice(_ALPHABET) for _ in range(length))
            else:
                self.values[name] = str(value)

    def substitute(self, data: Any) -> Any:
        """Replace every bound ``${NAME}`` inside strings, dicts and lists."""
        if isinstance(data, str):
            return _REFERENCE.sub(
                lambda found: str(self.values.get(found.group(1), found.group(0))), data
            )
        if isinstance(data, dict):
            return {key: self.substitute(value) for key, value in data.items()}
        if isinstance(data, list):
            return [self.substitute(item) for item in data]
        return data


def match_history(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]], bindings: Bindings
) -> list[str]:
    """Return one line per mismatch between expected and actual events (empty: match)."""
    by_id = {event["EventId"]: event for event in actual if "EventId" in event}
    errors: list[str] = []
    for event in expected:
        event_id = event.get("EventId")
        if event_id is None:
            errors.append(f"expected event without EventId: {event}")
            continue
        if event_id not in by_id:
            errors.append(f"no actual event with EventId={event_id}")
            continue
        _match(event, by_id[event_id], f"Event[{event_id}]", bindings, errors)
    return errors


def _match(expected: Any, actual: Any, path: str, bindings: Bindings, errors: list[str]) -> None:
    if expected == "*" or (isinstance(expected, dict) and not expected):
        return
    if isinstance(expected, str):
        regex = _REGEX.match(expected)
        if regex:
            if not re.search(regex.group(1), str(actual)):
                errors.append(f"{path}: {actual!r} does not match /{regex.group(1)}/")
            return
        placeholder = _PLACEHOLDER.match(expected)
        if placeholder:
            name = placeholder.group(1)
            if name not in bindings.values:
                bindings.values[name] = actual
            elif bindings.values[name] != actual:
                errors.append(
                    f"{path}: ${{{name}}} is bound to {bindings.values[name]!r}, got {actual!r}"
                )
            return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key not in actual:
                errors.append(f"{path}.{key}: missing in the actual event")
            else:
                _match(value, actual[key], f"{path}.{key}", bindings, errors)
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            errors.append(f"{path}: {len(actual)} items, expected {len(expected)}")
            return
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            _match(want, got, f"{path}[{index}]", bindings, errors)
        return
    want = bindings.substitute(expected)
    if want != actual:
        errors.append(f"{path}: expected {want!r}, got {actual!r}")


def match_result(
    expected: dict[str, Any] | None, status: str, result: Any, bindings: Bindings
) -> list[str]:
    """Compare status (always) and result (when the execution succeeded)."""
    if not expected:
        return []
    want_status = expected.get("ExecutionStatus")
    if want_status and status != want_status:
        return [f"ExecutionStatus: expected {want_status!r}, got {status!r}"]
    if status != "SUCCEEDED" or "Result" not in expected:
        return []
    want = bindings.substitute(expected["Result"])
    if want != result:
        return [f"Result: expected {want!r}, got {result!r}"]
    return []


def count_log_matches(expectation: dict[str, Any], lines: list[str], bindings: Bindings) -> int:
    """How many log lines match one ExpectedLogs entry (``message: '/regex/'``)."""
    pattern = str(bindings.substitute(expectation["match"]["message"]))
    if pattern.startswith("/") and pattern.endswith("/"):
        pattern = pattern[1:-1]
    else:
        pattern = re.escape(pattern)
    return sum(1 for line in lines if re.search(pattern, line))
