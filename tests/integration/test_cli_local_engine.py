"""The `durable` command over the embedded SQLite engine, run as a real subprocess."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from durable.testing import LocalDurableTestRunner
from durable_cli_process import HANDLERS, DurableCli


def _steps_input(tmp_path: Path, steps: int = 4, wait: bool = False) -> str:
    markers = str(tmp_path / "markers.txt")
    return json.dumps({"markers": markers, "steps": steps, "pause": 0, "wait": wait})


def _markers_so_far(tmp_path: Path) -> list[str]:
    path = tmp_path / "markers.txt"
    return path.read_text().splitlines() if path.exists() else []


def _markers(tmp_path: Path, name: str = "markers.txt") -> list[str]:
    return (tmp_path / name).read_text().splitlines()


def test_run_prints_the_arn_then_the_result(durable_cli: DurableCli, tmp_path: Path) -> None:
    out = durable_cli("run", "marker_steps:steps", "--input", _steps_input(tmp_path))
    arn, outcome = out.stdout.splitlines()
    assert out.returncode == 0, out.stderr
    assert arn.startswith("arn:aws:lambda:") and "/durable-execution/" in arn
    assert outcome == 'SUCCEEDED {"steps": ["STEP-0", "STEP-1", "STEP-2", "STEP-3"], "count": 4}'
    assert _markers(tmp_path) == ["step-0", "step-1", "step-2", "step-3"]


def test_run_without_db_option_uses_dot_durable_in_the_current_directory(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    argv = [durable_cli.executable, "run", "marker_steps:steps", "--input", _steps_input(tmp_path)]
    out = subprocess.run(argv, cwd=tmp_path, env=durable_cli.env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / ".durable" / "executions.db").is_file()


def test_wait_fires_at_its_stored_due_time(durable_cli: DurableCli, tmp_path: Path) -> None:
    durable_cli(
        "run", "marker_steps:steps", "--input", _steps_input(tmp_path, wait=True), "--name", "w"
    )
    events = json.loads(durable_cli("history", "w", "--json").stdout)
    [started] = [e for e in events if e["EventType"] == "WaitStarted"]
    [fired] = [e for e in events if e["EventType"] == "WaitSucceeded"]
    due = datetime.fromisoformat(started["WaitStartedDetails"]["ScheduledEndTimestamp"])
    assert datetime.fromisoformat(fired["EventTimestamp"]) >= due


def test_retry_runs_the_second_attempt_after_the_delay(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    payload = json.dumps({"markers": str(tmp_path / "attempts.txt")})
    out = durable_cli("run", "marker_steps:retrying", "--input", payload)
    assert out.stdout.splitlines()[1] == 'SUCCEEDED "ok"'
    assert _markers(tmp_path, "attempts.txt") == ["attempt-1", "attempt-2"]


def test_list_shows_arn_handler_status_and_start(durable_cli: DurableCli, tmp_path: Path) -> None:
    arn = durable_cli("run", "marker_steps:steps", "--input", _steps_input(tmp_path)).stdout
    header, row = durable_cli("list").stdout.splitlines()
    assert header.split() == ["ARN", "HANDLER", "STATUS", "STARTED"]
    listed_arn, handler, status, started = row.split()
    assert (listed_arn, handler, status) == (arn.splitlines()[0], "marker_steps:steps", "SUCCEEDED")
    assert datetime.fromisoformat(started).tzinfo is not None


def test_show_prints_status_result_and_the_operation_tree(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    payload = _steps_input(tmp_path, 2, wait=True)
    durable_cli("run", "marker_steps:steps", "--input", payload, "--name", "s")
    lines = durable_cli("show", "s").stdout.splitlines()
    assert "Status    SUCCEEDED" in lines
    assert 'Result    {"steps": ["STEP-0", "STEP-1"], "count": 2}' in lines
    tree = lines[lines.index("Operations") + 1 :]
    assert [line.split()[:3] for line in tree] == [
        ["STEP/Step", "step-0", "SUCCEEDED"],
        ["STEP/Step", "step-1", "SUCCEEDED"],
        ["WAIT/Wait", "breather", "SUCCEEDED"],
    ]


def test_history_json_matches_the_test_runners_history(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    durable_cli("run", "marker_steps:steps", "--input", _steps_input(tmp_path), "--name", "h")
    cli_events = json.loads(durable_cli("history", "h", "--json").stdout)

    sys.path.insert(0, str(HANDLERS))
    try:
        import marker_steps
    finally:
        sys.path.remove(str(HANDLERS))
    with LocalDurableTestRunner(marker_steps.steps) as runner:
        result = runner.run(json.loads(_steps_input(tmp_path)))

    def shape(events: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return [(e["EventType"], e["EventId"], e.get("Name"), e.get("SubType")) for e in events]

    assert shape(cli_events) == shape(result.history)


def test_callback_succeed_then_resume_finishes_the_execution(durable_cli: DurableCli) -> None:
    waiting = durable_cli("run", "marker_steps:approval", "--name", "a").stdout.splitlines()
    assert waiting[1].startswith("WAITING for callback ")
    callback_id = waiting[1].split()[3]

    assert durable_cli("callback", "heartbeat", callback_id).returncode == 0
    answered = durable_cli("callback", "succeed", callback_id, "--result", '{"by": "ann"}')
    assert answered.returncode == 0, answered.stderr
    resumed = durable_cli("resume", "a").stdout.splitlines()
    assert json.loads(resumed[1].removeprefix("SUCCEEDED ")) == {"approved": '{"by": "ann"}'}


def test_callback_fail_with_resume_fails_the_execution(durable_cli: DurableCli) -> None:
    waiting = durable_cli("run", "marker_steps:approval").stdout.splitlines()
    callback_id = waiting[1].split()[3]
    error = json.dumps({"ErrorType": "Rejected", "ErrorMessage": "no budget"})
    out = durable_cli("callback", "fail", callback_id, "--error", error, "--resume")
    assert out.returncode == 1
    assert out.stdout.splitlines()[-1].startswith("FAILED ")
    assert "no budget" in out.stdout.splitlines()[-1]


def test_failing_plain_handler_exits_1_with_its_error(durable_cli: DurableCli) -> None:
    out = durable_cli("run", "marker_steps:failing", "--input", '{"order": 7}')
    assert out.returncode == 1
    assert out.stdout.splitlines()[1] == "FAILED ValueError: bad order 7"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "arn:nope"), "no execution 'arn:nope'"),
        (("resume", "missing"), "no execution 'missing'"),
        (("history", "missing", "--json"), "no execution 'missing'"),
        (("run", "no_such_module:handler"), "cannot import module 'no_such_module'"),
        (("run", "marker_steps:absent"), "module 'marker_steps' has no 'absent'"),
        (("run", "marker_steps"), "must be written MODULE:FUNCTION"),
        (("run", "marker_steps:steps", "--input", "{oops"), "--input is not JSON"),
        (("callback", "succeed", "cb-unknown"), "no callback with id 'cb-unknown'"),
        (("callback", "succeed", "cb", "--result", "not json"), "--result is not JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    durable_cli: DurableCli, args: tuple[str, ...], message: str
) -> None:
    out = durable_cli(*args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and message in out.stderr
    assert "Traceback" not in out.stderr


def test_answering_a_finished_callback_is_one_line_and_exit_2(durable_cli: DurableCli) -> None:
    callback_id = durable_cli("run", "marker_steps:approval").stdout.splitlines()[1].split()[3]
    durable_cli("callback", "succeed", callback_id)
    again = durable_cli("callback", "succeed", callback_id)
    assert again.returncode == 2
    assert again.stderr.strip() == "durable: CALLBACK approval is already SUCCEEDED"


def test_resume_while_another_process_drives_the_execution_is_refused(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    markers = str(tmp_path / "markers.txt")
    payload = json.dumps({"markers": markers, "steps": 2, "pause": 0, "wait_seconds": 30})
    running = durable_cli.start("run", "marker_steps:steps", "--input", payload, "--name", "r")
    assert running.stdout is not None
    running.stdout.readline()
    while len(_markers_so_far(tmp_path)) < 2:  # both steps done: it sleeps in the wait
        assert running.poll() is None
        time.sleep(0.005)
    refused = durable_cli("resume", "r")
    running.kill()  # it would sleep through its 30-second wait
    running.communicate(timeout=30)

    assert refused.returncode == 2
    assert f"process {running.pid} is driving this execution" in refused.stderr


def test_db_option_is_accepted_after_the_command_too(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    durable_cli("run", "marker_steps:steps", "--input", _steps_input(tmp_path), "--name", "d")
    argv = [durable_cli.executable, "show", "d", "--db", str(durable_cli.db)]
    out = subprocess.run(argv, cwd=tmp_path, env=durable_cli.env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Status    SUCCEEDED" in out.stdout.splitlines()


def test_history_lines_name_the_error_of_a_failed_step(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    payload = json.dumps({"markers": str(tmp_path / "attempts.txt")})
    durable_cli("run", "marker_steps:retrying", "--input", payload, "--name", "f")
    lines = durable_cli("history", "f").stdout.splitlines()
    [failed] = [line for line in lines if "StepFailed" in line]
    assert failed.endswith("flaky (Step)  !! ConnectionError: the service is busy")


def test_ctrl_c_stops_run_with_130_and_names_the_resume_command(
    durable_cli: DurableCli, tmp_path: Path
) -> None:
    markers = str(tmp_path / "markers.txt")
    payload = json.dumps({"markers": markers, "steps": 2, "pause": 0, "wait_seconds": 30})
    running = durable_cli.start("run", "marker_steps:steps", "--input", payload, "--name", "c")
    assert running.stdout is not None
    arn = running.stdout.readline().strip()
    while len(_markers_so_far(tmp_path)) < 2:  # both steps done: it sleeps in the wait
        assert running.poll() is None
        time.sleep(0.005)
    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=30)

    assert running.returncode == 130
    assert err == f"durable: interrupted; continue with `durable resume {arn}`\n"
