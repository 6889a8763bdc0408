"""Property: for any handler program built from steps (of any value the extended SerDes
encodes), caught step failures, retried steps, waits, sequential maps and nested child
contexts, `durable` and the official SDK write the same checkpoints and end the same way,
and the execution ends the same when the SDK switches at every invocation."""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import UTC, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from parity_capture import run_ours, run_theirs
from parity_handlers import Api, Case
from parity_interop import run_alternating

NAMES = st.none() | st.text(string.ascii_letters + string.digits + " -_", min_size=1, max_size=12)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.dates()
    | st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-5))]))
    | st.decimals(allow_nan=False, allow_infinity=False, places=4)
    | st.uuids()
    | st.binary(max_size=12)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def _programs(depth: int) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    leaf = (
        st.tuples(st.just("step"), NAMES, VALUES)
        | st.tuples(st.just("fail"), NAMES, st.text(max_size=20))
        | st.tuples(st.just("wait"), NAMES, st.integers(1, 5))
        | st.tuples(st.just("retry"), NAMES, st.tuples(st.integers(0, 2), st.integers(1, 3)))
        | st.tuples(st.just("map"), NAMES, st.lists(VALUES, max_size=3))
    )
    if depth > 0:
        leaf = leaf | st.tuples(st.just("child"), NAMES, st.deferred(lambda: _programs(depth - 1)))
    return st.lists(leaf, min_size=1, max_size=5)


def _run_program(
    api: Api, ctx: Any, program: list[tuple[Any, ...]], failures: dict[tuple[int, int], int]
) -> list[str]:
    """Runs the program on `ctx`; returns what each operation gave back, as text.
    `failures` counts the attempts of each retried step, across invocations."""
    seen = []
    no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
    for kind, name, arg in program:
        if kind == "step":
            seen.append(repr(ctx.step(lambda _, v=arg: v, name=name)))
        elif kind == "fail":

            def fail(_: Any, message: str = arg) -> None:
                raise ValueError(message)

            try:
                ctx.step(fail, name=name, config=no_retry)
            except api.exceptions.StepError as error:
                seen.append(f"{error.error_type}: {error}")
        elif kind == "wait":
            ctx.wait(api.seconds(arg), name=name)
        elif kind == "retry":
            fails, attempts = arg
            key = (id(program), len(seen))  # this operation's place in the program

            def flaky(step_ctx: Any, key: tuple[int, int] = key, fails: int = fails) -> int:
                failures[key] = failures.get(key, 0) + 1
                if failures[key] <= fails:
                    raise ConnectionError(f"attempt {step_ctx.attempt}")
                return step_ctx.attempt

            try:
                seen.append(repr(ctx.step(flaky, name=name, config=api.retry_config(attempts))))
            except api.exceptions.StepError as error:
                seen.append(f"{error.error_type}: {error}")
        elif kind == "map":
            config = api.config.MapConfig(max_concurrency=1)
            batch = ctx.map(
                arg, lambda c, item, i, items: c.step(lambda _: item), name=name, config=config
            )
            seen.append(repr(batch.get_results()))
        else:
            result = ctx.run_in_child_context(
                lambda child, sub=arg: _run_program(api, child, sub, failures), name=name
            )
            seen.append(repr(result))
    return seen


def _case(program: list[tuple[Any, ...]]) -> Case:
    """The program as a case; both SDK builds of it share one count of failed attempts
    (so it can also run with the SDK switching between invocations)."""
    failures: dict[tuple[int, int], int] = {}

    def build(api: Api) -> Callable[..., Any]:
        @api.root.durable_execution
        def handler(event: Any, context: Any) -> Any:
            return _run_program(api, context, program, failures)

        return handler

    return Case(build, {})


@settings(max_examples=25, deadline=None)
@given(_programs(depth=2))
def test_any_program_writes_the_same_checkpoints_on_both_sdks(
    program: list[tuple[Any, ...]],
) -> None:
    ours, theirs = run_ours(_case(program)), run_theirs(_case(program))
    assert ours.updates == theirs.updates
    assert ours.operations == theirs.operations
    assert (ours.status, ours.result, ours.error) == (theirs.status, theirs.result, theirs.error)


@settings(max_examples=15, deadline=None)
@given(_programs(depth=1))
def test_any_program_survives_switching_sdk_between_invocations(
    program: list[tuple[Any, ...]],
) -> None:
    single = run_ours(_case(program))
    mixed, _ = run_alternating(_case(program), theirs_first=True)
    assert mixed.updates == single.updates
    assert mixed.operations == single.operations
    assert (mixed.status, mixed.result, mixed.error) == (single.status, single.result, single.error)
