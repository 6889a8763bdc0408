"""The `durable` command as the integration tests run it: a real subprocess, in a
temporary directory, with the handlers of `local_handlers/` importable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HANDLERS = Path(__file__).resolve().parent / "local_handlers"


def _default_sigint() -> None:
    """Let the child take Ctrl-C even when the tests run as a background job (which
    ignores SIGINT, and children inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class DurableCli:
    """Runs `durable` in `cwd` against the database `db`."""

    cwd: Path
    db: Path

    @property
    def executable(self) -> str:
        found = shutil.which("durable", path=str(Path(sys.executable).parent))
        assert found, "the durable console script is not installed"
        return found

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(HANDLERS), "PYTHONUNBUFFERED": "1"}

    def command(self, *args: str) -> list[str]:
        """The argv of `durable --db DB ARGS...`."""
        return [self.executable, "--db", str(self.db), *args]

    def __call__(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run `durable ARGS...` to its end."""
        return subprocess.run(
            self.command(*args),
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start `durable ARGS...` without waiting for it."""
        return subprocess.Popen(
            self.command(*args),
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_default_sigint,
        )
