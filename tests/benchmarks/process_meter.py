"""Run a command and measure its wall time and the peak memory of its process tree.

Peak memory is the larger of two readings: the sum of the resident set sizes of the
child and all its descendants, sampled from /proc every few milliseconds (this sees a
pool of worker processes as one), and the kernel's own high-water mark for the child
(`ru_maxrss` from wait4, which also catches a spike shorter than a sample).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Measurement:
    """What one run of a command cost."""

    wall_seconds: float
    peak_rss_mb: float
    returncode: int
    output: str


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces; the ppid follows it.
        fields = stat.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """Return the summed resident memory of `root` and all its descendants, in KiB."""
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_kb(pid)
        stack.extend(children.get(pid, []))
    return total


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measurement:
    """Run `command` in `cwd` to completion and return its cost and its output."""
    with tempfile.TemporaryFile("w+") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, text=True
        )
        peak_kb = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_kb
            while not done.is_set():
                peak_kb = max(peak_kb, tree_rss_kb(process.pid))
                done.wait(PAGE_SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = sink.read()
    peak_kb = max(peak_kb, usage.ru_maxrss)
    return Measurement(wall, peak_kb / 1024, process.returncode, output)
