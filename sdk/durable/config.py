"""Configuration of durable operations: durations, steps, child contexts, batches.

The names and defaults match the official AWS SDK's `config` module, so a handler
ported from it keeps its configuration unchanged.
"""

from __future__ import annotations

import math
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from durable.exceptions import ValidationError

if TYPE_CHECKING:
    from durable.retries import RetryDecision
    from durable.serdes import SerDes

T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")

SummaryGenerator = Callable[[Any], str]
"""Turns a result too large to checkpoint into the short text checkpointed instead."""


@dataclass(frozen=True)
class Duration:
    """A span of time in whole seconds (never negative)."""

    seconds: int = 0

    def __post_init__(self) -> None:
        if self.seconds < 0:
            raise ValidationError(f"Duration must not be negative, got {self.seconds} seconds")

    def to_seconds(self) -> int:
        """The duration in seconds."""
        return self.seconds

    @classmethod
    def from_seconds(cls, value: float) -> Duration:
        """A duration of `value` seconds (fractions are dropped)."""
        return cls(seconds=int(value))

    @classmethod
    def from_minutes(cls, value: float) -> Duration:
        """A duration of `value` minutes."""
        return cls(seconds=int(value * 60))

    @classmethod
    def from_hours(cls, value: float) -> Duration:
        """A duration of `value` hours."""
        return cls(seconds=int(value * 3600))

    @classmethod
    def from_days(cls, value: float) -> Duration:
        """A duration of `value` days."""
        return cls(seconds=int(value * 86400))


class JitterStrategy(StrEnum):
    """Random spread applied to retry delays, so that retries do not arrive together.

    NONE keeps the delay, FULL picks uniformly in [0, delay], HALF in [delay/2, delay].
    """

    NONE = "NONE"
    FULL = "FULL"
    HALF = "HALF"

    def apply_jitter(self, delay: float) -> float:
        """The delay after jitter, before rounding."""
        if self is JitterStrategy.NONE:
            return delay
        if self is JitterStrategy.HALF:
            return delay / 2 + random.random() * (delay / 2)
        return random.random() * delay

    def finalize_delay(self, base_delay: float) -> int:
        """Jitter, round up, and clamp to at least one second."""
        return max(1, math.ceil(self.apply_jitter(base_delay)))


class StepSemantics(Enum):
    """How often one attempt of a step may run its function."""

    AT_MOST_ONCE_PER_RETRY = "AT_MOST_ONCE_PER_RETRY"
    AT_LEAST_ONCE_PER_RETRY = "AT_LEAST_ONCE_PER_RETRY"


_SUB_TYPE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")


def _validate_sub_type(sub_type: str | None) -> None:
    if sub_type and (len(sub_type) > 32 or not set(sub_type) <= _SUB_TYPE_CHARACTERS):
        raise ValidationError(
            f"sub_type must be 1 to 32 characters from A-Z, a-z, 0-9, '-' and '_', got {sub_type!r}"
        )


@dataclass(frozen=True)
class StepConfig:
    """How a step runs.

    Args:
        retry_strategy: `(error, attempts_made) -> RetryDecision`; the default retries
            6 attempts with exponential backoff (see `durable.retries.RetryPresets`).
        step_semantics: AT_LEAST_ONCE_PER_RETRY (default) runs an interrupted attempt
            again; AT_MOST_ONCE_PER_RETRY records the start first and treats an
            interrupted attempt as failed (`StepInterruptedError`).
        serdes: how the result is checkpointed (default: the extended JSON format).
        sub_type: the SubType recorded instead of "Step".
        timeout: beyond the official SDK: an attempt running longer fails with
            `StepTimeoutError` and goes to the retry strategy.
    """

    retry_strategy: Callable[[Exception, int], RetryDecision] | None = None
    step_semantics: StepSemantics = StepSemantics.AT_LEAST_ONCE_PER_RETRY
    serdes: SerDes[Any] | None = None
    sub_type: str | None = field(default=None, kw_only=True)
    timeout: Duration | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        _validate_sub_type(self.sub_type)
        if self.timeout is not None and self.timeout.seconds < 1:
            raise ValidationError("StepConfig.timeout must be at least 1 second")


