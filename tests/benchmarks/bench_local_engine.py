"""What persisting costs: the same handler on the in-memory engine (the test runner)
and on the SQLite engine (`durable run`), per operation, at growing sizes.

    python tests/benchmarks/bench_local_engine.py [FOLDER]

FOLDER holds the SQLite files (default: the system's temporary folder; pass /dev/shm to
leave out the disk's fsync). Every step is at-most-once, so each one commits two
checkpoints. The cost per operation should stay flat as the execution grows.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from durable import DurableContext, durable_execution
from durable.config import StepConfig, StepSemantics
from durable.local_engine import LocalEngine
from durable.testing import LocalDurableTestRunner

AT_MOST_ONCE = StepConfig(step_semantics=StepSemantics.AT_MOST_ONCE_PER_RETRY)
SIZES = (250, 1000, 2000)


@durable_execution
def steps(event: Any, context: DurableContext) -> int:
    return sum(
        context.step(lambda _, i=i: i, name=f"s{i}", config=AT_MOST_ONCE) for i in range(event)
    )


def memory_seconds(count: int) -> float:
    with LocalDurableTestRunner(steps) as runner:
        started = time.perf_counter()
        assert runner.run(count).status == "SUCCEEDED"
        return time.perf_counter() - started


def sqlite_seconds(count: int, folder: str | None) -> float:
    with tempfile.TemporaryDirectory(dir=folder) as where:
        engine = LocalEngine(Path(where) / "executions.db")
        arn = engine.start("bench:steps", str(count), handler=steps)
        started = time.perf_counter()
        assert engine.drive(arn, handler=steps).status == "SUCCEEDED"
        elapsed = time.perf_counter() - started
        engine.close()
        return elapsed


def main() -> None:
    folder = sys.argv[1] if len(sys.argv) > 1 else None
    print(f"{'steps':>6} {'memory us/op':>13} {'sqlite us/op':>13} {'sqlite/memory':>14}")
    for count in SIZES:
        memory = memory_seconds(count) / count * 1e6
        sqlite = sqlite_seconds(count, folder) / count * 1e6
        print(f"{count:>6} {memory:>13.0f} {sqlite:>13.0f} {sqlite / memory:>13.1f}x")


if __name__ == "__main__":
    main()
