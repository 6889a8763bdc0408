"""`SqliteStore`: the engine's executions in a SQLite file that survives a crash.

The file is in WAL mode with `synchronous=FULL`, so a committed change is on disk
before `save` returns, and readers (`durable list` in another shell) never block the
writer. Each `save` writes everything that changed in one transaction: a process
killed mid-checkpoint leaves the previous checkpoint, never half of the next one.

Every execution row carries a revision that each save bumps; a save from a process
whose copy is older than the file's fails with `StoreConflict` instead of overwriting
another process's progress.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from durable._core.wire import Operation
from durable.exceptions import CheckpointError
from durable.service.records import (
    dumps,
    error_from_text,
    error_to_text,
    loads,
    operation_from_text,
    operation_to_text,
)
from durable.service.store import Execution

_SCHEMA = """
CREATE TABLE IF NOT EXISTS executions (
    arn TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    function_name TEXT NOT NULL,
    handler TEXT,
    input_payload TEXT,
    status TEXT NOT NULL,
    result TEXT,
    error TEXT,
    token TEXT NOT NULL,
    waiting TEXT NOT NULL,
    callbacks TEXT NOT NULL,
    wake INTEGER NOT NULL,
    version INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    started TEXT NOT NULL,
    driver INTEGER
);
CREATE TABLE IF NOT EXISTS operations (
    arn TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (arn, id)
);
CREATE TABLE IF NOT EXISTS events (
    arn TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (arn, event_id)
);
CREATE TABLE IF NOT EXISTS invocations (
    arn TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (arn, seq)
);
CREATE TABLE IF NOT EXISTS callbacks (
    callback_id TEXT PRIMARY KEY,
    arn TEXT NOT NULL,
    op_id TEXT NOT NULL
);
"""

_EXECUTION_COLUMNS = (
    "name, function_name, handler, input_payload, status, result, error, token, "
    "waiting, callbacks, wake, version"
)


class StoreConflict(CheckpointError):
    """Another process changed the execution since this one loaded it. Retryable: the
    invocation that met it ends, and the next one starts from the file's version."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


@dataclass(frozen=True)
class ExecutionSummary:
    """One line of `durable list`."""

    arn: str
    handler: str | None
    status: str
    started: datetime


@dataclass
class _Saved:
    """How much of one execution the file holds, as this store last wrote or read it."""

    revision: int
    events: int = 0
    invocations: int = 0


class _TrackedOperations(dict[str, Operation]):
    """An execution's operations that note which Ids were set since the last save, so
    a save writes only those (the engine only ever assigns items)."""

    def __init__(self, items: dict[str, Operation]) -> None:
        super().__init__(items)
        self.changed: dict[str, int] = {}  # Id -> position when it was first set

    def __setitem__(self, key: str, value: Operation) -> None:
        self.changed.setdefault(key, len(self) if key not in self else -1)
        super().__setitem__(key, value)


