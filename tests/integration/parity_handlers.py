"""Durable handlers written once against the API that `durable` and the official
`aws_durable_execution_sdk_python` share, built for either SDK by import prefix.

Each case is a factory `build(api) -> handler`: `api` holds one SDK's public modules,
so the handler body is the same text for both SDKs, exactly as a user porting a
handler would write it after changing the import lines.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import IntEnum, StrEnum
from importlib import import_module
from types import ModuleType
from typing import Any, Protocol

OURS = "durable"
THEIRS = "aws_durable_execution_sdk_python"


class Api:
    """One SDK's public modules, imported by package prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.root: ModuleType = import_module(prefix)
        self.config: ModuleType = import_module(f"{prefix}.config")
        self.retries: ModuleType = import_module(f"{prefix}.retries")
        self.waits: ModuleType = import_module(f"{prefix}.waits")
        self.exceptions: ModuleType = import_module(f"{prefix}.exceptions")
        self.serdes: ModuleType = import_module(f"{prefix}.serdes")

    def local(self, error_type: str | None) -> str | None:
        """An ErrorType without this SDK's package prefix (the one legitimate difference)."""
        if error_type and error_type.startswith(f"{self.prefix}."):
            return "<sdk>." + error_type.removeprefix(f"{self.prefix}.")
        return error_type

    def seconds(self, n: int) -> Any:
        return self.config.Duration.from_seconds(n)

    def retry_config(self, attempts: int, delay: int = 1, rate: float = 2.0) -> Any:
        """A StepConfig retrying `attempts` times without jitter (deterministic delays)."""
        strategy = self.retries.create_retry_strategy(
            self.retries.RetryStrategyConfig(
                max_attempts=attempts,
                initial_delay=self.seconds(delay),
                backoff_rate=rate,
                jitter_strategy=self.config.JitterStrategy.NONE,
            )
        )
        return self.config.StepConfig(retry_strategy=strategy)


class Driver(Protocol):
    """What a test does from outside while an execution runs (both runners offer it)."""

    def wait_for_callback(self, name: str) -> str: ...

    def send_callback_success(self, callback_id: str, result: str) -> None: ...

    def send_callback_failure(self, callback_id: str, message: str, error_type: str) -> None: ...

    def send_callback_heartbeat(self, callback_id: str) -> None: ...


@dataclass(frozen=True)
class Case:
    """A handler factory, the input to run it with, and how to compare its updates.

    `ordered`: the SDKs must write the updates in the same global order (false where
    operations run concurrently, then only each operation's own sequence must match).
    `functions`: invokable functions to register, name -> (handler, is_durable).
    `drive`: what happens from outside while the execution runs (answering callbacks).
    `alternates`: the handler keeps no state of its own between invocations, so it can
    run with the SDK switching between invocations (see parity_interop.py).
    """

    build: Callable[[Api], Callable[..., Any]]
    payload: Any
    ordered: bool = True
    functions: Callable[[Api], dict[str, tuple[Callable[..., Any], bool]]] | None = None
    drive: Callable[[Driver], None] | None = None
    alternates: bool = True


CASES: dict[str, Case] = {}

# The runners disagree on what "no input" is (ours sends no payload, the official one
# the text "null"), which is runner behaviour, not SDK behaviour: cases always pass one.
NO_INPUT: dict[str, Any] = {}


def case(
    payload: Any = NO_INPUT, *, ordered: bool = True, **options: Any
) -> Callable[[Callable[[Api], Callable[..., Any]]], Callable[[Api], Callable[..., Any]]]:
    def register(build: Callable[[Api], Callable[..., Any]]) -> Callable[[Api], Callable[..., Any]]:
        CASES[build.__name__] = Case(build, payload, ordered, **options)
        return build

    return register


class InventoryShortError(Exception):
    """A user-defined error, to see its qualified name recorded as ErrorType."""


# -- steps ---------------------------------------------------------------------


@case({"order": "o-1"})
def sequential_steps(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: dict[str, Any], context: Any) -> Any:
        first = context.step(lambda _: event["order"], name="load")
        second = context.step(lambda _: first.upper(), name="upper")
        third = context.step(lambda _: None, name="nothing")
        return {"first": first, "second": second, "third": third}

    return handler


@case()
def unnamed_steps(api: Api) -> Callable[..., Any]:
    def plain_function(_: Any) -> int:
        return 7

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        a = context.step(lambda _: 1)
        b = context.step(plain_function)
        c = context.step(lambda _: a + b, name="")
        return [a, b, c]

    return handler


@case()
def durable_step_functions(api: Api) -> Callable[..., Any]:
    @api.root.durable_step
    def add(step_ctx: Any, a: int, b: int) -> int:
        return a + b

    @api.root.durable_step
    def greet(step_ctx: Any, who: str = "world") -> str:
        return f"hello {who}"

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        total = context.step(add(1, 2))
        renamed = context.step(add(total, 10), name="add-again")
        hello = context.step(greet())
        return [total, renamed, hello]

    return handler


TAGGED_VALUES: dict[str, Any] = {
    "int": 42,
    "big_int": 2**70,
    "negative_float": -1.5,
    "str": "naïve ☃ text",
    "bool": True,
    "none": None,
    "aware_datetime": datetime(2025, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
    "offset_datetime": datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=-5))),
    "naive_datetime": datetime(2025, 3, 4, 5, 6, 7),
    "date": date(2024, 2, 29),
    "decimal": Decimal("1234.5600"),
    "decimal_exponent": Decimal("1E+3"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "bytes": b"\x00\x01binary\xff",
    "empty_bytes": b"",
    "tuple": (1, "two", 3.0),
    "empty_tuple": (),
    "nested": {
        "list": [1, [2, [3, {"deep": (4, 5)}]]],
        "when": date(2020, 1, 1),
        "amounts": [Decimal("0.1"), Decimal("-2")],
        "empty": {},
        "ids": (uuid.UUID(int=1),),
    },
    "empty_list": [],
    "empty_dict": {},
}


