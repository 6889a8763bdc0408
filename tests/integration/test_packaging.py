"""The installed distribution: console scripts, typing markers, entry points, hooks."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def script(name: str) -> str:
    """Path of a console script installed beside the running interpreter."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"console script {name!r} is not installed"
    return found


@pytest.mark.parametrize("name", ["durable", "durable-lint"])
def test_console_script_answers_version(name: str) -> None:
    out = subprocess.run([script(name), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"{name} {importlib.metadata.version('durable-py')}"


@pytest.mark.parametrize("name", ["durable", "durable-lint"])
def test_console_script_answers_help(name: str) -> None:
    out = subprocess.run([script(name), "--help"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith(f"usage: {name}")


@pytest.mark.parametrize("package", ["durable", "durable_lint"])
def test_packages_are_typed(package: str) -> None:
    assert importlib.resources.files(package).joinpath("py.typed").is_file()


def test_flake8_entry_point_uses_the_dur_prefix() -> None:
    points = importlib.metadata.entry_points(group="flake8.extension")
    dur = [p for p in points if p.name == "DUR"]
    assert len(dur) == 1
    assert dur[0].value == "durable_lint.flake8_plugin:DurableLintPlugin"
    assert dur[0].load().name == "durable-lint"


def test_sdk_needs_nothing_outside_the_standard_library() -> None:
    # Importing every public SDK module must load no third-party package.
    code = (
        "import sys, pkgutil, importlib, durable\n"
        "before = set(sys.modules)\n"
        "for info in pkgutil.walk_packages(durable.__path__, 'durable.'):\n"
        "    if not info.name.split('.')[-1].startswith('_') and 'aws' not in info.name:\n"
        "        importlib.import_module(info.name)\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(','.join(sorted(new - set(sys.stdlib_module_names) - {'durable'})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_pre_commit_manifest_declares_both_hooks() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"durable-lint", "durable-lint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
        assert hook["require_serial"] is True


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- test-command -->", 1)[1]
    command = next(line for line in block.splitlines() if line.startswith("python3 "))
    assert "pytest" in command
    assert "test-command" in (ROOT / ".ci" / "run").read_text()
