"""Types passed to user code: step, callback-submitter and condition-check contexts,
the logger interface, and the Lambda context protocol."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from durable.config import SummaryGenerator

T_co = TypeVar("T_co", covariant=True)

__all__ = [
    "BatchResult",
    "Callback",
    "DurableContext",
    "DurableExecutionArn",
    "LambdaContext",
    "LoggerInterface",
    "OperationContext",
    "StepContext",
    "SummaryGenerator",
    "WaitForCallbackContext",
    "WaitForConditionCheckContext",
]


class LoggerInterface(Protocol):
    """What a logger given to `set_logger` must offer (a `logging.Logger` does)."""

    def debug(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at DEBUG."""

    def info(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at INFO."""

    def warning(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at WARNING."""

    def error(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at ERROR."""

    def exception(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at ERROR with the current exception."""


@dataclass(frozen=True)
class OperationContext:
    """What user code running inside an operation receives."""

    logger: LoggerInterface


@dataclass(frozen=True)
class StepContext(OperationContext):
    """Passed to a step's function: a logger tagged with the step, and the attempt
    number (1 on the first attempt)."""

    attempt: int = 1


@dataclass(frozen=True)
class WaitForCallbackContext(OperationContext):
    """Passed to the submitter of `wait_for_callback`."""


@dataclass(frozen=True)
class WaitForConditionCheckContext(OperationContext):
    """Passed to the check of `wait_for_condition`, with the attempt number."""

    attempt: int = 1


class Callback(Protocol[T_co]):
    """A callback created by `create_callback`: give `callback_id` to the external
    system, then `result()` suspends until it answers."""

    callback_id: str

    def result(self) -> T_co | None:
        """The callback's result; suspends the execution until it arrives."""


class BatchResult(Protocol[T_co]):
    """What `map` and `parallel` return (see `durable.batch.BatchResult`)."""

    def get_results(self) -> Sequence[T_co]:
        """The results of the succeeded items."""


class DurableContext(Protocol):
    """The operations every durable context offers (see `durable.DurableContext`)."""

    def step(self, func: Any, name: str | None = None, config: Any = None) -> Any:
        """Run a step."""

    def wait(self, duration: Any, name: str | None = None) -> Any:
        """Wait for a duration."""

    def run_in_child_context(self, func: Any, name: str | None = None, config: Any = None) -> Any:
        """Run a child context."""

    def map(self, inputs: Any, func: Any, name: str | None = None, config: Any = None) -> Any:
        """Run `func` for every input, each in its own child context."""

    def parallel(self, functions: Any, name: str | None = None, config: Any = None) -> Any:
        """Run functions concurrently, each in its own child context."""

    def create_callback(self, name: str | None = None, config: Any = None) -> Any:
        """Create a callback."""


class LambdaContext(Protocol):
    """The Lambda context object passed to a handler."""

    aws_request_id: str

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation times out."""

    def log(self, msg: str) -> None:
        """Write `msg` to the invocation's log."""


_ARN = re.compile(
    r"^arn:[^:]*:lambda:[^:]*:[^:]*:function:([^:/]+):[^:/]+/durable-execution/([^/]+)/([^/]+)$"
)


@dataclass(frozen=True)
class DurableExecutionArn:
    """The parts of a durable execution ARN."""

    function_name: str
    execution_name: str
    invocation_id: str

    @classmethod
    def from_arn(cls, arn: str) -> DurableExecutionArn | None:
        """Parse `arn`, or None when it is not a durable execution ARN."""
        match = _ARN.match(arn)
        if match is None:
            return None
        return cls(match.group(1), match.group(2), match.group(3))
