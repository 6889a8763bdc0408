"""Parity cases: steps - named, unnamed, @durable_step, every value the extended SerDes
encodes, SerDes configs, step semantics, names, many operations, replay flags, attempts, inputs."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

from parity_handlers import Api, case


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
