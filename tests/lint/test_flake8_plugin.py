"""The flake8 plugin, through real `flake8` runs: the CLI's findings, flake8's noqa."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = """\
import os
import time
from durable import durable_execution


@durable_execution
def handler(event, context):
    started = time.time()
    region = os.getenv("REGION")
    quiet = time.time()  # noqa: DUR101
    return started, region, quiet
"""


def flake8(*args: str, cwd: Path) -> list[str]:
    command = [sys.executable, "-m", "flake8", "--isolated", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.splitlines()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "handler.py").write_text(SOURCE)
    return tmp_path


def test_flake8_reports_what_the_cli_reports(project: Path) -> None:
    exe = shutil.which("durable-lint", path=str(Path(sys.executable).parent))
    assert exe is not None
    cli = subprocess.run(
        [exe, "--format", "json", "handler.py"], cwd=project, capture_output=True, text=True
    )
    expected = [
        f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
        for f in json.loads(cli.stdout)
    ]
    assert expected
    assert flake8("--select", "DUR", "handler.py", cwd=project) == expected


def test_flake8_applies_noqa_itself(project: Path) -> None:
    lines = flake8("--select", "DUR", "handler.py", cwd=project)
    assert [line.split(":")[1] for line in lines] == ["8"]
    disabled = flake8("--select", "DUR", "--disable-noqa", "handler.py", cwd=project)
    assert [line.split(":")[1] for line in disabled] == ["8", "10"]


def test_opt_in_code_needs_its_full_name_in_flake8s_selection(project: Path) -> None:
    by_prefix = flake8("--select", "DUR", "handler.py", cwd=project)
    assert not any("DUR106" in line for line in by_prefix)
    named = flake8("--select", "DUR,DUR106", "handler.py", cwd=project)
    assert any(": DUR106 " in line for line in named)


def test_a_broken_configuration_is_one_line_under_flake8(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.durable-lint]\nselct = 1\n")
    command = [sys.executable, "-m", "flake8", "--select", "DUR", "handler.py"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines() == [result.stderr.strip().splitlines()[0]]
        and "unknown key 'selct'" in result.stderr
    )
