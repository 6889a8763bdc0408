"""Running the items of a batch concurrently: threads for the sync driver, tasks for
the asyncio driver. Both feed the same sans-IO `Coordinator`."""

from __future__ import annotations

import asyncio
import contextvars
import queue
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from durable._core.state import ExecutionState
from durable.batch import BatchResult
from durable.exceptions import (
    ExecutionError,
    InvocationError,
    OrphanedChildException,
    SuspendExecution,
)
from durable.operations.batch import Coordinator

MAX_THREADS = 64
Outcome = tuple[int, str, Any]
P = ParamSpec("P")
R = TypeVar("R")
_CORE_LOCKS: weakref.WeakKeyDictionary[ExecutionState, asyncio.Lock] = weakref.WeakKeyDictionary()


async def off_the_loop(
    state: ExecutionState, core_call: Callable[P, R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run `core_call` (an operation's sans-IO step, which may checkpoint) for the
    asyncio driver: in a worker thread when the checkpointer waits on the network, so
    the event loop keeps running other tasks during the round trip. The awaiting task
    goes on only once the call has returned, so its checkpoints keep their order."""
    if not state.batcher.blocking_io:
        return core_call(*args, **kwargs)
    # One call at a time, in the order tasks ask (asyncio.Lock is FIFO): operations
    # started together (asyncio.gather on one context) take their Ids in the same order
    # as when the calls run inline.
    lock = _CORE_LOCKS.setdefault(state, asyncio.Lock())
    async with lock:
        return await asyncio.to_thread(core_call, *args, **kwargs)


def _outcome(index: int, run: Callable[[], Any]) -> Outcome:
    try:
        return index, "ok", run()
    except BaseException as error:  # sorted below: suspension, orphan, failure, fatal
        return _classify(index, error)


def _classify(index: int, error: BaseException) -> Outcome:
    if isinstance(error, SuspendExecution):
        return index, "suspend", error
    if isinstance(error, OrphanedChildException):
        return index, "orphan", None
    if isinstance(error, ExecutionError | InvocationError):
        return index, "fatal", error
    if isinstance(error, Exception):
        return index, "fail", error
    return index, "fatal", error  # a crash inside a branch crashes the invocation


def _apply(coordinator: Coordinator, outcome: Outcome) -> None:
    index, kind, payload = outcome
    if kind == "ok":
        coordinator.succeed(index, payload)
    elif kind == "fail":
        coordinator.fail(index, payload)
    elif kind == "suspend":
        coordinator.suspend(index, payload)
    elif kind == "fatal":
        coordinator.abort(payload)
    else:
        coordinator.running -= 1


def run_with_threads(
    coordinator: Coordinator, run_item: Callable[[int, list[bool]], Any]
) -> BatchResult[Any]:
    """Run the batch's items on threads (at most `max_concurrency` at a time)."""
    stop = [False]
    outcomes: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
    pool = ThreadPoolExecutor(max_workers=min(coordinator.limit, MAX_THREADS))

    def work(index: int) -> None:
        outcomes.put(_outcome(index, lambda: run_item(index, stop)))

    try:
        while not coordinator.done():
            for index in coordinator.admit():
                pool.submit(contextvars.copy_context().run, work, index)
            if coordinator.running == 0:
                if coordinator.done():
                    break
                raise coordinator.suspension()
            _apply(coordinator, outcomes.get())
        # A fatal error ends the invocation, but only once the items still running
        # have finished, so what they completed is recorded (not run again).
        while coordinator.fatal is not None and coordinator.running > 0:
            _apply(coordinator, outcomes.get())
    finally:
        stop[0] = True  # items still running are orphaned: they record nothing more
        pool.shutdown(wait=False)
    if coordinator.fatal is not None:
        raise coordinator.fatal
    return coordinator.result()


async def run_with_tasks(
    coordinator: Coordinator, run_item: Callable[[int, list[bool]], Awaitable[Any]]
) -> BatchResult[Any]:
    """Run the batch's items as asyncio tasks (at most `max_concurrency` at a time)."""
    stop = [False]
    outcomes: asyncio.Queue[Outcome] = asyncio.Queue()
    tasks: set[asyncio.Task[None]] = set()

    async def work(index: int) -> None:
        try:
            value = await run_item(index, stop)
        except asyncio.CancelledError:
            raise
        except BaseException as error:  # sorted like the thread version
            outcome = _classify(index, error)
        else:
            outcome = (index, "ok", value)
        await outcomes.put(outcome)

    try:
        while not coordinator.done():
            for index in coordinator.admit():
                task = asyncio.create_task(work(index))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            if coordinator.running == 0:
                if coordinator.done():
                    break
                raise coordinator.suspension()
            _apply(coordinator, await outcomes.get())
        while coordinator.fatal is not None and coordinator.running > 0:
            _apply(coordinator, await outcomes.get())
    finally:
        stop[0] = True
    if coordinator.fatal is not None:
        raise coordinator.fatal
    return coordinator.result()
