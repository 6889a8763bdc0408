"""Per-operation overhead of ``durable`` against the official AWS SDK, on each one's runner.

Run from the repository root (after installing the project into .venv):

    .venv/bin/python tests/benchmarks/bench_sdk.py

The same handlers (written once, against the API both SDKs share) run on our
``durable.testing.LocalDurableTestRunner`` and on the official
``aws_durable_execution_sdk_python_testing.runner.DurableFunctionTestRunner``. Each SDK
runs in its own worker process: ours in the current interpreter, the official one in a
separate virtual environment (``.venv-bench-official``, created on first use with the
pinned versions from the package index, or from the wheels in ``--official-wheels``), so
neither SDK's imports or dependency pins touch the other. Both runners skip the time of
waits and retries.

The script prints, per workload, the best wall time of ``--repeat`` runs, the time per
durable operation for both SDKs and their ratio (official / ours), and whether our time
per operation stays flat from 100 to 1,000 sequential steps.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import subprocess
import sys
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
OFFICIAL_VENV = REPO_ROOT / ".venv-bench-official"
OFFICIAL_PREFIX = "aws_durable_execution_sdk_python"
OURS_PREFIX = "durable"
FLAT_TOLERANCE = 1.25  # per-op time at 1,000 steps may be at most 25% above that at 100


@dataclass(frozen=True)
class Api:
    """The names a workload needs, taken from one SDK (both share these shapes)."""

    durable_execution: Callable[..., Any]
    config: ModuleType

    @classmethod
    def load(cls, prefix: str) -> Api:
        root = importlib.import_module(prefix)
        return cls(root.durable_execution, importlib.import_module(f"{prefix}.config"))


@dataclass(frozen=True)
class Workload:
    """A handler shape, how many durable operations it performs, and its result."""

    name: str
    operations: int
    expected: Any
    build: Callable[[Api], Callable[..., Any]]
    needs: str | None = None  # a DurableContext method that not every SDK version has


def sequential_steps(count: int, wait_every: int = 0) -> Callable[[Api], Callable[..., Any]]:
    def build(api: Api) -> Callable[..., Any]:
        one_second = api.config.Duration.from_seconds(1)

        @api.durable_execution
        def handler(event: Any, context: Any) -> int:
            total = 0
            for index in range(count):
                total += context.step(lambda _, index=index: index)
                if wait_every and (index + 1) % wait_every == 0:
                    context.wait(one_second)
            return total

        return handler

    return build


def map_items(count: int, max_concurrency: int) -> Callable[[Api], Callable[..., Any]]:
    def build(api: Api) -> Callable[..., Any]:
        def double(ctx: Any, item: int, index: int, items: Any) -> int:
            return int(ctx.step(lambda _: item * 2))

        @api.durable_execution
        def handler(event: Any, context: Any) -> int:
            config = api.config.MapConfig(max_concurrency=max_concurrency)
            batch = context.map(list(range(count)), double, name="map", config=config)
            return sum(batch.get_results())

        return handler

    return build


def parallel_branches(count: int) -> Callable[[Api], Callable[..., Any]]:
    def build(api: Api) -> Callable[..., Any]:
        branches = [lambda ctx, index=index: ctx.step(lambda _: index) for index in range(count)]

        @api.durable_execution
        def handler(event: Any, context: Any) -> int:
            return sum(context.parallel(branches, name="parallel").get_results())

        return handler

    return build


# Issue 4's cases (map, parallel) are rows like the others: a row whose operation our
# SDK does not have yet is reported as such instead of being timed.
WORKLOADS = [
    Workload("10 steps", 10, sum(range(10)), sequential_steps(10)),
    Workload("100 steps", 100, sum(range(100)), sequential_steps(100)),
    Workload("1,000 steps", 1000, sum(range(1000)), sequential_steps(1000)),
    Workload(
        "1,000 steps, wait every 10", 1100, sum(range(1000)), sequential_steps(1000, wait_every=10)
    ),
    # operations: 1,000 iterations, each holding one step
    Workload(
        "map 1,000 items, max_concurrency 10",
        2000,
        sum(2 * i for i in range(1000)),
        map_items(1000, 10),
        needs="map",
    ),
    # operations: 100 branches, each holding one step
    Workload(
        "parallel 100 branches", 200, sum(range(100)), parallel_branches(100), needs="parallel"
    ),
]


# --- worker side: runs inside the process of one SDK ------------------------------------


def _run_ours(handler: Callable[..., Any]) -> Any:
    from durable.testing import LocalDurableTestRunner

    with LocalDurableTestRunner(handler) as runner:
        result = runner.run(None, timeout=3600)
    if result.status != "SUCCEEDED":
        raise RuntimeError(f"our runner ended {result.status}: {result.error}")
    return result.result


def _run_official(handler: Callable[..., Any]) -> Any:
    from aws_durable_execution_sdk_python_testing.runner import DurableFunctionTestRunner

    with DurableFunctionTestRunner(handler=handler, execution_timeout=3600) as runner:
        result = runner.run(input="null")
    if result.status.value != "SUCCEEDED":
        raise RuntimeError(f"the official runner ended {result.status}: {result.error}")
    return json.loads(result.result)


def _supports(prefix: str, method: str) -> bool:
    context_class = importlib.import_module(prefix).DurableContext
    return callable(getattr(context_class, method, None))


def worker(sdk: str, names: list[str], repeat: int) -> dict[str, float | str]:
    """Time each named workload on one SDK; return best seconds, or why it was not run."""
    logging.disable(logging.CRITICAL)
    prefix, run = (OURS_PREFIX, _run_ours) if sdk == "ours" else (OFFICIAL_PREFIX, _run_official)
    api = Api.load(prefix)
    run(WORKLOADS[0].build(api))  # warm up: imports, thread pools, first-call caches
    timings: dict[str, float | str] = {}
    for workload in WORKLOADS:
        if workload.name not in names:
            continue
        if workload.needs and not _supports(prefix, workload.needs):
            timings[workload.name] = f"no {workload.needs}() yet"
            continue
        best = float("inf")
        for _ in range(repeat):
            handler = workload.build(api)
            started = time.perf_counter()
            result = run(handler)
            best = min(best, time.perf_counter() - started)
            if result != workload.expected:
                raise RuntimeError(f"{sdk} {workload.name}: result {result!r}")
        timings[workload.name] = best
    return timings


# --- driver side: prepares the official environment and prints the comparison ----------


OFFICIAL_PACKAGES = (
    "aws-durable-execution-sdk-python==3.0.0",
    "aws-durable-execution-sdk-python-testing==1.4.0",
)


def official_python(wheels: Path | None) -> Path:
    """Return the interpreter of the official SDK's venv, creating it on first use.

    The official packages come from `wheels` when given, else from the package index
    at the pinned versions the parity tests use.
    """
    python = OFFICIAL_VENV / "bin" / "python"
    marker = OFFICIAL_VENV / ".installed"
    if marker.exists():
        return python
    if wheels is None:
        sources = list(OFFICIAL_PACKAGES)
    else:
        sources = [
            str(path) for path in sorted(wheels.glob("aws_durable_execution_sdk_python*.whl"))
        ]
        if len(sources) < 2:
            raise SystemExit(
                f"bench_sdk: need the official SDK and -testing wheels in {wheels}; "
                "pass another --official-wheels DIR, or none to install from the index"
            )
    venv.create(OFFICIAL_VENV, with_pip=True)
    install = [str(python), "-m", "pip", "install", "-q", *sources]
    if subprocess.run(install, check=False).returncode != 0:
        # The official packages pin a recent boto3; when the index cannot satisfy the
        # pin, install them without dependencies and take the newest boto3 available.
        subprocess.run([*install, "--no-deps"], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "boto3"], check=True)
    marker.write_text("\n".join(sources) + "\n")
    return python


def run_worker(python: Path | str, sdk: str, names: list[str], repeat: int) -> dict[str, Any]:
    command = [str(python), __file__, "--worker", sdk, "--repeat", str(repeat)]
    command += ["--workloads", json.dumps(names)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO_ROOT)
    if done.returncode != 0:
        raise SystemExit(f"bench_sdk: the {sdk} worker failed:\n{done.stderr.strip()}")
    timings: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return timings


def _per_op_us(seconds: Any, operations: int) -> float | None:
    return seconds / operations * 1e6 if isinstance(seconds, float) else None


def report(ours: dict[str, Any], official: dict[str, Any]) -> list[str]:
    lines = [
        f"{'workload':<38}{'ops':>6}{'ours µs/op':>13}{'official µs/op':>16}{'ratio':>8}",
    ]
    for workload in WORKLOADS:
        mine = _per_op_us(ours.get(workload.name), workload.operations)
        theirs = _per_op_us(official.get(workload.name), workload.operations)
        mine_text = f"{mine:.1f}" if mine is not None else str(ours.get(workload.name, "-"))
        theirs_text = (
            f"{theirs:.1f}" if theirs is not None else str(official.get(workload.name, "-"))
        )
        ratio = f"{theirs / mine:.1f}x" if mine and theirs else "-"
        lines.append(
            f"{workload.name:<38}{workload.operations:>6}{mine_text:>13}{theirs_text:>16}{ratio:>8}"
        )
    at_100 = _per_op_us(ours.get("100 steps"), 100)
    at_1000 = _per_op_us(ours.get("1,000 steps"), 1000)
    if at_100 and at_1000:
        growth = at_1000 / at_100
        verdict = "flat" if growth <= FLAT_TOLERANCE else "GROWS"
        lines.append(
            f"ours per op from 100 to 1,000 steps: {at_100:.1f} -> {at_1000:.1f} µs "
            f"(x{growth:.2f}): {verdict}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per workload (best is kept)")
    parser.add_argument(
        "--official-wheels",
        type=Path,
        default=None,
        help="folder of official wheels (default: the pinned versions from the index)",
    )
    parser.add_argument("--only", choices=["ours", "official"], help="measure one SDK only")
    parser.add_argument("--worker", choices=["ours", "official"], help=argparse.SUPPRESS)
    parser.add_argument("--workloads", help=argparse.SUPPRESS)
    args = parser.parse_args()

    names = json.loads(args.workloads) if args.workloads else [w.name for w in WORKLOADS]
    if args.worker:
        print(json.dumps(worker(args.worker, names, args.repeat)))
        return

    ours: dict[str, Any] = {}
    official: dict[str, Any] = {}
    if args.only != "official":
        ours = run_worker(sys.executable, "ours", names, args.repeat)
    if args.only != "ours":
        official = run_worker(official_python(args.official_wheels), "official", names, args.repeat)
    print(f"durable vs {OFFICIAL_PREFIX}: best of {args.repeat} runs per workload")
    print("\n".join(report(ours, official)))


if __name__ == "__main__":
    main()
