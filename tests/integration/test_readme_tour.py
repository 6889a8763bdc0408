"""The README's tour is code a newcomer pastes: it must run as printed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_python_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A 30-second tour", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", tour, flags=re.S)


def test_the_tour_has_a_handler_and_its_test() -> None:
    blocks = readme_python_blocks()
    assert len(blocks) == 2
    assert "@durable_execution" in blocks[0]
    assert "LocalDurableTestRunner" in blocks[1]


def test_the_tour_runs_as_printed(tmp_path: Path) -> None:
    script = tmp_path / "tour.py"
    script.write_text("\n".join(readme_python_blocks()) + '\nprint("tour ok")\n')
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("tour ok")


def test_the_tour_lints_clean(tmp_path: Path) -> None:
    script = tmp_path / "tour.py"
    script.write_text("\n".join(readme_python_blocks()))
    lint = Path(sys.executable).with_name("durable-lint")
    done = subprocess.run(
        [str(lint), "--no-cache", str(script)], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "")