@dataclass(frozen=True)
class ChildConfig(Generic[T]):
    """How a child context runs.

    Args:
        serdes: how the child's result is checkpointed.
        sub_type: the SubType recorded instead of "RunInChildContext".
        summary_generator: text checkpointed instead of a result over 256 KiB (the
            child then runs again on replay to rebuild the full result).
        is_virtual: record no CONTEXT operation for this child; its operations report
            to the caller's parent (used by `NestingType.FLAT` batches).
    """

    serdes: SerDes[Any] | None = None
    sub_type: str | None = None
    summary_generator: SummaryGenerator | None = None
    is_virtual: bool = False

    def __post_init__(self) -> None:
        _validate_sub_type(self.sub_type)


@dataclass(frozen=True)
class CallbackConfig:
    """How a callback waits.

    Args:
        timeout: fail with `CallbackTimeoutError` after this long (zero: never).
        heartbeat_timeout: fail when no heartbeat arrives for this long (zero: never).
        serdes: how the callback's result text is read (default: returned as is).
        sub_type: the SubType recorded instead of "Callback".
    """

    timeout: Duration = field(default_factory=Duration)
    heartbeat_timeout: Duration = field(default_factory=Duration)
    serdes: SerDes[Any] | None = None
    sub_type: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        _validate_sub_type(self.sub_type)

    @property
    def timeout_seconds(self) -> int:
        """The timeout in seconds."""
        return self.timeout.to_seconds()

    @property
    def heartbeat_timeout_seconds(self) -> int:
        """The heartbeat timeout in seconds."""
        return self.heartbeat_timeout.to_seconds()


@dataclass(frozen=True)
class WaitForCallbackConfig(CallbackConfig):
    """A `CallbackConfig` plus the retry strategy of the submitter step."""

    retry_strategy: Callable[[Exception, int], RetryDecision] | None = None


@dataclass(frozen=True)
class InvokeConfig(Generic[P, R]):
    """How `invoke` encodes its payload and reads the result.

    Args:
        serdes_payload: encodes the payload (default: JSON).
        serdes_result: decodes the result (default: JSON).
        tenant_id: run the invoked function for this tenant.
    """

    serdes_payload: SerDes[P] | None = None
    serdes_result: SerDes[R] | None = None
    tenant_id: str | None = None


class NestingType(Enum):
    """Whether each map item or parallel branch records its own CONTEXT operation."""

    NESTED = "NESTED"
    FLAT = "FLAT"


class BatchItemStatus(Enum):
    """Status of one item of a map or parallel batch."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    STARTED = "STARTED"


class CompletionOutcome(Enum):
    """Whether a batch completed early as a success or a failure."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class CompletionDecision:
    """What a custom completion predicate decided; build with `continue_batch()` or
    `complete_batch(outcome)`."""

    complete: bool
    outcome: CompletionOutcome | None = None

    def __post_init__(self) -> None:
        if self.complete and self.outcome is None:
            raise ValidationError("CompletionDecision needs an outcome when complete is True")
        if not self.complete and self.outcome is not None:
            raise ValidationError("CompletionDecision takes no outcome when complete is False")


def continue_batch() -> CompletionDecision:
    """Keep the batch running."""
    return CompletionDecision(complete=False)


def complete_batch(outcome: CompletionOutcome = CompletionOutcome.SUCCEEDED) -> CompletionDecision:
    """Complete the batch now, as a success (default) or a failure."""
    return CompletionDecision(complete=True, outcome=outcome)


@dataclass(frozen=True)
class CompletionItemStatus:
    """One item as a completion predicate sees it."""

    index: int
    name: str | None = None
    status: BatchItemStatus | None = None


