"""Serialization of checkpointed values.

`SerDes` turns a value into the text stored in a checkpoint and back. Two are built in:

- `JsonSerDes`: plain JSON (invoke payloads and the handler result).
- `ExtendedTypeSerDes`, the default for step, child context, map and parallel results:
  JSON for primitives and lists of primitives, and otherwise a tagged envelope
  `{"t": tag, "v": value}` that round-trips datetime, date, Decimal, UUID, bytes,
  tuple and dicts of them, byte-for-byte compatible with the official SDK. Beyond
  it, dataclasses and Pydantic models round-trip too (tags `dc` and `pm`; the class
  must be importable by its module and qualified name).
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import inspect
import json
import sys
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from durable.exceptions import RetryableSerDesError, SerDesError

T = TypeVar("T")

_COMPACT = (",", ":")


@dataclass(frozen=True, slots=True)
class SerDesContext:
    """Where a value is being (de)serialized."""

    operation_id: str = ""
    durable_execution_arn: str = ""


class SerDes(ABC, Generic[T]):
    """Turns values into checkpoint text and back."""

    @abstractmethod
    def serialize(self, value: T, serdes_context: SerDesContext) -> str:
        """The text to checkpoint for `value`."""

    @abstractmethod
    def deserialize(self, data: str, serdes_context: SerDesContext) -> T:
        """The value checkpointed as `data`."""

    @staticmethod
    def is_primitive(obj: Any) -> bool:
        """Whether `obj` is None, a str, int, float or bool, or a list of such values
        (nested lists included): what plain JSON round-trips unchanged."""
        if obj is None or isinstance(obj, str | int | float | bool):
            return True
        return isinstance(obj, list) and all(SerDes.is_primitive(item) for item in obj)


class PassThroughSerDes(SerDes[Any]):
    """Keeps text as it is (the value must already be a string)."""

    def serialize(self, value: Any, serdes_context: SerDesContext) -> str:
        return value  # type: ignore[no-any-return]

    def deserialize(self, data: str, serdes_context: SerDesContext) -> Any:
        return data


class JsonSerDes(SerDes[Any]):
    """Plain JSON."""

    def serialize(self, value: Any, serdes_context: SerDesContext) -> str:
        return json.dumps(value)

    def deserialize(self, data: str, serdes_context: SerDesContext) -> Any:
        return json.loads(data)


def _is_plain(obj: Any) -> bool:
    if obj is None or isinstance(obj, str | int | float | bool):
        return True
    if isinstance(obj, list):
        return all(_is_plain(item) for item in obj)
    return False


_TAGGED_TYPES: dict[str, tuple[type, Callable[[Any], Any], Callable[[Any], Any]]] = {}


def register_tagged_type(
    tag: str, cls: type, to_dict: Callable[[Any], Any], from_dict: Callable[[Any], Any]
) -> None:
    """Teach the extended format a type, encoded as the tagged dict `to_dict(value)`."""
    _TAGGED_TYPES[tag] = (cls, to_dict, from_dict)


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _load_class(path: str) -> Any:
    module_name, _, qualname = path.partition(":")
    if "<locals>" in qualname:
        raise SerDesError(f"cannot rebuild {path}: a class defined inside a function")
    try:
        target: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as error:
        raise SerDesError(f"cannot rebuild {path}: {error}") from None
    return target


def _pydantic_model(obj: Any) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(obj, pydantic.BaseModel)


def _encode(obj: Any) -> dict[str, Any]:
    kind = type(obj)
    if obj is None:
        return {"t": "n", "v": None}
    if kind is str:
        return {"t": "s", "v": obj}
    if kind is bool:
        return {"t": "b", "v": obj}
    if kind is int:
        return {"t": "i", "v": obj}
    if kind is float:
        return {"t": "f", "v": obj}
    if kind is dict:
        out: dict[str, Any] = {}
        for key, value in obj.items():
            if isinstance(key, tuple):
                raise SerDesError("Tuple keys not supported")
            out[key] = _encode(value)
        return {"t": "m", "v": out}
    if kind is list:
        return {"t": "l", "v": [_encode(item) for item in obj]}
    if kind is tuple:
        return {"t": "t", "v": [_encode(item) for item in obj]}
    if isinstance(obj, bytes | bytearray | memoryview):
        return {"t": "B", "v": base64.b64encode(bytes(obj)).decode("ascii")}
    if isinstance(obj, uuid.UUID):
        return {"t": "u", "v": str(obj)}
    if isinstance(obj, Decimal):
        return {"t": "d", "v": str(obj)}
    if isinstance(obj, datetime):
        return {"t": "dt", "v": obj.isoformat()}
    if isinstance(obj, date):
        return {"t": "D", "v": obj.isoformat()}
    for tag, (cls, to_dict, _) in _TAGGED_TYPES.items():
        if isinstance(obj, cls):
            return {"t": tag, "v": _encode(to_dict(obj))["v"]}
    # Subclasses of the primitives (IntEnum, str subclasses) after the exact matches.
    if isinstance(obj, bool):
        return {"t": "b", "v": bool(obj)}
    if isinstance(obj, int):
        return {"t": "i", "v": int(obj)}
    if isinstance(obj, float):
        return {"t": "f", "v": float(obj)}
    if isinstance(obj, str):
        return {"t": "s", "v": str(obj)}
    if isinstance(obj, dict):
        return _encode(dict(obj))
    if isinstance(obj, list):
        return _encode(list(obj))
    if isinstance(obj, tuple):
        return _encode(tuple(obj))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = {f.name: _encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return {"t": "dc", "v": {"c": _class_path(kind), "f": fields}}
    if _pydantic_model(obj):
        return {"t": "pm", "v": {"c": _class_path(kind), "d": obj.model_dump(mode="json")}}
    raise SerDesError(f"Unsupported type: {kind}")


def _unwrap(obj: Any) -> Any:
    if type(obj) is dict and "t" in obj and "v" in obj:
        return _decode(obj["t"], obj["v"])
    return obj


def _decode(tag: Any, value: Any) -> Any:
    if tag == "n":
        return None
    if tag == "s":
        return str(value)
    if tag == "i":
        return int(value)
    if tag == "f":
        return float(value)
    if tag == "b":
        return bool(value)
    if tag == "m":
        if not isinstance(value, dict):
            raise SerDesError(f"tag 'm' expects an object, got {type(value).__name__}")
        return {key: _unwrap(item) for key, item in value.items()}
    if tag in ("l", "t"):
        if not isinstance(value, list):
            raise SerDesError(f"tag {tag!r} expects an array, got {type(value).__name__}")
        items = [_unwrap(item) for item in value]
        return items if tag == "l" else tuple(items)
    if tag == "B":
        return base64.b64decode(value.encode("ascii"))
    if tag == "u":
        return uuid.UUID(value)
    if tag == "d":
        return Decimal(value)
    if tag == "dt":
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        return datetime.fromisoformat(text)
    if tag == "D":
        return date.fromisoformat(value)
    if tag == "dc":
        cls = _load_class(value["c"])
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise SerDesError(f"{value['c']} is not a dataclass")
        return cls(**{name: _unwrap(item) for name, item in value["f"].items()})
    if tag == "pm":
        cls = _load_class(value["c"])
        if not hasattr(cls, "model_validate"):
            raise SerDesError(f"{value['c']} is not a Pydantic model")
        return cls.model_validate(value["d"])
    if tag not in _TAGGED_TYPES and tag == "br":
        importlib.import_module("durable.batch")  # registers BatchResult
    if tag in _TAGGED_TYPES:
        return _TAGGED_TYPES[tag][2](_decode("m", value))
    raise SerDesError(f"unknown type tag {tag!r}")


class ExtendedTypeSerDes(SerDes[Any]):
    """JSON with a tagged envelope for types JSON lacks (see the module docstring)."""

    def serialize(self, value: Any, serdes_context: SerDesContext | None = None) -> str:
        if _is_plain(value):
            return json.dumps(value, separators=_COMPACT)
        return json.dumps(_encode(value), separators=_COMPACT)

    def deserialize(self, data: str, serdes_context: SerDesContext | None = None) -> Any:
        obj = json.loads(data)
        if _is_plain(obj):
            return obj
        if not (type(obj) is dict and "t" in obj and "v" in obj):
            raise SerDesError('malformed envelope: expected {"t": ..., "v": ...} at the root')
        return _decode(obj["t"], obj["v"])


DEFAULT_JSON_SERDES: SerDes[Any] = JsonSerDes()
EXTENDED_TYPES_SERDES: SerDes[Any] = ExtendedTypeSerDes()


def serialize(
    serdes: SerDes[Any] | None, value: Any, operation_id: str, durable_execution_arn: str
) -> str:
    """Serialize `value` with `serdes` (default: extended JSON), as the official helper
    does: a `SerDesError` passes unchanged (its data and stack trace too), anything else
    a custom SerDes raises becomes one naming the operation Id."""
    context = SerDesContext(operation_id, durable_execution_arn)
    try:
        return (serdes or EXTENDED_TYPES_SERDES).serialize(value, context)
    except (RetryableSerDesError, SerDesError):
        raise
    except Exception as error:  # a custom SerDes may raise anything
        raise SerDesError(
            f"Serialization failed for id: {operation_id}, error: {error}."
        ) from error


def deserialize(
    serdes: SerDes[Any] | None, data: str, operation_id: str, durable_execution_arn: str
) -> Any:
    """Deserialize checkpoint text with `serdes` (default: extended JSON); failures as
    in `serialize`."""
    context = SerDesContext(operation_id, durable_execution_arn)
    try:
        return (serdes or EXTENDED_TYPES_SERDES).deserialize(data, context)
    except (RetryableSerDesError, SerDesError):
        raise
    except Exception as error:  # a custom SerDes may raise anything
        raise SerDesError(
            f"Deserialization failed for id: {operation_id}, error: {error}."
        ) from error


def serialize_for_operation(
    serdes: SerDes[Any] | None,
    value: Any,
    context: SerDesContext,
    what: Callable[[], str],
    role: str = "result",
) -> str:
    """`serialize` for an operation's value: a failure is one line naming the
    operation (`what`) and the `role` of the value, ending with the official wording
    of the cause, so both are searchable:
    "cannot serialize the result of step 'x': Unsupported type: <class 'object'>".
    """
    try:
        return serialize(serdes, value, context.operation_id, context.durable_execution_arn)
    except RetryableSerDesError:
        raise
    except SerDesError as error:
        hint = _COROUTINE_HINT if inspect.iscoroutine(value) else ""
        raise _prefixed(error, f"cannot serialize the {role} of {what()}{hint}") from None


def deserialize_for_operation(
    serdes: SerDes[Any] | None,
    data: str,
    context: SerDesContext,
    what: Callable[[], str],
    role: str = "result",
) -> Any:
    """`deserialize` for an operation's checkpointed value; a failure is worded as in
    `serialize_for_operation`: "cannot deserialize the result of step 'x': ..."."""
    try:
        return deserialize(serdes, data, context.operation_id, context.durable_execution_arn)
    except RetryableSerDesError:
        raise
    except SerDesError as error:
        raise _prefixed(error, f"cannot deserialize the {role} of {what()}") from None


_COROUTINE_HINT = (
    " (a coroutine: the function is async; use an async def handler, whose "
    "AsyncDurableContext awaits it)"
)


def _prefixed(error: SerDesError, prefix: str) -> SerDesError:
    """`error` with `prefix: ` before its message; its data and stack trace are kept."""
    return SerDesError(f"{prefix}: {error.message}", None, error.data, error.stack_trace)