class SqliteStore:
    """Executions, operations, history and the callback index in a SQLite file.

    `SqliteStore(path)` creates the file (and its folder) when missing. Executions
    read once are kept in memory; `refresh(arn)` re-reads one that another process
    may have changed. Thread-safe; `close()` when done.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(executions)")}
        if "driver" not in columns:  # a file written before drivers were recorded
            self._db.execute("ALTER TABLE executions ADD COLUMN driver INTEGER")
        self._lock = threading.RLock()
        self._cache: dict[str, Execution] = {}
        self._saved: dict[str, _Saved] = {}
        self._new_callbacks: dict[str, tuple[str, str]] = {}

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    # -- Store -----------------------------------------------------------------
    def add(self, execution: Execution) -> None:
        """Write a new execution."""
        with self._lock, self._transaction():
            root = next(iter(execution.operations.values()))
            started = root.start_timestamp or datetime.now().astimezone()
            self._db.execute(
                f"INSERT INTO executions (arn, {_EXECUTION_COLUMNS}, revision, started) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (execution.arn, *self._row(execution), started.isoformat()),
            )
            saved = _Saved(revision=1)
            self._write_changes(execution, saved, everything=True)
        self._cache[execution.arn] = execution
        self._saved[execution.arn] = saved
        self._track(execution)

    @staticmethod
    def _track(execution: Execution) -> None:
        """Start noting the operations set from now on."""
        if isinstance(execution.operations, _TrackedOperations):
            execution.operations.changed.clear()
        else:
            execution.operations = _TrackedOperations(execution.operations)

    def get(self, arn: str) -> Execution:
        """The execution with this ARN (read from the file the first time)."""
        with self._lock:
            if arn not in self._cache:
                self._cache[arn], self._saved[arn] = self._load(arn)
            return self._cache[arn]

    def save(self, execution: Execution) -> None:
        """Write what changed since the last save, in one transaction."""
        with self._lock:
            saved = self._saved.get(execution.arn)
            if saved is None or self._cache.get(execution.arn) is not execution:
                self._forget(execution.arn)
                raise StoreConflict(
                    f"execution {execution.name} was re-read from the file while this copy "
                    "was being changed; the change is dropped"
                )
            try:
                with self._transaction():
                    bumped = self._db.execute(
                        "UPDATE executions SET (name, function_name, handler, input_payload, "
                        "status, result, error, token, waiting, callbacks, wake, version, "
                        "revision) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, revision + 1) "
                        "WHERE arn = ? AND revision = ?",
                        (*self._row(execution), execution.arn, saved.revision),
                    )
                    if bumped.rowcount != 1:
                        raise StoreConflict(
                            f"execution {execution.name} was changed by another process; "
                            "drive an execution from one process at a time"
                        )
                    progress = _Saved(saved.revision + 1, saved.events, saved.invocations)
                    self._write_changes(execution, progress)
            except BaseException:
                self._forget(execution.arn)  # the copy in memory no longer matches the file
                raise
            self._saved[execution.arn] = progress
            self._track(execution)

    def index_callback(self, callback_id: str, arn: str, op_id: str) -> None:
        """Remember a callback id; it is written with the execution's next save."""
        with self._lock:
            self._new_callbacks[callback_id] = (arn, op_id)

    def find_callback(self, callback_id: str) -> tuple[str, str]:
        """The (execution ARN, operation Id) of a callback."""
        with self._lock:
            if callback_id in self._new_callbacks:
                return self._new_callbacks[callback_id]
            row = self._db.execute(
                "SELECT arn, op_id FROM callbacks WHERE callback_id = ?", (callback_id,)
            ).fetchone()
        if row is None:
            raise KeyError(f"no callback with id {callback_id!r}")
        return str(row[0]), str(row[1])

    # -- beyond the protocol ---------------------------------------------------
    def refresh(self, arn: str) -> bool:
        """Re-read the execution if another process saved it since; True if it did."""
        with self._lock:
            row = self._db.execute(
                "SELECT revision FROM executions WHERE arn = ?", (arn,)
            ).fetchone()
            saved = self._saved.get(arn)
            if row is None or (saved is not None and saved.revision == row[0]):
                return False
            self._cache[arn], self._saved[arn] = self._load(arn)
            return True

    def claim(self, arn: str, driver: int, alive: Callable[[int], bool]) -> int | None:
        """Record `driver` (a process id) as the one driving the execution, unless
        another driver for which `alive` holds has it; returns that other driver."""
        with self._lock, self._transaction():
            row = self._db.execute("SELECT driver FROM executions WHERE arn = ?", (arn,))
            current = (row.fetchone() or (None,))[0]
            if current is not None and current != driver and alive(current):
                return int(current)
            self._db.execute("UPDATE executions SET driver = ? WHERE arn = ?", (driver, arn))
            return None

    def release(self, arn: str, driver: int) -> None:
        """Forget `driver` as the execution's driver (if it still is)."""
        with self._lock, self._transaction():
            self._db.execute(
                "UPDATE executions SET driver = NULL WHERE arn = ? AND driver = ?", (arn, driver)
            )

    def summaries(self) -> list[ExecutionSummary]:
        """Every execution in the file, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT arn, handler, status, started FROM executions ORDER BY rowid"
            ).fetchall()
        return [
            ExecutionSummary(arn, handler, status, datetime.fromisoformat(started))
            for arn, handler, status, started in rows
        ]

    def resolve(self, key: str) -> str | None:
        """The ARN of the execution whose ARN or name is `key` (None: no such one)."""
        with self._lock:
            row = self._db.execute(
                "SELECT arn FROM executions WHERE arn = ? OR name = ? ORDER BY rowid LIMIT 1",
                (key, key),
            ).fetchone()
        return None if row is None else str(row[0])

    # -- internals -------------------------------------------------------------
    def _transaction(self, mode: str = "IMMEDIATE") -> _Transaction:
        return _Transaction(self._db, mode)

    @staticmethod
    def _row(execution: Execution) -> tuple[Any, ...]:
        return (
            execution.name,
            execution.function_name,
            execution.handler,
            execution.input_payload,
            execution.status,
            execution.result,
            error_to_text(execution.error),
            execution.token,
            dumps(sorted(execution.waiting)),
            dumps(execution.callbacks),
            int(execution.wake),
            execution.version,
        )

    def _write_changes(self, execution: Execution, saved: _Saved, everything: bool = False) -> None:
        arn = execution.arn
        ops = execution.operations
        if everything or not isinstance(ops, _TrackedOperations):
            changed = {op_id: position for position, op_id in enumerate(ops)}
        else:
            changed = ops.changed
        self._db.executemany(
            "INSERT INTO operations (arn, id, seq, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (arn, id) DO UPDATE SET body = excluded.body",
            [
                (arn, op_id, position, operation_to_text(ops[op_id]))
                for op_id, position in changed.items()
            ],
        )
        self._db.executemany(
            "INSERT INTO events (arn, event_id, body) VALUES (?, ?, ?)",
            [(arn, e["EventId"], dumps(e)) for e in execution.events[saved.events :]],
        )
        saved.events = len(execution.events)
        self._db.executemany(
            "INSERT INTO invocations (arn, seq, body) VALUES (?, ?, ?)",
            [
                (arn, saved.invocations + i, dumps(entry))
                for i, entry in enumerate(execution.invocations[saved.invocations :])
            ],
        )
        saved.invocations = len(execution.invocations)
        mine = [(cid, a, op) for cid, (a, op) in self._new_callbacks.items() if a == arn]
        self._db.executemany(
            "INSERT OR REPLACE INTO callbacks (callback_id, arn, op_id) VALUES (?, ?, ?)", mine
        )
        for callback_id, _, _ in mine:
            del self._new_callbacks[callback_id]

    def _load(self, arn: str) -> tuple[Execution, _Saved]:
        with self._transaction("DEFERRED"):  # one snapshot, even while another writes
            row = self._db.execute(
                f"SELECT {_EXECUTION_COLUMNS}, revision FROM executions WHERE arn = ?", (arn,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no execution with ARN {arn!r}")
            ops = self._db.execute(
                "SELECT id, body FROM operations WHERE arn = ? ORDER BY seq", (arn,)
            ).fetchall()
            events = self._db.execute(
                "SELECT body FROM events WHERE arn = ? ORDER BY event_id", (arn,)
            ).fetchall()
            invocations = self._db.execute(
                "SELECT body FROM invocations WHERE arn = ? ORDER BY seq", (arn,)
            ).fetchall()
        (name, function_name, handler, input_payload, status, result, error) = row[:7]
        token, waiting, callbacks, wake, version, revision = row[7:]
        execution = Execution(
            arn,
            name,
            function_name,
            input_payload,
            operations=_TrackedOperations({i: operation_from_text(body) for i, body in ops}),
            events=[loads(body) for (body,) in events],
            invocations=[loads(body) for (body,) in invocations],
            status=status,
            result=result,
            error=error_from_text(error),
            token=token,
            waiting=set(loads(waiting)),
            callbacks={op_id: tuple(entry) for op_id, entry in loads(callbacks).items()},
            wake=bool(wake),
            version=version,
            handler=handler,
        )
        saved = _Saved(revision, len(execution.events), len(invocations))
        return execution, saved

    def _forget(self, arn: str) -> None:
        self._cache.pop(arn, None)
        self._saved.pop(arn, None)
        for callback_id in [c for c, (a, _) in self._new_callbacks.items() if a == arn]:
            del self._new_callbacks[callback_id]


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK when the block raises (IMMEDIATE takes the write
    lock at once, so two writers queue instead of failing halfway)."""

    def __init__(self, db: sqlite3.Connection, mode: str) -> None:
        self._db = db
        self._mode = mode

    def __enter__(self) -> None:
        self._db.execute(f"BEGIN {self._mode}")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
