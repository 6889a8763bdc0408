"""Decorators that bind arguments to step, child-context, branch and submitter
functions, and name the operation after the function."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from durable.config import ParallelBranch

if TYPE_CHECKING:
    from durable.types import StepContext, WaitForCallbackContext

P = ParamSpec("P")
T = TypeVar("T")
C = TypeVar("C")


def _named(inner: Callable[..., T], name: str) -> Callable[..., T]:
    inner._original_name = name  # type: ignore[attr-defined]
    return inner


def durable_step(
    func: Callable[Concatenate[StepContext, P], T],
) -> Callable[P, Callable[[StepContext], T]]:
    """Turn `f(step_ctx, *args)` into `f(*args) -> step function` for `context.step`,
    named after `f`:

        @durable_step
        def charge(step_ctx, order_id): ...

        receipt = context.step(charge(order_id))
    """

    @functools.wraps(func)
    def bind(*args: P.args, **kwargs: P.kwargs) -> Callable[[StepContext], T]:
        return _named(lambda step_ctx: func(step_ctx, *args, **kwargs), func.__name__)

    return bind


def durable_with_child_context(
    func: Callable[Concatenate[C, P], T],
) -> Callable[P, Callable[[C], T]]:
    """Turn `f(ctx, *args)` into `f(*args) -> child function` for
    `context.run_in_child_context`, named after `f`."""

    @functools.wraps(func)
    def bind(*args: P.args, **kwargs: P.kwargs) -> Callable[[C], T]:
        return _named(lambda ctx: func(ctx, *args, **kwargs), func.__name__)

    return bind


def durable_parallel_branch(
    name: str | None = None,
) -> Callable[[Callable[Concatenate[Any, P], T]], Callable[P, ParallelBranch[T]]]:
    """Turn `f(ctx, *args)` into `f(*args) -> ParallelBranch` for `context.parallel`,
    optionally with its own branch name."""

    def decorate(func: Callable[Concatenate[Any, P], T]) -> Callable[P, ParallelBranch[T]]:
        @functools.wraps(func)
        def bind(*args: P.args, **kwargs: P.kwargs) -> ParallelBranch[T]:
            return ParallelBranch(func=lambda ctx: func(ctx, *args, **kwargs), name=name)

        return bind

    return decorate


def durable_wait_for_callback(
    func: Callable[Concatenate[str, WaitForCallbackContext, P], T],
) -> Callable[P, Callable[[str, WaitForCallbackContext], T]]:
    """Turn `f(callback_id, ctx, *args)` into `f(*args) -> submitter` for
    `context.wait_for_callback`, named after `f`."""

    @functools.wraps(func)
    def bind(*args: P.args, **kwargs: P.kwargs) -> Callable[[str, WaitForCallbackContext], T]:
        return _named(
            lambda callback_id, ctx: func(callback_id, ctx, *args, **kwargs), func.__name__
        )

    return bind


def operation_name(name: str | None, func: object) -> str | None:
    """The name an operation records: `name`, else the decorated function's name."""
    return name or getattr(func, "_original_name", None)
