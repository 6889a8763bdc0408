"""Checkpoint parity with the official SDK: the same handler, run on `durable` and on
`aws_durable_execution_sdk_python` (each on its own local runner), writes the same
checkpoints: same operation Ids, Types, SubTypes, Names, ParentIds, payload
encodings, errors, options and statuses.

The handlers live in `parity_handlers.py` (written once, built per SDK by import
prefix); `parity_capture.py` runs them and says exactly what is normalised.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from parity_capture import Capture, align_serdes_wording, run_ours, run_theirs
from parity_cases import CASES


@functools.cache
def _runs(name: str) -> tuple[Capture, Capture]:
    theirs = run_theirs(CASES[name])
    return align_serdes_wording(run_ours(CASES[name]), theirs), theirs


def _ordered_names() -> list[str]:
    return [name for name, case in CASES.items() if case.ordered]


@pytest.mark.parametrize("name", list(CASES))
def test_each_operation_writes_the_same_updates(name: str) -> None:
    ours, theirs = _runs(name)
    assert ours.updates_by_operation() == theirs.updates_by_operation()


@pytest.mark.parametrize("name", _ordered_names())
def test_updates_are_written_in_the_same_order(name: str) -> None:
    ours, theirs = _runs(name)
    assert ours.updates == theirs.updates


@pytest.mark.parametrize("name", list(CASES))
def test_final_operation_logs_are_identical(name: str) -> None:
    ours, theirs = _runs(name)
    assert ours.operations == theirs.operations


@pytest.mark.parametrize("name", _ordered_names())
def test_invocation_envelopes_are_identical(name: str) -> None:
    ours, theirs = _runs(name)
    assert ours.envelopes == theirs.envelopes


@pytest.mark.parametrize("name", list(CASES))
def test_the_last_invocation_envelope_is_identical(name: str) -> None:
    # Where operations run concurrently, how many invocations it takes depends on how
    # each runner fires timers that fall due close together; the updates do not.
    ours, theirs = _runs(name)
    assert ours.envelopes[-1:] == theirs.envelopes[-1:]


@pytest.mark.parametrize("name", list(CASES))
def test_execution_outcomes_are_identical(name: str) -> None:
    ours, theirs = _runs(name)
    outcome: dict[str, Any] = {"status": ours.status, "result": ours.result, "error": ours.error}
    assert outcome == {"status": theirs.status, "result": theirs.result, "error": theirs.error}
