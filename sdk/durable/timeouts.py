"""Running a step attempt under its `StepConfig.timeout`, for both drivers.

A hung attempt cannot be killed: the sync driver abandons its daemon thread, the
asyncio driver cancels a coroutine or abandons a thread running a plain function.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from durable.config import Duration
from durable.exceptions import StepTimeoutError
from durable.types import StepContext

T = TypeVar("T")


def call_step(
    func: Callable[[StepContext], T], step_ctx: StepContext, timeout: Duration | None, what: str
) -> T:
    """Run one attempt of a sync step; `StepTimeoutError` when it outlives `timeout`.

    An async function's coroutine is closed unrun and returned: as in the official
    SDK, it then fails the step as a value that cannot be serialized, without retry.
    """
    if timeout is None:
        value = func(step_ctx)
    else:
        value = _call_with_timeout(func, step_ctx, timeout.seconds, what)
    if inspect.iscoroutine(value):
        value.close()
    return value


def _call_with_timeout(
    func: Callable[[StepContext], T], step_ctx: StepContext, seconds: int, what: str
) -> T:
    outcome: list[Any] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()

    def attempt() -> None:
        try:
            outcome.append(context.run(func, step_ctx))
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)

    # A daemon thread: a hung attempt cannot be killed, only abandoned.
    worker = threading.Thread(target=attempt, name="durable-step", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise StepTimeoutError(
            f"{what} attempt {step_ctx.attempt} ran longer than its {seconds} s timeout"
        )
    if failure:
        raise failure[0]
    return outcome[0]  # type: ignore[no-any-return]


async def with_timeout(
    func: Callable[[StepContext], Awaitable[T] | T], step_ctx: StepContext, seconds: int
) -> T:
    """Run one attempt of an async-driver step; `TimeoutError` after `seconds`."""
    if inspect.iscoroutinefunction(func):
        return await asyncio.wait_for(func(step_ctx), seconds)
    loop = asyncio.get_running_loop()
    done: asyncio.Future[Any] = loop.create_future()

    def settle(value: Any, error: BaseException | None) -> None:
        if done.done():
            return
        if error is None:
            done.set_result(value)
        else:
            done.set_exception(error)

    def attempt() -> None:
        try:
            value, error = func(step_ctx), None
        except BaseException as raised:  # handed to the event loop
            value, error = None, raised
        # An abandoned attempt may outlive its invocation's event loop.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, value, error)

    # A daemon thread, not the loop's executor: a hung attempt is abandoned, and
    # asyncio.run must not wait for it when the invocation ends.
    threading.Thread(target=attempt, name="durable-step", daemon=True).start()
    value = await asyncio.wait_for(done, seconds)
    if inspect.isawaitable(value):
        value = await asyncio.wait_for(value, seconds)
    return value  # type: ignore[no-any-return]
