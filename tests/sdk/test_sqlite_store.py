"""SqliteStore: executions written through by the engine, read back exactly, from
real SQLite files."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from durable import DurableContext, durable_execution
from durable._core.wire import ErrorObject, Operation, OperationStatus, OperationType
from durable.config import StepConfig
from durable.local_engine import LocalEngine
from durable.retries import RetryPresets
from durable.service.clock import VirtualClock
from durable.service.engine import Engine
from durable.service.records import operation_from_text, operation_to_text
from durable.service.sqlite_store import SqliteStore, StoreConflict
from hypothesis import given, settings
from hypothesis import strategies as st

NO_RETRY = StepConfig(retry_strategy=RetryPresets.none())


@durable_execution
def nested(event: dict[str, Any], context: DurableContext) -> dict[str, Any]:
    first = context.step(lambda _: {"n": event["n"], "at": "start"}, name="first")

    def inner(child: DurableContext) -> int:
        return int(child.step(lambda _: first["n"] * 2, name="double"))

    doubled = context.run_in_child_context(inner, name="inner")
    try:
        context.step(lambda _: 1 / 0, name="broken", config=NO_RETRY)
    except Exception as error:
        caught = type(error).__name__
    return {"doubled": doubled, "caught": caught}


@durable_execution
def many_steps(event: dict[str, Any], context: DurableContext) -> int:
    return sum(context.step(lambda _, i=i: i, name=f"s{i}") for i in range(event["count"]))


@durable_execution
def approval(event: Any, context: DurableContext) -> Any:
    return context.create_callback(name="approval").result()


def _no_retry_nested(tmp_path: Path) -> tuple[LocalEngine, str]:
    engine = LocalEngine(tmp_path / "executions.db")
    arn = engine.start("tests:nested", '{"n": 21}', handler=nested)
    return engine, arn


def test_operation_text_round_trip_keeps_every_field() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    op = Operation(
        id="root",
        type=OperationType.EXECUTION,
        status=OperationStatus.FAILED,
        name="run",
        start_timestamp=moment,
        end_timestamp=moment,
        input_payload='{"a": 1}',
        result="kept though the wire shape drops it",
        error=ErrorObject("boom", "ValueError", "data", ["line 1", "line 2"]),
        next_attempt_timestamp=moment,
    )
    assert operation_from_text(operation_to_text(op)) == op


def test_execution_read_back_equals_the_one_the_engine_wrote(tmp_path: Path) -> None:
    engine, arn = _no_retry_nested(tmp_path)
    engine.drive(arn, handler=nested)
    written = engine.engine.execution(arn)
    engine.close()

    reopened = SqliteStore(tmp_path / "executions.db")
    assert reopened.get(arn) == written
    reopened.close()


def test_reopened_store_lists_the_execution_and_its_outcome(tmp_path: Path) -> None:
    engine, arn = _no_retry_nested(tmp_path)
    outcome = engine.drive(arn, handler=nested)
    engine.close()

    store = SqliteStore(tmp_path / "executions.db")
    [summary] = store.summaries()
    assert (summary.arn, summary.handler, summary.status) == (arn, "tests:nested", "SUCCEEDED")
    assert store.get(arn).result == outcome.result == '{"doubled": 42, "caught": "StepError"}'
    store.close()


def test_execution_waiting_on_a_callback_is_restored_with_its_callback(tmp_path: Path) -> None:
    engine = LocalEngine(tmp_path / "executions.db")
    arn = engine.start("tests:approval", None, handler=approval)
    [(callback_id, _)] = engine.drive(arn, handler=approval).callbacks
    waiting = engine.engine.execution(arn)
    engine.close()

    store = SqliteStore(tmp_path / "executions.db")
    assert store.get(arn) == waiting
    assert store.find_callback(callback_id) == (arn, next(iter(waiting.waiting)))
    store.close()


def test_callback_answered_from_a_second_process_store_finishes_the_execution(
    tmp_path: Path,
) -> None:
    first = LocalEngine(tmp_path / "executions.db")
    arn = first.start("tests:approval", None, handler=approval)
    [(callback_id, _)] = first.drive(arn, handler=approval).callbacks

    second = LocalEngine(tmp_path / "executions.db")
    second.answer_callback(callback_id, "succeed", '"yes"')
    second.close()

    outcome = first.drive(arn, handler=approval)
    assert outcome.status == "SUCCEEDED"
    assert json.loads(outcome.result or "null") == '"yes"'  # the callback's raw text
    first.close()


def test_save_from_a_stale_copy_is_refused_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "executions.db"
    writer = Engine(VirtualClock(), SqliteStore(path))
    arn = writer.start_execution('"in"')
    stale = SqliteStore(path)
    stale_copy = stale.get(arn)

    writer.invocation_event(arn)  # a newer invocation token, saved
    stale_copy.status = "FAILED"
    with pytest.raises(StoreConflict, match="changed by another process"):
        stale.save(stale_copy)

    fresh = SqliteStore(path)
    assert fresh.get(arn).status == "RUNNING"
    assert fresh.get(arn).token == writer.execution(arn).token


def test_file_is_in_wal_mode(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "executions.db").close()
    with sqlite3.connect(tmp_path / "executions.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_unknown_arn_is_a_key_error(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "executions.db")
    with pytest.raises(KeyError, match="no execution"):
        store.get("arn:nothing")


def test_reader_sees_whole_checkpoints_while_a_writer_runs(tmp_path: Path) -> None:
    path = tmp_path / "executions.db"
    engine = LocalEngine(path)
    arn = engine.start("tests:many_steps", '{"count": 60}', handler=many_steps)
    writer = threading.Thread(target=engine.drive, args=(arn,), kwargs={"handler": many_steps})
    writer.start()

    reader = SqliteStore(path)
    looks = 0
    while True:
        reader.refresh(arn)
        seen = reader.get(arn)
        steps_done = [
            op
            for op in seen.operations.values()
            if op.type is OperationType.STEP and op.status is OperationStatus.SUCCEEDED
        ]
        succeeded_events = [e for e in seen.events if e["EventType"] == "StepSucceeded"]
        assert len(steps_done) == len(succeeded_events)
        assert [e["EventId"] for e in seen.events] == list(range(1, len(seen.events) + 1))
        looks += 1
        if seen.done:
            break
    writer.join()
    assert seen.result == str(sum(range(60)))
    assert looks >= 1
    reader.close()
    engine.close()


def test_a_save_that_fails_halfway_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "executions.db"
    engine, arn = _no_retry_nested(tmp_path)
    engine.drive(arn, handler=nested)
    engine.close()
    store = SqliteStore(path)
    execution = store.get(arn)
    step_id = next(i for i, op in execution.operations.items() if op.name == "first")
    execution.operations[step_id] = dataclasses.replace(
        execution.operations[step_id], result="rewritten"
    )
    execution.events.append(dict(execution.events[0]))  # an EventId the file already has

    with pytest.raises(sqlite3.IntegrityError):
        store.save(execution)  # the operation row was written before the event failed

    assert SqliteStore(path).get(arn).operations[step_id].result != "rewritten"


_moments = st.datetimes(timezones=st.just(UTC)) | st.none()
_texts = st.text(max_size=20) | st.none()
_errors = (
    st.builds(
        ErrorObject, _texts, _texts, _texts, st.lists(st.text(max_size=10), max_size=3) | st.none()
    )
    | st.none()
)


@settings(max_examples=60, deadline=None)
@given(
    st.builds(
        Operation,
        id=st.text(min_size=1, max_size=20),
        type=st.sampled_from(OperationType),
        status=st.sampled_from(OperationStatus),
        parent_id=_texts,
        name=_texts,
        sub_type=_texts,
        start_timestamp=_moments,
        end_timestamp=_moments,
        input_payload=_texts,
        result=_texts,
        error=_errors,
        replay_children=st.booleans(),
        attempt=st.integers(min_value=0, max_value=10_000),
        next_attempt_timestamp=_moments,
        scheduled_end_timestamp=_moments,
        callback_id=_texts,
    )
)
def test_any_operation_reads_back_equal(op: Operation) -> None:
    assert operation_from_text(operation_to_text(op)) == op


def test_saving_a_copy_replaced_by_a_refresh_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "executions.db"
    store = SqliteStore(path)
    engine = Engine(VirtualClock(), store)
    arn = engine.start_execution(None)
    held = store.get(arn)
    other = Engine(VirtualClock(), SqliteStore(path))
    other.invocation_event(arn)  # another process moves the execution on
    assert store.refresh(arn)

    held.status = "FAILED"
    with pytest.raises(StoreConflict, match="re-read from the file"):
        store.save(held)
    assert SqliteStore(path).get(arn).token == other.execution(arn).token


def test_an_invocation_whose_checkpoint_meets_another_writer_is_invoked_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "executions.db"
    interfered: list[bool] = []

    @durable_execution
    def handler(event: Any, context: DurableContext) -> str:
        def meddle(_: Any) -> str:
            if not interfered:  # another process touches the execution, once
                interfered.append(True)
                Engine(VirtualClock(), SqliteStore(path)).invocation_event(arn)
            return "done"

        return context.step(meddle, name="meddle", config=NO_RETRY)

    engine = LocalEngine(path)
    arn = engine.start("tests:handler", None, handler=handler)
    outcome = engine.drive(arn, handler=handler)

    assert (outcome.status, outcome.result) == ("SUCCEEDED", '"done"')
    failed = [i for i in engine.engine.execution(arn).invocations if i["Error"]]
    assert "changed by another process" in failed[0]["Error"]["ErrorMessage"]
