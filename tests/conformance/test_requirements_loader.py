"""Fetching and loading the pinned conformance requirements."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .requirements import RequirementsUnavailable, check_digest, load_suite

SUITES = {
    "step": 20,
    "wait": 5,
    "child": 18,
    "callback": 19,
    "invoke": 16,
    "wait_for_condition": 13,
    "wait_for_callback": 15,
    "parallel": 22,
    "map": 20,
}


@pytest.mark.parametrize(("suite", "count"), SUITES.items())
def test_pinned_package_holds_every_requirement_of_the_suite(suite: str, count: int) -> None:
    requirements = load_suite(suite)
    assert len(requirements) == count
    assert all(r.expected_history for r in requirements.values())


def test_requirements_are_ordered_by_number() -> None:
    assert list(load_suite("step"))[:3] == ["1-1", "1-2", "1-3"]
    assert list(load_suite("step"))[-1] == "1-20"


def test_callback_actions_are_parsed_from_the_yaml() -> None:
    actions = load_suite("callback")["4-5"].callback_actions
    assert [action.operation for action in actions] == ["heartbeat", "success"]


def test_a_wheel_with_another_hash_is_refused(tmp_path: Path) -> None:
    impostor = tmp_path / "aws_durable_execution_conformance_tests-1.0.0-py3-none-any.whl"
    impostor.write_bytes(b"not the pinned wheel")
    with pytest.raises(RequirementsUnavailable, match="sha256"):
        check_digest(impostor)


def test_a_failed_download_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    empty_index = tmp_path / "index"
    empty_index.mkdir()
    environment = {
        **os.environ,
        "DURABLE_CONFORMANCE_CACHE": str(tmp_path / "cache"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(empty_index),
        "PIP_CONFIG_FILE": os.devnull,
    }
    script = (
        "from conformance.requirements import requirements_dir, RequirementsUnavailable\n"
        "try:\n    requirements_dir()\n"
        "except RequirementsUnavailable as error:\n    print(error)\n    raise SystemExit(3)\n"
    )
    tests_root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tests_root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "could not download aws-durable-execution-conformance-tests==1.0.0" in done.stdout
    assert "network access to PyPI" in done.stdout
