"""Fix fixtures round-trip: `--fix` turns each `fixtures/fixes/*.py` into its `.py.fixed`.

Files named `safe_*` are fixed with `--fix`, `unsafe_*` with `--fix --unsafe-fixes`.
The fixed text must equal the expected file, lint without the fixed codes, and be a
fixed point: fixing it again changes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXES = ROOT / "fixtures" / "fixes"
CASES = sorted(FIXES.glob("*.py"))
FIXED_CODES = {"DUR101", "DUR102", "DUR103", "DUR107", "DUR108"}


def durable_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("durable-lint", path=str(Path(sys.executable).parent))
    assert exe is not None
    command = [exe, "--no-cache", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def fix_flags(case: Path) -> list[str]:
    return ["--fix", "--unsafe-fixes"] if case.name.startswith("unsafe_") else ["--fix"]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.durable-lint]\n")
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.stem)
def test_fix_produces_the_expected_file(case: Path, workdir: Path) -> None:
    target = workdir / case.name
    shutil.copy(case, target)
    result = durable_lint(*fix_flags(case), case.name, cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.read_text() == case.with_name(case.name + ".fixed").read_text()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.stem)
def test_fixed_file_is_clean_of_fixed_codes_and_a_fixed_point(case: Path, workdir: Path) -> None:
    expected = case.with_name(case.name + ".fixed").read_text()
    target = workdir / case.name
    target.write_text(expected)
    report = json.loads(durable_lint("--format", "json", case.name, cwd=workdir).stdout)
    assert {finding["code"] for finding in report} & FIXED_CODES == set()
    durable_lint(*fix_flags(case), case.name, cwd=workdir)
    assert target.read_text() == expected


def test_unsafe_fixes_are_not_applied_by_fix_alone(workdir: Path) -> None:
    case = FIXES / "unsafe_sleep_to_wait.py"
    shutil.copy(case, workdir / case.name)
    result = durable_lint("--fix", case.name, cwd=workdir)
    assert result.returncode == 1
    assert (workdir / case.name).read_text() == case.read_text()
    assert "DUR108" in result.stdout


def test_diff_prints_the_change_and_writes_nothing(workdir: Path) -> None:
    case = FIXES / "safe_sorted_iteration.py"
    shutil.copy(case, workdir / case.name)
    result = durable_lint("--diff", case.name, cwd=workdir)
    assert "+    for sku in sorted(skus):" in result.stdout
    assert result.stdout.startswith(f"--- a/{case.name}\n+++ b/{case.name}\n")
    assert (workdir / case.name).read_text() == case.read_text()


def test_fix_exits_nonzero_when_an_unfixable_finding_remains(workdir: Path) -> None:
    source = (FIXES / "safe_sorted_iteration.py").read_text()
    source = source.replace('    return {"holds"', '    print(holds)\n    return {"holds"')
    (workdir / "mixed.py").write_text(source)
    result = durable_lint("--fix", "mixed.py", cwd=workdir)
    assert result.returncode == 1
    assert "DUR110" in result.stdout and "DUR107" not in result.stdout
    assert "sorted(skus)" in (workdir / "mixed.py").read_text()


def test_json_report_carries_the_safe_fix_edits(workdir: Path) -> None:
    case = FIXES / "safe_sorted_iteration.py"
    shutil.copy(case, workdir / case.name)
    report = json.loads(durable_lint("--format", "json", case.name, cwd=workdir).stdout)
    first = next(finding for finding in report if finding["code"] == "DUR107")
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"][0]["content"] == "sorted(skus)"


def test_fix_keeps_the_declared_encoding(workdir: Path) -> None:
    source = (
        '# -*- coding: latin-1 -*-\n"""Café orders."""\n'
        "from durable import DurableContext, durable_execution\n\n\n"
        "@durable_execution\ndef handler(event: dict, context: DurableContext) -> list:\n"
        '    return [context.step(lambda _, s=s: s) for s in {"a", "b"}]\n'
    )
    (workdir / "latin.py").write_bytes(source.encode("latin-1"))
    assert durable_lint("--fix", "latin.py", cwd=workdir).returncode == 0
    fixed = (workdir / "latin.py").read_bytes().decode("latin-1")
    assert fixed == source.replace('in {"a", "b"}', 'in sorted({"a", "b"})')
