"""The test runner's engine over a SqliteStore: after every save, the file read through a
second connection equals the execution in memory (waits, retries, callbacks, maps,
parallel branches, child contexts, failures), on the virtual clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from durable import DurableContext, durable_execution
from durable.config import CallbackConfig, Duration, StepConfig
from durable.retries import RetryStrategyConfig, create_retry_strategy
from durable.service.sqlite_store import SqliteStore
from durable.service.store import Execution
from durable.testing import LocalDurableTestRunner


class CheckedStore(SqliteStore):
    """A SqliteStore that reads every saved execution back from a second connection."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.saves = 0
        self.mismatches: list[int] = []  # numbers of the saves that read back different

    def save(self, execution: Execution) -> None:
        super().save(execution)
        reader = SqliteStore(self.path)
        if reader.get(execution.arn) != execution:
            self.mismatches.append(self.saves)
        reader.close()
        self.saves += 1


RETRY_TWICE = StepConfig(
    retry_strategy=create_retry_strategy(
        RetryStrategyConfig(max_attempts=3, initial_delay=Duration.from_seconds(2))
    )
)


@durable_execution
def everything(event: Any, context: DurableContext) -> dict[str, Any]:
    attempts: list[int] = []

    def flaky(step: Any) -> str:
        attempts.append(step.attempt)
        if step.attempt < 3:
            raise ConnectionError("not yet")
        return "third time"

    flaky_result = context.step(flaky, name="flaky", config=RETRY_TWICE)
    context.wait(Duration.from_seconds(30), name="nap")
    squares = context.map(
        [1, 2, 3], lambda ctx, item, index, items: ctx.step(lambda _: item * item), name="sq"
    ).get_results()
    branches = context.parallel(
        [lambda ctx: ctx.step(lambda _: "a"), lambda ctx: "b"], name="both"
    ).get_results()
    inner = context.run_in_child_context(
        lambda child: child.step(lambda _: {"deep": True}, name="deep"), name="inner"
    )
    callback = context.create_callback(
        name="approval", config=CallbackConfig(timeout=Duration.from_minutes(5))
    )
    return {
        "flaky": flaky_result,
        "squares": squares,
        "branches": branches,
        "inner": inner,
        "answer": callback.result(),
    }


@durable_execution
def failing(event: Any, context: DurableContext) -> None:
    context.step(lambda _: "fine", name="fine")
    raise RuntimeError("the order is gone")


def _runner_over(path: Path, handler: Any) -> tuple[LocalDurableTestRunner, CheckedStore]:
    runner = LocalDurableTestRunner(handler)
    store = CheckedStore(path)
    runner.engine.store = store
    return runner, store


def test_every_save_of_a_rich_execution_reads_back_equal(tmp_path: Path) -> None:
    runner, store = _runner_over(tmp_path / "executions.db", everything)
    with runner:
        arn = runner.start()
        runner.send_callback_success(runner.wait_for_callback(arn, "approval"), '"ok"')
        result = runner.wait_for_result(arn, timeout=30)
    assert result.status == "SUCCEEDED", result.error
    assert result.result["squares"] == [1, 4, 9]
    assert store.saves > 10 and store.mismatches == []
    assert SqliteStore(store.path).get(arn) == runner.engine.execution(arn)


def test_every_save_of_a_failing_execution_reads_back_equal(tmp_path: Path) -> None:
    runner, store = _runner_over(tmp_path / "executions.db", failing)
    with runner:
        result = runner.run()
    assert result.status == "FAILED"
    assert store.mismatches == []
    reopened = SqliteStore(store.path).get(result.arn)
    assert reopened.error is not None and reopened.error.message == "the order is gone"


@pytest.mark.parametrize("answer", ["heartbeat-then-timeout", "failure"])
def test_callback_outcomes_read_back_equal(tmp_path: Path, answer: str) -> None:
    @durable_execution
    def waits(event: Any, context: DurableContext) -> Any:
        config = CallbackConfig(
            timeout=Duration.from_seconds(60), heartbeat_timeout=Duration.from_seconds(10)
        )
        return context.create_callback(name="cb", config=config).result()

    runner, store = _runner_over(tmp_path / "executions.db", waits)
    with runner:
        arn = runner.start()
        callback_id = runner.wait_for_callback(arn, "cb")
        if answer == "failure":
            runner.send_callback_failure(callback_id, {"ErrorMessage": "no"})
        else:
            runner.send_callback_heartbeat(callback_id)
        result = runner.wait_for_result(arn, timeout=30)
    assert result.status == "FAILED"
    assert store.saves > 0 and store.mismatches == []
