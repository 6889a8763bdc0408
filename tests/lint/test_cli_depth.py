"""The depth options of `durable-lint`: sarif and github formats, the cache, --jobs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sarif_schema import sarif_validator

HANDLER = """\
import time
from durable import DurableContext, durable_execution


@durable_execution
def handler(event: dict, context: DurableContext) -> float:
    return time.time()
"""


def durable_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("durable-lint", path=str(Path(sys.executable).parent))
    assert exe is not None
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.durable-lint]\n")
    (tmp_path / "handler.py").write_text(HANDLER)
    return tmp_path


def test_sarif_output_validates_and_names_the_rule(project: Path) -> None:
    result = durable_lint("--format", "sarif", "handler.py", cwd=project)
    log = json.loads(result.stdout)
    assert [error.message for error in sarif_validator().iter_errors(log)] == []
    run = log["runs"][0]
    [finding] = run["results"]
    rule = run["tool"]["driver"]["rules"][finding["ruleIndex"]]
    assert (finding["ruleId"], rule["id"], rule["name"]) == ("DUR101", "DUR101", "clock-read")
    assert "## Why is this bad?" in rule["help"]["markdown"]
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "handler.py"
    assert location["region"]["startLine"] == 7
    assert finding["fixes"][0]["artifactChanges"][0]["replacements"]


def test_sarif_output_lists_every_code_even_when_clean(project: Path) -> None:
    (project / "handler.py").write_text("x = 1\n")
    log = json.loads(durable_lint("--format", "sarif", ".", cwd=project).stdout)
    ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert ids[0] == "DUR001" and "DUR306" in ids and log["runs"][0]["results"] == []


def test_github_format_prints_one_annotation(project: Path) -> None:
    result = durable_lint("--format", "github", "handler.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=handler.py,line=7,col=12,")
    assert result.stdout.count("\n") == 1


def test_second_run_answers_from_the_cache(project: Path) -> None:
    durable_lint("handler.py", cwd=project)
    entries = list((project / ".durable-lint-cache").rglob("*.json"))
    assert len(entries) == 1
    # Rewrite the stored message: a run that reads the cache prints it, a parse would not.
    entry = json.loads(entries[0].read_text())
    entry["findings"][0]["message"] = "answered from the cache"
    entries[0].write_text(json.dumps(entry))
    assert "answered from the cache" in durable_lint("handler.py", cwd=project).stdout


def test_no_cache_neither_reads_nor_writes_it(project: Path) -> None:
    result = durable_lint("--no-cache", "handler.py", cwd=project)
    assert "DUR101" in result.stdout
    assert not (project / ".durable-lint-cache").exists()


def test_an_edited_file_is_linted_again(project: Path) -> None:
    assert durable_lint("handler.py", cwd=project).returncode == 1
    fixed = HANDLER.replace(
        "return time.time()", 'return context.step(lambda _: time.time(), name="t")'
    )
    (project / "handler.py").write_text(fixed)
    result = durable_lint("handler.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "")


def test_changed_selection_does_not_reuse_entries(project: Path) -> None:
    assert durable_lint("handler.py", cwd=project).returncode == 1
    assert durable_lint("--ignore", "DUR101", "handler.py", cwd=project).returncode == 0


def test_parallel_run_reports_what_a_serial_run_reports(project: Path) -> None:
    for number in range(40):
        (project / f"handler_{number}.py").write_text(HANDLER if number % 3 else "x = 1\n")
    serial = durable_lint("--no-cache", "--jobs", "1", ".", cwd=project)
    parallel = durable_lint("--no-cache", "--jobs", "2", ".", cwd=project)
    assert serial.stdout == parallel.stdout
    assert serial.stdout.count("DUR101") == 27


def test_jobs_must_be_a_positive_number(project: Path) -> None:
    result = durable_lint("--jobs", "0", "handler.py", cwd=project)
    assert result.returncode == 2
    assert "at least 1" in result.stderr


def test_editing_an_imported_helper_invalidates_the_importer(project: Path) -> None:
    (project / "helpers.py").write_text("def stamp():\n    return 1\n")
    (project / "handler.py").write_text(
        "from durable import durable_execution\nfrom helpers import stamp\n\n\n"
        "@durable_execution\ndef handler(event, context):\n    return stamp()\n"
    )
    assert durable_lint("handler.py", cwd=project).returncode == 0
    (project / "helpers.py").write_text("import time\n\n\ndef stamp():\n    return time.time()\n")
    result = durable_lint("handler.py", cwd=project)
    assert "DUR101 clock read reached via helpers.stamp() -> time.time()" in result.stdout