@case()
def tagged_step_results(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        kinds = []
        for label, value in TAGGED_VALUES.items():
            back = context.step(lambda _, v=value: v, name=label)
            kinds.append(f"{label}:{type(back).__name__}:{back == value}")
        return kinds

    return handler


@case()
def step_retries_then_fails(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def always_short(_: Any) -> None:
            raise InventoryShortError("only 2 left")

        try:
            context.step(always_short, name="reserve", config=api.retry_config(3))
        except api.exceptions.StepError as error:
            return {"error_type": error.error_type, "message": str(error)}
        return "unreachable"

    return handler


@case(alternates=False)
def step_retries_then_succeeds(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def flaky(step_ctx: Any) -> str:
            calls.append(1)
            if len(calls) < 3:
                raise ValueError(f"attempt {len(calls)} failed")
            return "done"

        return context.step(flaky, name="flaky", config=api.retry_config(5, delay=2, rate=3))

    return handler


@case()
def step_failure_without_retry(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(_: Any) -> None:
            raise KeyError("missing")

        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        try:
            context.step(broken, name="broken", config=no_retry)
        except api.exceptions.StepError as error:
            return error.error_type
        return "unreachable"

    return handler


@case()
def at_most_once_step(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.StepConfig(
            step_semantics=api.config.StepSemantics.AT_MOST_ONCE_PER_RETRY
        )
        once = context.step(lambda _: "once", name="charge", config=config)
        least = context.step(
            lambda _: "least",
            name="notify",
            config=api.config.StepConfig(
                step_semantics=api.config.StepSemantics.AT_LEAST_ONCE_PER_RETRY
            ),
        )
        return [once, least]

    return handler


@case(alternates=False)
def at_most_once_step_retries(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def flaky(_: Any) -> int:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("first try fails")
            return len(calls)

        base = api.retry_config(3)
        config = api.config.StepConfig(
            retry_strategy=base.retry_strategy,
            step_semantics=api.config.StepSemantics.AT_MOST_ONCE_PER_RETRY,
        )
        return context.step(flaky, name="charge", config=config)

    return handler


# -- waits -----------------------------------------------------------------------


@case()
def waits(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.wait(api.seconds(5), name="short")
        context.wait(api.config.Duration.from_minutes(2))
        value = context.step(lambda _: "between", name="between")
        context.wait(api.config.Duration.from_hours(1), name="long")
        return value

    return handler


# -- child contexts ----------------------------------------------------------------


@case()
def child_contexts(api: Api) -> Callable[..., Any]:
    def inner(ctx: Any) -> Any:
        return ctx.step(lambda _: Decimal("9.99"), name="price")

    def outer(ctx: Any) -> Any:
        a = ctx.step(lambda _: "a", name="a")
        ctx.wait(api.seconds(1), name="pause")
        b = ctx.run_in_child_context(inner, name="inner")
        c = ctx.run_in_child_context(lambda grand: grand.step(lambda _: (1, 2)))
        return {"a": a, "b": b, "c": c}

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        result = context.run_in_child_context(outer, name="outer")
        unnamed = context.run_in_child_context(lambda ctx: ctx.step(lambda _: 5))
        return [str(result), unnamed]

    return handler


@case()
def durable_with_child_context_function(api: Api) -> Callable[..., Any]:
    @api.root.durable_with_child_context
    def reserve(ctx: Any, item: str, count: int) -> dict[str, Any]:
        got = ctx.step(lambda _: count * 2, name="double")
        return {"item": item, "got": got}

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        first = context.run_in_child_context(reserve("apple", 2))
        second = context.run_in_child_context(reserve("pear", 3), name="pears")
        return [first, second]

    return handler


@case()
def child_context_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def failing(ctx: Any) -> None:
            ctx.step(lambda _: 1, name="fine")
            raise InventoryShortError("child gave up")

        try:
            context.run_in_child_context(failing, name="failing")
        except api.exceptions.ChildContextError as error:
            return {"error_type": error.error_type, "message": str(error)}
        return "unreachable"

    return handler


LARGE_TEXT_SIZE = 300 * 1024


@case()
def child_context_large_result(api: Api) -> Callable[..., Any]:
    def big(ctx: Any) -> str:
        part = ctx.step(lambda _: "x" * 1024, name="part")
        return part * (LARGE_TEXT_SIZE // 1024)

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        text = context.run_in_child_context(big, name="big")
        context.wait(api.seconds(1), name="force-replay")
        again = context.step(lambda _: len(text), name="length")
        return again

    return handler


@case()
def child_context_large_result_with_summary(api: Api) -> Callable[..., Any]:
    def big(ctx: Any) -> list[str]:
        return ["y" * 1024] * (LARGE_TEXT_SIZE // 1024)

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ChildConfig(summary_generator=lambda items: f"{len(items)} items")
        items = context.run_in_child_context(big, name="big", config=config)
        context.wait(api.seconds(1), name="force-replay")
        return len(items)

    return handler


# -- handler outcome ---------------------------------------------------------------------


@case({"fail": True})
def handler_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: "ok", name="before")
        raise InventoryShortError(f"cannot ship: {event}")

    return handler


@case()
def handler_step_error_uncaught(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(_: Any) -> None:
            raise ValueError("bad value")

        context.step(broken, name="broken", config=api.retry_config(2))

    return handler


@case(["a", 1, None])
def handler_returns_input(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        return event

    return handler


@case()
def handler_returns_none(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: None, name="only")

    return handler


@case()
def handler_result_over_the_response_limit(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: 1, name="first")
        # Over Lambda's response limit once JSON-quoted, within the 6 MiB the API stores.
        return "z" * (6 * 1024 * 1024 - 30)

    return handler


@case()
def handler_result_not_json(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        return {"when": date(2024, 1, 1)}

    return handler


# -- SerDes edge cases -------------------------------------------------------------


@case()
def step_result_not_serialisable(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        try:
            context.step(lambda _: object(), name="opaque")
        except Exception as error:
            return type(error).__name__
        return "unreachable"

    return handler


@case()
def step_with_json_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.StepConfig(serdes=api.serdes.JsonSerDes())
        value = context.step(lambda _: {"n": [1, 2.5, "x", None, True]}, name="json", config=config)
        passthrough = api.config.StepConfig(serdes=api.serdes.PassThroughSerDes())
        text = context.step(lambda _: "raw text", name="raw", config=passthrough)
        return [value, text]

    return handler


@case()
def error_shapes(api: Api) -> Callable[..., Any]:
    class Nested:
        class Problem(Exception):
            pass

    def raising(error: Exception) -> Callable[[Any], None]:
        def run(_: Any) -> None:
            raise error

        return run

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        errors = [
            ValueError(),
            ValueError(1, 2),
            Nested.Problem("nested class"),
            OSError(2, "No such file"),
            InventoryShortError("x" * 5000),
        ]
        seen = []
        for index, error in enumerate(errors):
            try:
                context.step(raising(error), name=f"raise-{index}", config=no_retry)
            except api.exceptions.StepError as failure:
                seen.append([failure.error_type, str(failure)])
        return seen

    return handler


# -- retry strategies ----------------------------------------------------------------


@case()
def retry_filters(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        by_type = api.config.StepConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=4,
                    initial_delay=api.seconds(3),
                    jitter_strategy=api.config.JitterStrategy.NONE,
                    retryable_error_types=[ValueError],
                )
            )
        )
        by_message = api.config.StepConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=2,
                    jitter_strategy=api.config.JitterStrategy.NONE,
                    retryable_errors=["temporar"],
                )
            )
        )
        outcomes = []
        for name, error, config in (
            ("type-miss", TypeError("no"), by_type),
            ("message-hit", RuntimeError("temporarily down"), by_message),
        ):

            def run(_: Any, error: Exception = error) -> None:
                raise error

            try:
                context.step(run, name=name, config=config)
            except api.exceptions.StepError as failure:
                outcomes.append(failure.error_type)
        return outcomes

    return handler


@case()
def retry_backoff_capped(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.StepConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=5,
                    initial_delay=api.seconds(7),
                    max_delay=api.seconds(20),
                    backoff_rate=2.5,
                    jitter_strategy=api.config.JitterStrategy.NONE,
                )
            )
        )

        def failing(_: Any) -> None:
            raise ConnectionError("down")

        try:
            context.step(failing, name="capped", config=config)
        except api.exceptions.StepError as failure:
            return failure.error_type
        return "unreachable"

    return handler


@case(alternates=False)
def with_retry_block(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def block(ctx: Any, attempt: int) -> Any:
            value = ctx.step(lambda _: attempt, name="inside")
            calls.append(attempt)
            if len(calls) < 3:
                raise ValueError(f"block attempt {attempt}")
            return value

        config = api.root.WithRetryConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=5,
                    initial_delay=api.seconds(2),
                    jitter_strategy=api.config.JitterStrategy.NONE,
                )
            )
        )
        return api.root.with_retry(context, block, config, name="block")

    return handler


# -- child configuration -------------------------------------------------------------


@case()
def child_context_custom_sub_type(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ChildConfig(sub_type="Checkout_v2")
        value = context.run_in_child_context(
            lambda ctx: ctx.step(lambda _: {"at": date(2024, 5, 6)}, name="inner"),
            name="custom",
            config=config,
        )
        return str(value)

    return handler


@case()
def child_context_tagged_result(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        value = context.run_in_child_context(
            lambda ctx: {"amount": Decimal("3.10"), "tags": ("a", "b"), "raw": b"\x01"},
            name="tagged",
        )
        return str(value)

    return handler


@case()
def wait_too_short(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.step(lambda _: 1, name="before")
        context.wait(api.config.Duration(seconds=0), name="zero")

    return handler


class Colour(IntEnum):
    RED = 1


class Mood(StrEnum):
    CALM = "calm"


EDGE_VALUES: dict[str, Any] = {
    "int_keys": {1: "one", 2: [3]},
    "bytearray": bytearray(b"ab"),
    "int_enum": Colour.RED,
    "str_enum": Mood.CALM,
    "infinity": float("inf"),
    "plain_nested_list": [[1, 2], ["a", None]],
    "list_with_tagged": [1, date(2024, 1, 2)],
    "ordered_dict": OrderedDict([("b", 1), ("a", Decimal("2"))]),
}


@case()
def edge_step_results(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        kinds = []
        for label, value in EDGE_VALUES.items():
            back = context.step(lambda _, v=value: v, name=label)
            kinds.append(f"{label}:{type(back).__name__}:{back!r}")
        return kinds

    return handler


@case()
def unsupported_step_results(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        outcomes = []
        for label, value in (("set", {1}), ("tuple_key", {(1, 2): 3}), ("nested", [1, {2}])):
            try:
                context.step(lambda _, v=value: v, name=label)
            except Exception as error:
                outcomes.append(type(error).__name__)
        return outcomes

    return handler


# -- wait_for_condition ------------------------------------------------------------------


@case()
def wait_for_condition_polls(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        strategy = api.waits.create_wait_strategy(
            api.waits.WaitStrategyConfig(
                should_continue_polling=lambda state: state["count"] < 3,
                initial_delay=api.seconds(2),
                backoff_rate=2,
                jitter_strategy=api.config.JitterStrategy.NONE,
            )
        )
        config = api.waits.WaitForConditionConfig(
            wait_strategy=strategy, initial_state={"count": 0, "since": date(2024, 1, 1)}
        )

        def check(state: dict[str, Any], check_ctx: Any) -> dict[str, Any]:
            return {"count": state["count"] + 1, "since": state["since"]}

        final = context.wait_for_condition(check, config=config, name="poll")
        unnamed = context.wait_for_condition(
            lambda state, _: state + 1,
            config=api.waits.WaitForConditionConfig(
                wait_strategy=lambda state, attempt: api.waits.WaitForConditionDecision(
                    should_continue=state < 2, delay=api.seconds(1)
                ),
                initial_state=0,
            ),
        )
        return [str(final), unnamed]

    return handler


@case()
def wait_for_condition_fails(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        strategy = api.waits.create_wait_strategy(
            api.waits.WaitStrategyConfig(
                should_continue_polling=lambda state: True,
                max_attempts=2,
                initial_delay=api.seconds(1),
                jitter_strategy=api.config.JitterStrategy.NONE,
            )
        )
        config = api.waits.WaitForConditionConfig(wait_strategy=strategy, initial_state=0)
        try:
            context.wait_for_condition(lambda state, _: state + 1, config=config, name="never")
        except api.exceptions.WaitForConditionError as error:
            return {"error_type": api.local(error.error_type), "message": str(error)}
        return "unreachable"

    return handler


@case()
def wait_for_condition_check_raises(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def check(state: int, _: Any) -> int:
            raise InventoryShortError(f"check failed at {state}")

        config = api.waits.WaitForConditionConfig(
            wait_strategy=lambda state, attempt: api.waits.WaitForConditionDecision(
                should_continue=True, delay=api.seconds(1)
            ),
            initial_state=5,
        )
        try:
            context.wait_for_condition(check, config=config, name="raises")
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None)), str(error)]
        return "unreachable"

    return handler


# -- invoke ---------------------------------------------------------------------------


def _invokable(api: Api) -> dict[str, tuple[Callable[..., Any], bool]]:
    def add_one(event: Any, context: Any) -> Any:
        return {"n": event["n"] + 1}

    def refuse(event: Any, context: Any) -> Any:
        raise InventoryShortError("refused")

    @api.root.durable_execution
    def durable_double(event: Any, context: Any) -> Any:
        doubled = context.step(lambda _: event["n"] * 2, name="double")
        return {"n": doubled}

    return {
        "add-one": (add_one, False),
        "refuse": (refuse, False),
        "double": (durable_double, True),
    }


@case(functions=_invokable)
def invoke_functions(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        plain = context.invoke("add-one", {"n": 1}, name="plain")
        durable = context.invoke("double", {"n": 4})
        try:
            context.invoke("refuse", {"n": 0}, name="refused")
        except api.exceptions.InvokeError as error:
            failure = [api.local(error.error_type), str(error)]
        return [plain, durable, failure]

    return handler


@case(functions=_invokable)
def invoke_payload_not_json(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.invoke("add-one", {"n": {1, 2}}, name="bad")

    return handler


# -- map and parallel ---------------------------------------------------------------------


@case(ordered=False)
def map_items(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def square(ctx: Any, item: int, index: int, items: list[int]) -> int:
            return ctx.step(lambda _: item * item, name=f"square-{index}")

        result = context.map([1, 2, 3], square, name="squares")
        return result.get_results()

    return handler


@case()
def map_sequential_with_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def check(ctx: Any, item: int, index: int, items: list[int]) -> Any:
            if item == 2:
                raise InventoryShortError(f"item {item}")
            return {"item": item, "at": date(2024, 1, item)}

        config = api.config.MapConfig(max_concurrency=1)
        result = context.map([1, 2, 3], check, name="checks", config=config)
        return [
            str(result.get_results()),
            result.completion_reason.value,
            [item.status.value for item in result.all],
            len(result.get_errors()),
        ]

    return handler


@case(ordered=False)
def map_unnamed_with_tolerance(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def maybe(ctx: Any, item: int, index: int, items: list[int]) -> int:
            if item % 2:
                raise ValueError(f"odd {item}")
            return item

        config = api.config.MapConfig(
            completion_config=api.config.CompletionConfig(tolerated_failure_count=5)
        )
        result = context.map([0, 1, 2, 3], maybe, config=config)
        return [result.get_results(), result.completion_reason.value]

    return handler


@case(ordered=False)
def parallel_branches(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def first(ctx: Any) -> str:
            return ctx.step(lambda _: "one", name="first-step")

        def second(ctx: Any) -> Any:
            ctx.wait(api.seconds(2), name="second-wait")
            return Decimal("2.0")

        result = context.parallel([first, second], name="both")
        return [str(v) for v in result.get_results()]

    return handler


@case()
def parallel_sequential(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ParallelConfig(max_concurrency=1)
        result = context.parallel(
            [lambda ctx: ctx.step(lambda _: 1), lambda ctx: ctx.step(lambda _: 2)], config=config
        )
        return result.get_results()

    return handler


# -- callbacks ------------------------------------------------------------------------------


def _answer(callback_name: str) -> Callable[[Driver], None]:
    def answer(driver: Driver) -> None:
        callback_id = driver.wait_for_callback(callback_name)
        driver.send_callback_heartbeat(callback_id)
        driver.send_callback_success(callback_id, '{"approved": true}')

    return answer


@case(drive=_answer("approval"))
def callback_answered(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(
            timeout=api.config.Duration.from_hours(1),
            heartbeat_timeout=api.config.Duration.from_minutes(10),
        )
        callback = context.create_callback(name="approval", config=config)
        context.step(lambda _: callback.callback_id is not None, name="send")
        return callback.result()

    return handler


def _reject_approval(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("approval")
    driver.send_callback_failure(callback_id, "rejected by reviewer", "Rejected")


@case(drive=_reject_approval)
def callback_failed(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        callback = context.create_callback(name="approval")
        try:
            callback.result()
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case()
def callback_times_out(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        # The official runner does not skip callback timeouts: keep it short.
        config = api.config.CallbackConfig(timeout=api.seconds(1))
        callback = context.create_callback(name="late", config=config)
        try:
            callback.result()
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case(drive=_answer("approval create callback id"))
def wait_for_callback_answered(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def submit(callback_id: str, wait_ctx: Any) -> None:
            return None

        return context.wait_for_callback(submit, name="approval")

    return handler


@case()
def wait_for_callback_submitter_fails(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def submit(callback_id: str, wait_ctx: Any) -> None:
            raise InventoryShortError("cannot submit")

        config = api.config.WaitForCallbackConfig(retry_strategy=api.retries.RetryPresets.none())
        try:
            context.wait_for_callback(submit, name="approval", config=config)
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


# -- more map / parallel configurations ----------------------------------------------------


@case(ordered=False)
def map_named_items_flat(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def work(ctx: Any, item: str, index: int, items: list[str]) -> str:
            return ctx.step(lambda _: item.upper(), name="upper")

        config = api.config.MapConfig(
            nesting_type=api.config.NestingType.FLAT,
            item_namer=lambda item, index: f"item-{item}",
        )
        flat = context.map(["a", "b"], work, name="flat", config=config)
        named = context.map(
            ["c", "d"],
            work,
            name="named",
            config=api.config.MapConfig(item_namer=lambda item, index: f"n-{index}"),
        )
        return [flat.get_results(), named.get_results()]

    return handler


@case(ordered=False)
def map_completion_configs(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def work(ctx: Any, item: int, index: int, items: list[int]) -> int:
            if item < 0:
                raise ValueError(f"negative {item}")
            return item

        outcomes = []
        for label, completion in (
            ("all-completed", api.config.CompletionConfig.all_completed()),
            ("all-successful", api.config.CompletionConfig.all_successful()),
            ("percent", api.config.CompletionConfig(tolerated_failure_percentage=50)),
        ):
            config = api.config.MapConfig(completion_config=completion, max_concurrency=1)
            result = context.map([1, -2, 3], work, name=label, config=config)
            outcomes.append(
                [
                    label,
                    result.completion_reason.value,
                    [item.status.value for item in result.all],
                    result.get_results(),
                ]
            )
        return outcomes

    return handler


@case()
def map_first_successful(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.MapConfig(
            max_concurrency=1, completion_config=api.config.CompletionConfig.first_successful()
        )
        result = context.map(
            [1, 2, 3], lambda ctx, item, index, items: item * 10, name="first", config=config
        )
        return [result.completion_reason.value, [i.status.value for i in result.all]]

    return handler


@case(ordered=False)
def map_large_results(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def big(ctx: Any, item: int, index: int, items: list[int]) -> str:
            return ctx.step(lambda _: str(item) * (100 * 1024), name="chunk")

        result = context.map([1, 2, 3], big, name="big")
        context.wait(api.seconds(1), name="force-replay")
        return [len(text) for text in result.get_results()]

    return handler


@case()
def map_batch_result_in_step(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.MapConfig(max_concurrency=1)
        result = context.map([1, 2], lambda ctx, item, index, items: item, config=config)
        copied = context.step(lambda _: result, name="keep")
        return [type(copied).__name__, copied.get_results()]

    return handler


@case(ordered=False)
def parallel_named_branches_and_failure(api: Api) -> Callable[..., Any]:
    @api.root.durable_parallel_branch(name="decorated")
    def decorated(ctx: Any, suffix: str) -> str:
        return ctx.step(lambda _: f"dec-{suffix}", name="dec-step")

    @api.root.durable_parallel_branch()
    def default_named(ctx: Any) -> str:
        return "default"

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(ctx: Any) -> None:
            raise InventoryShortError("branch broke")

        branches = [
            api.config.ParallelBranch(func=lambda ctx: "explicit", name="explicit"),
            decorated("x"),
            default_named(),
            broken,
        ]
        config = api.config.ParallelConfig(
            completion_config=api.config.CompletionConfig.all_completed()
        )
        result = context.parallel(branches, name="mixed", config=config)
        errors = [api.local(e.error_type) for e in result.get_errors()]
        return [result.get_results(), errors, result.completion_reason.value]

    return handler


@case()
def parallel_throw_if_error(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def broken(ctx: Any) -> None:
            raise KeyError("gone")

        config = api.config.ParallelConfig(max_concurrency=1)
        result = context.parallel([lambda ctx: 1, broken], config=config)
        result.throw_if_error()

    return handler


# -- names, durations, many operations -------------------------------------------------------


@case()
def repeated_and_unusual_names(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        a = context.step(lambda _: 1, name="same")
        b = context.step(lambda _: 2, name="same")
        c = context.step(lambda _: 3, name="with spaces / and: punctuation")
        d = context.step(lambda _: 4, name="x" * 200)
        return [a, b, c, d]

    return handler


@case()
def durations(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        context.wait(api.config.Duration(seconds=90), name="ninety")
        context.wait(api.config.Duration.from_days(2), name="days")
        context.wait(api.config.Duration.from_minutes(1))
        return "waited"

    return handler


@case()
def many_operations(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        total = 0
        for index in range(120):
            total += context.step(lambda _, i=index: i, name=f"s{index}")
            if index % 40 == 39:
                context.wait(api.seconds(1), name=f"w{index}")
        return total

    return handler


@case(alternates=False)
def retry_inside_child(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def flaky(_: Any) -> int:
            calls.append(1)
            if len(calls) < 2:
                raise TimeoutError("slow")
            return len(calls)

        return context.run_in_child_context(
            lambda ctx: ctx.step(flaky, name="flaky", config=api.retry_config(3)), name="box"
        )

    return handler


@case()
def with_retry_exhausted_unwrapped(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def block(ctx: Any, attempt: int) -> Any:
            ctx.step(lambda _: attempt, name=f"try-{attempt}")
            raise ValueError(f"attempt {attempt}")

        config = api.root.WithRetryConfig(
            retry_strategy=api.retries.create_retry_strategy(
                api.retries.RetryStrategyConfig(
                    max_attempts=2,
                    initial_delay=api.seconds(3),
                    jitter_strategy=api.config.JitterStrategy.NONE,
                )
            ),
            wrap_with_run_in_child_context=False,
        )
        try:
            api.root.with_retry(context, block, config, name="loop")
        except ValueError as error:
            return str(error)
        return "unreachable"

    return handler


# -- callbacks and invoke, more shapes --------------------------------------------------------


def _answer_two(driver: Driver) -> None:
    for name in ("first", "second"):
        callback_id = driver.wait_for_callback(name)
        driver.send_callback_success(callback_id, f'"{name}-answer"')


@case(drive=_answer_two)
def two_callbacks_in_children(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def ask(name: str) -> Callable[[Any], Any]:
            def body(ctx: Any) -> Any:
                callback = ctx.create_callback(name=name)
                return callback.result()

            return body

        first = context.run_in_child_context(ask("first"), name="ask-first")
        second = context.run_in_child_context(ask("second"), name="ask-second")
        return [first, second]

    return handler


@case(functions=_invokable)
def invoke_with_config(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.InvokeConfig(tenant_id="tenant-1")
        first = context.invoke("add-one", {"n": 10}, name="tenant", config=config)
        durable = context.invoke("double", {"n": 10}, name="tenant-durable", config=config)
        return [first, durable]

    return handler


# -- replay, determinism, nesting, SerDes returning None, error data ------------------------


@case()
def replay_flags(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        seen = [context.is_replaying()]
        context.step(lambda _: 1, name="one")
        seen.append(context.is_replaying())
        context.wait(api.seconds(1), name="pause")
        seen.append(context.is_replaying())
        context.step(lambda _: 2, name="two")
        seen.append(context.is_replaying())
        return seen

    return handler


@case(alternates=False)
def non_deterministic_rename(api: Api) -> Callable[..., Any]:
    runs: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        runs.append(1)
        context.step(lambda _: 1, name="first" if len(runs) == 1 else "renamed")
        context.wait(api.seconds(1), name="pause")
        return "done"

    return handler


@case()
def child_with_uncaught_step_error(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def body(ctx: Any) -> None:
            def fail(_: Any) -> None:
                raise KeyError("k")

            no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
            ctx.step(fail, name="inner", config=no_retry)

        try:
            context.run_in_child_context(body, name="outer")
        except api.exceptions.ChildContextError as error:
            return [api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case(ordered=False)
def nested_batches(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def row(ctx: Any, item: list[int], index: int, items: Any) -> Any:
            inner = ctx.map(item, lambda c, x, i, xs: c.step(lambda _: x * 2, name="dbl"))
            return inner.get_results()

        grid = context.map([[1, 2], [3]], row, name="grid")
        both = context.run_in_child_context(
            lambda ctx: ctx.parallel([lambda c: c.step(lambda _: "p")]).get_results(),
            name="box",
        )
        return [grid.get_results(), both]

    return handler


@case()
def step_serdes_returning_none(api: Api) -> Callable[..., Any]:
    class Silent(api.serdes.SerDes):  # type: ignore[name-defined, misc]
        def serialize(self, value: Any, serdes_context: Any) -> Any:
            return None

        def deserialize(self, data: Any, serdes_context: Any) -> Any:
            return "from-none"

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.StepConfig(serdes=Silent())
        value = context.step(lambda _: "x", name="silent", config=config)
        context.wait(api.seconds(1), name="pause")
        return value

    return handler


@case()
def wait_for_callback_with_timeout(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.WaitForCallbackConfig(timeout=api.seconds(1))
        try:
            context.wait_for_callback(lambda callback_id, ctx: None, name="slow", config=config)
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case()
def step_raising_durable_error_with_data(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def fail(_: Any) -> None:
            raise api.exceptions.DurableOperationError(
                "with data", "Custom.Type", '{"k": 1}', ["frame one", "frame two"]
            )

        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        try:
            context.step(fail, name="data", config=no_retry)
        except api.exceptions.StepError as error:
            return [api.local(error.error_type), error.data, str(error)]
        return "unreachable"

    return handler


# -- child configurations, custom retry decisions, presets, unusual errors ----------------


@case()
def virtual_and_configured_children(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        virtual = context.run_in_child_context(
            lambda ctx: ctx.step(lambda _: "v", name="in-virtual"),
            name="virtual",
            config=api.config.ChildConfig(is_virtual=True),
        )
        json_child = context.run_in_child_context(
            lambda ctx: {"a": [1, 2]},
            name="json-child",
            config=api.config.ChildConfig(serdes=api.serdes.JsonSerDes()),
        )
        nothing = context.run_in_child_context(lambda ctx: None, name="nothing")
        return [virtual, json_child, nothing]

    return handler


@case()
def summary_generator_raises(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def boom(result: Any) -> str:
            raise InventoryShortError("no summary")

        config = api.config.ChildConfig(summary_generator=boom)
        try:
            context.run_in_child_context(lambda ctx: "q" * (300 * 1024), name="big", config=config)
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None)), str(error)]
        return "unreachable"

    return handler


@case()
def custom_retry_decisions(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def strategy(error: Exception, attempts: int) -> Any:
            if attempts == 1:
                return api.retries.RetryDecision.retry(api.config.Duration(seconds=0))
            if attempts == 2:
                return api.retries.RetryDecision.retry(api.config.Duration.from_minutes(3))
            return api.retries.RetryDecision.no_retry()

        def flaky(_: Any) -> None:
            calls.append(1)
            raise json.JSONDecodeError("bad json", "doc", 0)

        try:
            context.step(
                flaky, name="custom", config=api.config.StepConfig(retry_strategy=strategy)
            )
        except api.exceptions.StepError as error:
            return [api.local(error.error_type), str(error)]
        return "unreachable"

    return handler


@case()
def retry_presets_deterministic(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        out = []
        for label, strategy in (
            ("linear", api.retries.RetryPresets.linear()),
            ("fixed", api.retries.RetryPresets.fixed()),
        ):

            def fail(_: Any) -> None:
                raise ValueError("always")

            try:
                context.step(
                    fail, name=label, config=api.config.StepConfig(retry_strategy=strategy)
                )
            except api.exceptions.StepError as error:
                out.append(api.local(error.error_type))
        return out

    return handler


@case()
def error_messages_unusual(api: Api) -> Callable[..., Any]:
    class Loud(Exception):
        def __str__(self) -> str:
            return "custom str ✓"

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        no_retry = api.config.StepConfig(retry_strategy=api.retries.RetryPresets.none())
        seen = []
        for index, error in enumerate(
            [Loud("ignored"), RuntimeError("multi\nline"), ZeroDivisionError()]
        ):

            def fail(_: Any, error: Exception = error) -> None:
                raise error

            try:
                context.step(fail, name=f"e{index}", config=no_retry)
            except api.exceptions.StepError as failure:
                seen.append([api.local(failure.error_type), str(failure)])
        return seen

    return handler


# -- SerDes configurations of callbacks, maps, invoke and conditions; large FLAT batches --


def _answer_json(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("typed")
    driver.send_callback_success(callback_id, '{"amount": 12.5, "ok": true}')


@case(drive=_answer_json)
def callback_with_json_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(serdes=api.serdes.JsonSerDes())
        callback = context.create_callback(name="typed", config=config)
        value = callback.result()
        return [type(value).__name__, value]

    return handler


@case(drive=_answer("approval create callback id"))
def wait_for_callback_with_serdes_and_retry(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.WaitForCallbackConfig(
            serdes=api.serdes.JsonSerDes(),
            retry_strategy=api.retries.RetryPresets.none(),
            timeout=api.config.Duration.from_hours(2),
        )

        @api.root.durable_wait_for_callback
        def submit(callback_id: str, wait_ctx: Any, ticket: str) -> str:
            return f"submitted {ticket}"

        value = context.wait_for_callback(submit("T-1"), name="approval", config=config)
        return value

    return handler


@case(ordered=False)
def map_with_summary_and_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.MapConfig(
            summary_generator=lambda result: f"{len(result.all)} big items",
        )
        big = context.map(
            [1, 2, 3], lambda ctx, item, i, xs: "m" * (100 * 1024), name="big", config=config
        )
        typed = context.map(
            [1, 2],
            lambda ctx, item, i, xs: {"n": item},
            name="json-items",
            config=api.config.MapConfig(item_serdes=api.serdes.JsonSerDes()),
        )
        context.wait(api.seconds(1), name="force-replay")
        return [len(big.get_results()), typed.get_results()]

    return handler


@case(ordered=False)
def parallel_flat_large(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.ParallelConfig(nesting_type=api.config.NestingType.FLAT)
        result = context.parallel(
            [
                lambda ctx: ctx.step(lambda _: "p" * (150 * 1024), name="half"),
                lambda ctx: ctx.step(lambda _: "q" * (150 * 1024), name="other-half"),
            ],
            name="flat",
            config=config,
        )
        context.wait(api.seconds(1), name="force-replay")
        return [len(v) for v in result.get_results()]

    return handler


@case(functions=_invokable)
def invoke_with_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.InvokeConfig(
            serdes_payload=api.serdes.ExtendedTypeSerDes(),
            serdes_result=api.serdes.JsonSerDes(),
        )
        try:
            return context.invoke("add-one", {"n": 1}, name="typed", config=config)
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None)), str(error)]

    return handler


@case()
def wait_for_condition_custom_serdes(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.waits.WaitForConditionConfig(
            wait_strategy=lambda state, attempt: api.waits.WaitForConditionDecision(
                should_continue=state["n"] < 2, delay=api.seconds(1)
            ),
            initial_state={"n": 0},
            serdes=api.serdes.JsonSerDes(),
        )
        return context.wait_for_condition(lambda s, _: {"n": s["n"] + 1}, config=config)

    return handler


# -- suspension inside large children and batch items ----------------------------------


@case()
def large_child_that_suspends(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def body(ctx: Any) -> str:
            head = ctx.step(lambda _: "h", name="head")
            ctx.wait(api.seconds(2), name="inside")
            tail = ctx.step(lambda _: "t", name="tail")
            return head + tail + "z" * (300 * 1024)

        text = context.run_in_child_context(body, name="big")
        context.wait(api.seconds(1), name="after")
        return len(text)

    return handler


@case(ordered=False)
def map_items_that_wait(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def item(ctx: Any, value: int, index: int, items: Any) -> int:
            first = ctx.step(lambda _: value, name="first")
            ctx.wait(api.seconds(value), name="nap")
            return ctx.step(lambda _: first * 10, name="second")

        config = api.config.MapConfig(max_concurrency=2)
        result = context.map([3, 1, 2, 1, 2], item, name="waiting", config=config)
        return result.get_results()

    return handler


@case(ordered=False)
def map_failure_stops_others(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def item(ctx: Any, value: int, index: int, items: Any) -> int:
            if value == 0:
                raise InventoryShortError("zero")
            ctx.wait(api.seconds(value), name="nap")
            return value

        result = context.map([0, 5, 6], item, name="stops")
        return [result.completion_reason.value, [i.status.value for i in result.all]]

    return handler


@case()
def step_returning_generator(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        try:
            context.step(lambda _: (x for x in [1]), name="gen", config=api.retry_config(2))
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]
        return "unreachable"

    return handler


# -- attempt numbers seen by user code; non-object inputs ----------------------------------


@case(alternates=False)
def attempt_numbers_seen_by_user_code(api: Api) -> Callable[..., Any]:
    calls: list[int] = []

    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        def flaky(step_ctx: Any) -> int:
            calls.append(step_ctx.attempt)
            if len(calls) < 3:
                raise ValueError(f"attempt {step_ctx.attempt}")
            return step_ctx.attempt

        step_attempt = context.step(flaky, name="flaky", config=api.retry_config(5))

        def check(state: list[int], check_ctx: Any) -> list[int]:
            return [*state, check_ctx.attempt]

        config = api.waits.WaitForConditionConfig(
            wait_strategy=lambda state, attempt: api.waits.WaitForConditionDecision(
                should_continue=len(state) < 3, delay=api.seconds(1)
            ),
            initial_state=[],
        )
        polls = context.wait_for_condition(check, config=config, name="poll")
        return [step_attempt, list(calls), polls]

    return handler


@case("plain text input")
def string_input(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        return [event, context.step(lambda _: event.upper(), name="upper")]

    return handler


@case(12.5)
def number_input(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        return context.step(lambda _: event * 2, name="double")

    return handler


def _answer_garbage(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("typed")
    driver.send_callback_success(callback_id, "not json at all")


@case(drive=_answer_garbage)
def callback_answer_not_json(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(serdes=api.serdes.JsonSerDes())
        callback = context.create_callback(name="typed", config=config)
        try:
            return callback.result()
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]

    return handler


# -- an async function in a sync handler: SerDesError, no retry (as the coroutine reaches the
# serializer in the official SDK) ----------------------------------------------------------


@case()
def async_step_in_sync_handler(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        async def fetch(_: Any) -> int:
            return 1

        try:
            context.step(fetch, name="fetch", config=api.retry_config(2))
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]
        return "unreachable"

    return handler


@case()
def async_child_in_sync_handler(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        async def body(ctx: Any) -> int:
            return 1

        try:
            context.run_in_child_context(body, name="child")
        except Exception as error:
            return [type(error).__name__, api.local(getattr(error, "error_type", None))]
        return "unreachable"

    return handler


CHECKPOINT_LIMIT = 256 * 1024


@case()
def child_results_at_the_limit(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        sizes = []
        for extra in (-1, 0, 1):
            text = context.run_in_child_context(
                lambda ctx, n=CHECKPOINT_LIMIT - 2 + extra: "a" * n, name=f"size{extra}"
            )
            sizes.append(len(text))
        return sizes

    return handler


def _heartbeat_then_silence(driver: Driver) -> None:
    callback_id = driver.wait_for_callback("hb")
    driver.send_callback_heartbeat(callback_id)


@case(drive=_heartbeat_then_silence)
def callback_heartbeat_timeout(api: Api) -> Callable[..., Any]:
    @api.root.durable_execution
    def handler(event: Any, context: Any) -> Any:
        config = api.config.CallbackConfig(
            timeout=api.config.Duration.from_minutes(10), heartbeat_timeout=api.seconds(1)
        )
        callback = context.create_callback(name="hb", config=config)
        try:
            return callback.result()
        except api.exceptions.CallbackError as error:
            return [type(error).__name__, api.local(error.error_type), str(error)]

    return handler
