"""The default SerDes: plain JSON where possible, tagged envelopes otherwise."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from durable.exceptions import SerDesError
from durable.serdes import (
    EXTENDED_TYPES_SERDES,
    JsonSerDes,
    SerDesContext,
    deserialize,
    deserialize_for_operation,
    serialize,
    serialize_for_operation,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

CTX = SerDesContext("op", "arn")


def round_trip(value: Any) -> Any:
    return EXTENDED_TYPES_SERDES.deserialize(EXTENDED_TYPES_SERDES.serialize(value, CTX), CTX)


@dataclass(frozen=True)
class Point:
    x: int
    when: date


class Order(BaseModel):
    id: str
    total: Decimal


def test_primitives_and_lists_of_them_are_plain_json() -> None:
    assert EXTENDED_TYPES_SERDES.serialize([1, "a", None, [True]], CTX) == '[1,"a",null,[true]]'


def test_dicts_use_the_tagged_envelope() -> None:
    assert EXTENDED_TYPES_SERDES.serialize({"a": 1}, CTX) == '{"t":"m","v":{"a":{"t":"i","v":1}}}'


@pytest.mark.parametrize(
    "value",
    [
        datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        date(2024, 5, 6),
        Decimal("12.50"),
        uuid.UUID(int=7),
        b"\x00bytes",
        (1, "two", (3.0,)),
        {"nested": [{"d": Decimal("1")}, (b"x",)]},
    ],
    ids=repr,
)
def test_extended_types_round_trip(value: Any) -> None:
    result = round_trip(value)
    assert result == value
    assert type(result) is type(value)


def test_dataclasses_round_trip() -> None:
    assert round_trip(Point(3, date(2024, 1, 1))) == Point(3, date(2024, 1, 1))


def test_pydantic_models_round_trip() -> None:
    assert round_trip(Order(id="o", total=Decimal("9.99"))) == Order(id="o", total=Decimal("9.99"))


def test_an_unsupported_type_names_the_operation_then_the_official_wording() -> None:
    expected = r"^cannot serialize the result of step 'x': Unsupported type: <class 'object'>$"
    with pytest.raises(SerDesError, match=expected):
        serialize_for_operation(None, object(), CTX, lambda: "step 'x'")


def test_a_failing_custom_serdes_is_wrapped_naming_the_operation_id() -> None:
    class Broken(JsonSerDes):
        def serialize(self, value: Any, serdes_context: SerDesContext | None = None) -> str:
            raise OSError("disk full")

    with pytest.raises(SerDesError) as caught:
        serialize_for_operation(Broken(), 1, SerDesContext("op-7", "arn"), lambda: "step 'x'")
    assert caught.value.message == (
        "cannot serialize the result of step 'x': "
        "Serialization failed for id: op-7, error: disk full."
    )


def test_a_failing_custom_deserializer_names_the_operation_then_the_official_wording() -> None:
    class Broken(JsonSerDes):
        def deserialize(self, data: str, serdes_context: SerDesContext | None = None) -> Any:
            raise ValueError("bad bytes")

    with pytest.raises(SerDesError) as caught:
        deserialize_for_operation(Broken(), "1", SerDesContext("op-8", "arn"), lambda: "step 'y'")
    assert caught.value.message == (
        "cannot deserialize the result of step 'y': "
        "Deserialization failed for id: op-8, error: bad bytes."
    )


def test_the_public_helpers_take_the_official_arguments() -> None:
    text = serialize(None, {"n": 1}, "op-1", "arn")
    assert deserialize(None, text, "op-1", "arn") == {"n": 1}
    with pytest.raises(SerDesError, match=r"^Unsupported type: <class 'object'>$"):
        serialize(None, object(), "op-1", "arn")


def test_a_custom_serdes_error_keeps_its_data_and_stack_trace() -> None:
    class Picky(JsonSerDes):
        def serialize(self, value: Any, serdes_context: SerDesContext | None = None) -> str:
            raise SerDesError("too big", data="limits", stack_trace=["frame"])

    with pytest.raises(SerDesError) as caught:
        serialize_for_operation(Picky(), 1, CTX, lambda: "step 'z'")
    error = caught.value
    assert (error.message, error.data, error.stack_trace) == (
        "cannot serialize the result of step 'z': too big",
        "limits",
        ["frame"],
    )


def test_a_malformed_envelope_is_rejected() -> None:
    with pytest.raises(SerDesError, match="malformed envelope"):
        EXTENDED_TYPES_SERDES.deserialize('{"a": 1}', CTX)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(JSON)
def test_any_json_like_value_round_trips(value: Any) -> None:
    assert round_trip(value) == value
