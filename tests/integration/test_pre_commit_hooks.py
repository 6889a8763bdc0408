"""Both pre-commit hooks, end to end: `pre-commit try-repo` in a scratch git repository.

`try-repo` without a hook id runs every hook of `.pre-commit-hooks.yaml`; the hook
environment is installed once (PRE_COMMIT_HOME is shared by the module) and reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BAD = """\
import time
from durable import durable_execution


@durable_execution
def handler(event, context):
    return time.time()
"""
CLEAN = """\
import time
from durable import durable_execution


@durable_execution
def handler(event, context):
    return context.step(lambda _: time.time())
"""


@pytest.fixture(scope="module")
def scratch_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("scratch-repo")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "bad.py").write_text(BAD)
    (repo / "clean.py").write_text(CLEAN)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(files: list[str], repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--files", *files]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def on_bad_file(scratch_repo: Path, pre_commit_home: Path) -> subprocess.CompletedProcess[str]:
    return try_repo(["bad.py", "clean.py"], scratch_repo, pre_commit_home)


def hook_section(output: str, hook_name: str) -> str:
    """The part of pre-commit's output that belongs to one hook."""
    start = output.index(hook_name + ".")
    following = output.find("\ndurable-lint", start + 1)
    return output[start : following if following != -1 else len(output)]


def test_both_hooks_fail_when_a_file_has_findings(
    on_bad_file: subprocess.CompletedProcess[str],
) -> None:
    assert on_bad_file.returncode == 1, on_bad_file.stdout + on_bad_file.stderr
    assert on_bad_file.stdout.count("Failed") == 2


def test_check_hook_prints_the_findings(on_bad_file: subprocess.CompletedProcess[str]) -> None:
    section = hook_section(on_bad_file.stdout, "durable-lint")
    assert "bad.py:7:12: DUR101 clock read time.time()" in section
    assert "clean.py:" not in section


def test_fix_hook_fails_while_findings_remain_and_leaves_the_file(
    on_bad_file: subprocess.CompletedProcess[str], scratch_repo: Path
) -> None:
    section = hook_section(on_bad_file.stdout, "durable-lint (fix)")
    assert "DUR101" in section
    assert (scratch_repo / "bad.py").read_text() == BAD


def test_both_hooks_pass_on_a_clean_file(scratch_repo: Path, pre_commit_home: Path) -> None:
    result = try_repo(["clean.py"], scratch_repo, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("Passed") == 2
