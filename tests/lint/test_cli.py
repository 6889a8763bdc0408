"""The `durable-lint` command, run as a real subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HANDLER = """\
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


def durable_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("durable-lint", path=str(Path(sys.executable).parent))
    assert exe is not None
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.durable-lint]\n")
    return tmp_path


def test_clean_file_exits_zero_and_prints_nothing(project: Path) -> None:
    (project / "ok.py").write_text(CLEAN)
    result = durable_lint("ok.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "")


def test_finding_prints_flake8_style_line_and_exits_one(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    result = durable_lint("bad.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("bad.py:7:12: DUR101 clock read time.time()")


def test_exit_zero_keeps_the_findings_but_succeeds(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    result = durable_lint("--exit-zero", "bad.py", cwd=project)
    assert result.returncode == 0
    assert "DUR101" in result.stdout


def test_json_format_has_the_contract_keys(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    result = durable_lint("--format", "json", "bad.py", cwd=project)
    [finding] = json.loads(result.stdout)
    assert set(finding) == {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "message",
        "fix",
    }
    assert (finding["line"], finding["column"], finding["code"]) == (7, 12, "DUR101")
    assert finding["fix"]["applicability"] == "unsafe"


def test_folder_is_walked_and_default_path_is_the_current_folder(project: Path) -> None:
    (project / "pkg").mkdir()
    (project / "pkg" / "bad.py").write_text(HANDLER)
    result = durable_lint(cwd=project)
    assert result.stdout.startswith("pkg/bad.py:7:12: DUR101")


def test_unknown_code_is_a_one_line_error_with_exit_two(project: Path) -> None:
    result = durable_lint("--select", "DUR999", ".", cwd=project)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown code 'DUR999'" in result.stderr


def test_unknown_configuration_key_is_an_error(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.durable-lint]\nselct = ["DUR1"]\n')
    result = durable_lint(".", cwd=project)
    assert result.returncode == 2
    assert "unknown key 'selct'" in result.stderr


def test_unknown_option_exits_two(project: Path) -> None:
    assert durable_lint("--no-such-option", cwd=project).returncode == 2


def test_missing_path_exits_two(project: Path) -> None:
    result = durable_lint("nowhere.py", cwd=project)
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_unparsable_file_is_dur001_and_the_run_goes_on(project: Path) -> None:
    (project / "a_broken.py").write_text("from durable import durable_execution\ndef (:\n")
    (project / "b_bad.py").write_text(HANDLER)
    result = durable_lint(".", cwd=project)
    codes = [line.split()[1] for line in result.stdout.splitlines()]
    assert codes == ["DUR001", "DUR101"]
    assert result.returncode == 1


def test_undecodable_file_is_dur001(project: Path) -> None:
    (project / "latin.py").write_bytes(b"# durable\nx = '\xff\xfe'\n")
    result = durable_lint("latin.py", cwd=project)
    assert result.stdout.startswith("latin.py:1:1: DUR001")


def test_ignore_switches_a_code_off(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    result = durable_lint("--ignore", "DUR1", "bad.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "")


def test_select_from_configuration(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.durable-lint]\nselect = ["DUR2"]\n')
    (project / "bad.py").write_text(HANDLER)
    assert durable_lint("bad.py", cwd=project).returncode == 0


def test_statistics_count_findings_per_code(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    result = durable_lint("--statistics", "bad.py", cwd=project)
    assert result.stdout.splitlines()[-1].split() == ["1", "DUR101", "clock-read"]


def test_show_source_prints_the_line_and_a_caret(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    lines = durable_lint("--show-source", "bad.py", cwd=project).stdout.splitlines()
    assert lines[1].strip() == "return time.time()"
    assert lines[2] == "    " + " " * 11 + "^"


def test_fix_without_fixes_fails_while_findings_remain(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    before = (project / "bad.py").read_text()
    assert durable_lint("--fix", "bad.py", cwd=project).returncode == 1
    assert (project / "bad.py").read_text() == before


def test_excluded_folder_is_skipped_when_walking_but_linted_when_named(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.durable-lint]\nextend-exclude = ["demo"]\n')
    (project / "demo").mkdir()
    (project / "demo" / "bad.py").write_text(HANDLER)
    assert durable_lint(".", cwd=project).stdout == ""
    assert "DUR101" in durable_lint("demo", cwd=project).stdout


def test_config_option_reads_the_named_file(project: Path) -> None:
    (project / "bad.py").write_text(HANDLER)
    (project / "strict.toml").write_text('ignore = ["DUR101"]\n')
    assert durable_lint("--config", "strict.toml", "bad.py", cwd=project).returncode == 0
    missing = durable_lint("--config", "nowhere.toml", "bad.py", cwd=project)
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr


def test_opt_in_code_is_enabled_by_extend_select(project: Path) -> None:
    (project / "env.py").write_text(
        HANDLER.replace("time.time()", "os.getenv('X')") + "import os\n"
    )
    assert "DUR106" not in durable_lint("env.py", cwd=project).stdout
    assert "DUR106" not in durable_lint("--select", "DUR1", "env.py", cwd=project).stdout
    assert "DUR106" in durable_lint("--extend-select", "DUR106", "env.py", cwd=project).stdout


def test_per_file_ignores_from_configuration(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.durable-lint]\nper-file-ignores = { "legacy_*.py" = ["DUR101"] }\n'
    )
    (project / "legacy_orders.py").write_text(HANDLER)
    (project / "orders.py").write_text(HANDLER)
    result = durable_lint(".", cwd=project)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["orders.py"]


def test_json_findings_read_back_into_the_same_findings(project: Path) -> None:
    from durable_lint.findings import Finding

    (project / "bad.py").write_text(HANDLER)
    report = json.loads(durable_lint("--format", "json", "bad.py", cwd=project).stdout)
    assert [Finding.from_dict(item).to_dict() for item in report] == report