@dataclass(frozen=True)
class CompletionStatus:
    """The progress of a batch, passed to a custom completion predicate."""

    success_count: int
    failure_count: int
    completed_count: int
    total_count: int
    items: tuple[CompletionItemStatus, ...] = ()


@dataclass(frozen=True)
class CompletionConfig:
    """When a map or parallel batch completes.

    Args:
        min_successful: complete once this many items succeeded.
        tolerated_failure_count: fail once more items than this failed.
        tolerated_failure_percentage: fail once more than this percentage failed.
        should_complete: a custom predicate instead of the three thresholds.
    """

    min_successful: int | None = None
    tolerated_failure_count: int | None = None
    tolerated_failure_percentage: int | float | None = None
    should_complete: Callable[[CompletionStatus], CompletionDecision] | None = None

    def __post_init__(self) -> None:
        if self.min_successful is not None and self.min_successful < 1:
            raise ValidationError(f"min_successful must be at least 1, got {self.min_successful}")
        if self.tolerated_failure_count is not None and self.tolerated_failure_count < 0:
            raise ValidationError(
                f"tolerated_failure_count must not be negative, got {self.tolerated_failure_count}"
            )
        percentage = self.tolerated_failure_percentage
        if percentage is not None and not 0 <= percentage <= 100:
            raise ValidationError(
                f"tolerated_failure_percentage must be between 0 and 100, got {percentage}"
            )
        thresholds = (self.min_successful, self.tolerated_failure_count, percentage)
        if self.should_complete is not None and any(t is not None for t in thresholds):
            raise ValidationError(
                "should_complete cannot be combined with min_successful, "
                "tolerated_failure_count or tolerated_failure_percentage"
            )

    def validate_for_total(self, total: int) -> None:
        """Reject a configuration that can never be met by `total` items."""
        if self.min_successful is not None and self.min_successful > total:
            raise ValidationError(
                f"min_successful ({self.min_successful}) is greater than the number of "
                f"items ({total})"
            )

    @staticmethod
    def first_successful() -> CompletionConfig:
        """Complete as soon as one item succeeds."""
        return CompletionConfig(min_successful=1)

    @staticmethod
    def all_completed() -> CompletionConfig:
        """Run every item, whatever fails."""
        return CompletionConfig(tolerated_failure_percentage=100)

    @staticmethod
    def all_successful() -> CompletionConfig:
        """Fail at the first failed item."""
        return CompletionConfig(tolerated_failure_count=0, tolerated_failure_percentage=0)


@dataclass(frozen=True)
class ParallelConfig:
    """How `parallel` runs its branches."""

    max_concurrency: int | None = None
    completion_config: CompletionConfig = field(default_factory=CompletionConfig.all_successful)
    serdes: SerDes[Any] | None = None
    item_serdes: SerDes[Any] | None = None
    summary_generator: SummaryGenerator | None = None
    nesting_type: NestingType = NestingType.NESTED

    def __post_init__(self) -> None:
        if self.max_concurrency is not None and self.max_concurrency < 1:
            raise ValidationError(f"max_concurrency must be at least 1, got {self.max_concurrency}")


@dataclass(frozen=True)
class MapConfig(Generic[T]):
    """How `map` runs its items; `item_namer(item, index)` names each iteration."""

    max_concurrency: int | None = None
    completion_config: CompletionConfig = field(default_factory=CompletionConfig)
    serdes: SerDes[Any] | None = None
    item_serdes: SerDes[Any] | None = None
    summary_generator: SummaryGenerator | None = None
    nesting_type: NestingType = NestingType.NESTED
    item_namer: Callable[[T, int], str] | None = None

    def __post_init__(self) -> None:
        if self.max_concurrency is not None and self.max_concurrency < 1:
            raise ValidationError(f"max_concurrency must be at least 1, got {self.max_concurrency}")


@dataclass(frozen=True)
class ParallelBranch(Generic[T]):
    """A branch of `parallel` with its own name in the history."""

    func: Callable[..., T]
    name: str | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> T:
        return self.func(*args, **kwargs)
