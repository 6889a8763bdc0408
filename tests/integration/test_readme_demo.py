"""The README's first command: durable-lint on the demo handlers prints findings, exits 0."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^fixtures/demo/\w+\.py:\d+:\d+: DUR\d{3} [^;]+; .+$")


def demo_lint_arguments() -> list[str]:
    block = (ROOT / "README.md").read_text().split("<!-- demo-command -->", 1)[1]
    command = next(line for line in block.splitlines() if "durable-lint" in line)
    lint_part = command.split("&&")[-1].strip()
    words = shlex.split(lint_part)
    assert Path(words[0]).name == "durable-lint"
    return words[1:]


def test_readme_demo_command_prints_findings_with_advice_and_exits_zero() -> None:
    exe = shutil.which("durable-lint", path=str(Path(sys.executable).parent))
    assert exe is not None
    result = subprocess.run(
        [exe, *demo_lint_arguments()], cwd=ROOT, capture_output=True, text=True, check=False
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert len(lines) >= 5
    assert [line for line in lines if not LINE.match(line)] == []
