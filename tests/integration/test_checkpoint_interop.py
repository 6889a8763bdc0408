"""Checkpoint interoperability: an execution survives switching between `durable` and
the official SDK at every invocation (each replays what the other recorded) and ends
exactly as a run on `durable` alone: same updates, operation log and outcome.

Cases whose handlers keep their own state between invocations (a counter deciding
when a flaky step succeeds) are left out: the two SDK builds of a handler do not share
that state.
"""

from __future__ import annotations

import functools

import pytest
from parity_capture import Capture, align_serdes_wording, run_ours
from parity_cases import CASES
from parity_interop import run_alternating

ALTERNATING = [name for name, case in CASES.items() if case.alternates]


@functools.cache
def _single(name: str) -> Capture:
    return run_ours(CASES[name])


@pytest.mark.parametrize("theirs_first", [True, False], ids=["official-first", "ours-first"])
@pytest.mark.parametrize("name", ALTERNATING)
def test_switching_sdk_between_invocations_changes_nothing(name: str, theirs_first: bool) -> None:
    mixed, _ = run_alternating(CASES[name], theirs_first=theirs_first)
    # Where the official SDK recorded a SerDes failure, its wording is the one kept.
    single = align_serdes_wording(_single(name), mixed)
    assert mixed.updates_by_operation() == single.updates_by_operation()
    assert mixed.operations == single.operations
    assert (mixed.status, mixed.result, mixed.error) == (single.status, single.result, single.error)
