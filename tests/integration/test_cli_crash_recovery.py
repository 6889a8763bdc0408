"""`kill -9` of a running `durable run`, then `durable resume`: the execution ends with
the same result, and no step whose success was checkpointed before the kill runs again.

Steps are at-least-once: the one step in flight when the process died (its marker
written, its success not yet committed) may run a second time, and only that one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from durable._core.wire import OperationStatus, OperationType
from durable.service.sqlite_store import SqliteStore
from durable_cli_process import DurableCli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

STEPS = 6
EXPECTED = {"steps": [f"STEP-{i}" for i in range(STEPS)], "count": STEPS}


def _marker_lines(path: Path) -> list[str]:
    """The complete lines of the marker file (a line being written is not counted)."""
    if not path.exists():
        return []
    text = path.read_text()
    return text[: text.rfind("\n") + 1].splitlines()


def _run_and_kill(
    cli: DurableCli, markers: Path, after: int, settle: float, *args: str
) -> tuple[str, subprocess.Popen[str]]:
    """Start `durable run ARGS`, kill -9 it once `after` markers are written (and
    `settle` seconds more); returns its ARN and the killed process."""
    process = cli.start("run", *args)
    assert process.stdout is not None
    arn = process.stdout.readline().strip()
    deadline = time.monotonic() + 30
    while len(_marker_lines(markers)) < after and process.poll() is None:
        assert time.monotonic() < deadline, "the handler never wrote its markers"
        time.sleep(0.002)
    time.sleep(settle)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    process.stderr.close()
    return arn, process


def _steps_done(db: Path, arn: str) -> set[str]:
    """Names of the steps whose success the file holds."""
    store = SqliteStore(db)
    try:
        operations = store.get(arn).operations.values()
        return {
            op.name or op.id
            for op in operations
            if op.type is OperationType.STEP and op.status is OperationStatus.SUCCEEDED
        }
    finally:
        store.close()


def _kill_resume_and_check(
    cli: DurableCli, after: int, settle: float
) -> tuple[str, subprocess.Popen[str]]:
    markers = cli.cwd / "markers.txt"
    payload = json.dumps({"markers": str(markers), "steps": STEPS, "pause": 0.05})
    arn, killed = _run_and_kill(
        cli, markers, after, settle, "marker_steps:steps", "--input", payload
    )
    done_at_kill = _steps_done(cli.db, arn)

    resumed = cli("resume", arn)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout.splitlines()[1].removeprefix("SUCCEEDED ")) == EXPECTED

    runs = Counter(_marker_lines(markers))
    assert set(runs) == {f"step-{i}" for i in range(STEPS)}
    assert all(runs[name] == 1 for name in done_at_kill), (done_at_kill, runs)
    assert all(count <= 2 for count in runs.values()), runs  # one kill, one re-run at most
    return arn, killed


@pytest.mark.parametrize("after", [3, 4])
def test_resume_after_kill_completes_and_reruns_no_finished_step(
    durable_cli: DurableCli, after: int
) -> None:
    _, killed = _kill_resume_and_check(durable_cli, after, settle=0)
    if after <= 4:  # the one-second wait after the fourth step is still ahead
        assert killed.returncode == -signal.SIGKILL


def test_invocation_killed_mid_step_is_recorded_as_lost(durable_cli: DurableCli) -> None:
    arn, _ = _kill_resume_and_check(durable_cli, 1, settle=0)
    events = json.loads(durable_cli("history", arn, "--json").stdout)
    errors = [
        e["InvocationCompletedDetails"]["Error"]["Payload"]["ErrorType"]
        for e in events
        if e["EventType"] == "InvocationCompleted" and "Error" in e["InvocationCompletedDetails"]
    ]
    assert errors == ["durable.local_engine.InvocationLost"]


def test_kill_during_a_wait_resumes_it_at_its_stored_due_time(durable_cli: DurableCli) -> None:
    markers = durable_cli.cwd / "markers.txt"
    payload = json.dumps({"markers": str(markers), "steps": STEPS, "pause": 0})
    arn, _ = _run_and_kill(durable_cli, markers, 4, 0.2, "marker_steps:steps", "--input", payload)

    assert durable_cli("resume", arn).returncode == 0
    events = json.loads(durable_cli("history", arn, "--json").stdout)
    kinds = [e["EventType"] for e in events]
    assert kinds.count("WaitStarted") == kinds.count("WaitSucceeded") == 1
    [started] = [e for e in events if e["EventType"] == "WaitStarted"]
    [fired] = [e for e in events if e["EventType"] == "WaitSucceeded"]
    due = datetime.fromisoformat(started["WaitStartedDetails"]["ScheduledEndTimestamp"])
    assert datetime.fromisoformat(fired["EventTimestamp"]) >= due


def test_at_most_once_steps_never_run_twice_across_a_kill(durable_cli: DurableCli) -> None:
    markers = durable_cli.cwd / "markers.txt"
    payload = json.dumps({"markers": str(markers), "steps": STEPS, "pause": 0.05})
    arn, _ = _run_and_kill(durable_cli, markers, 2, 0.02, "marker_steps:once", "--input", payload)

    resumed = durable_cli("resume", arn)
    outcome = json.loads(resumed.stdout.splitlines()[1].removeprefix("SUCCEEDED "))
    runs = Counter(_marker_lines(markers))
    assert all(count == 1 for count in runs.values()), runs
    interrupted = [i for i, value in enumerate(outcome) if value == "interrupted"]
    assert len(interrupted) <= 1
    assert [f"step-{i}" for i in range(STEPS) if i not in interrupted] == [
        f"step-{i}" for i in range(STEPS) if outcome[i] == f"STEP-{i}"
    ]


def test_kill_during_a_retry_delay_runs_the_next_attempt_on_resume(
    durable_cli: DurableCli,
) -> None:
    markers = durable_cli.cwd / "attempts.txt"
    payload = json.dumps({"markers": str(markers)})
    arn, _ = _run_and_kill(
        durable_cli, markers, 1, 0.2, "marker_steps:retrying", "--input", payload
    )

    resumed = durable_cli("resume", arn)
    assert resumed.stdout.splitlines()[1] == 'SUCCEEDED "ok"'
    attempts = _marker_lines(markers)
    assert attempts[-1] == "attempt-2" and attempts.count("attempt-2") == 1


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(after=st.integers(min_value=1, max_value=STEPS), settle=st.sampled_from([0, 0.01, 0.04]))
def test_any_kill_point_resumes_to_the_same_result(after: int, settle: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cli = DurableCli(Path(folder), Path(folder) / "executions.db")
        _kill_resume_and_check(cli, after, settle)
