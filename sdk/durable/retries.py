"""Retry strategies for steps, and `with_retry` for whole blocks.

A retry strategy is any callable `(error, attempts_made) -> RetryDecision`.
`create_retry_strategy` builds the usual exponential backoff:
delay = max(1, ceil(jitter(min(initial_delay * backoff_rate ** (n - 1), max_delay)))).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from durable._backoff import ExponentialBackoff, backoff_delay
from durable.config import ChildConfig, Duration, JitterStrategy
from durable.exceptions import SuspendExecution

if TYPE_CHECKING:
    from durable.aio import AsyncDurableContext
    from durable.context import DurableContext

T = TypeVar("T")
Numeric = int | float
RetryStrategy = Callable[[Exception, int], "RetryDecision"]


@dataclass
class RetryDecision:
    """Whether to retry, and after how long."""

    should_retry: bool
    delay: Duration

    @property
    def delay_seconds(self) -> int:
        """The delay in seconds."""
        return self.delay.to_seconds()

    @classmethod
    def retry(cls, delay: Duration) -> RetryDecision:
        """Retry after `delay`."""
        return cls(should_retry=True, delay=delay)

    @classmethod
    def no_retry(cls) -> RetryDecision:
        """Do not retry."""
        return cls(should_retry=False, delay=Duration())


@dataclass
class RetryStrategyConfig(ExponentialBackoff):
    """Exponential backoff. With neither `retryable_errors` (message substrings or
    patterns) nor `retryable_error_types` set, every error is retried."""

    max_attempts: int = 3
    initial_delay: Duration = field(default_factory=lambda: Duration.from_seconds(5))
    max_delay: Duration = field(default_factory=lambda: Duration.from_minutes(5))
    backoff_rate: Numeric = 2.0
    jitter_strategy: JitterStrategy = JitterStrategy.FULL
    retryable_errors: list[str | re.Pattern[str]] | None = None
    retryable_error_types: list[type[Exception]] | None = None


@dataclass
class LinearRetryStrategyConfig:
    """Linear backoff: `initial_delay + increment * (n - 1)`, capped at `max_delay`."""

    max_attempts: int = 6
    initial_delay: Duration = field(default_factory=lambda: Duration.from_seconds(1))
    increment: Duration = field(default_factory=lambda: Duration.from_seconds(1))
    max_delay: Duration = field(default_factory=lambda: Duration.from_minutes(5))
    jitter_strategy: JitterStrategy = JitterStrategy.FULL
    retryable_errors: list[str | re.Pattern[str]] | None = None
    retryable_error_types: list[type[Exception]] | None = None

    @property
    def initial_delay_seconds(self) -> int:
        """`initial_delay` in seconds."""
        return self.initial_delay.to_seconds()

    @property
    def increment_seconds(self) -> int:
        """`increment` in seconds."""
        return self.increment.to_seconds()

    @property
    def max_delay_seconds(self) -> int:
        """`max_delay` in seconds."""
        return self.max_delay.to_seconds()


def _error_filter(
    patterns: list[str | re.Pattern[str]] | None, types: list[type[Exception]] | None
) -> Callable[[Exception], bool]:
    if patterns is None and types is None:
        return lambda _error: True
    messages = patterns or []
    classes = tuple(types or ())

    def matches(error: Exception) -> bool:
        text = str(error)
        if classes and isinstance(error, classes):
            return True
        return any(p.search(text) if isinstance(p, re.Pattern) else p in text for p in messages)

    return matches


def create_retry_strategy(config: RetryStrategyConfig | None = None) -> RetryStrategy:
    """An exponential-backoff retry strategy from `config` (defaults if None)."""
    cfg = config or RetryStrategyConfig()
    retryable = _error_filter(cfg.retryable_errors, cfg.retryable_error_types)

    def strategy(error: Exception, attempts_made: int) -> RetryDecision:
        if attempts_made >= cfg.max_attempts or not retryable(error):
            return RetryDecision.no_retry()
        return RetryDecision.retry(backoff_delay(cfg, attempts_made))

    return strategy


def create_linear_retry_strategy(config: LinearRetryStrategyConfig | None = None) -> RetryStrategy:
    """A linear-backoff retry strategy from `config` (defaults if None)."""
    cfg = config or LinearRetryStrategyConfig()
    retryable = _error_filter(cfg.retryable_errors, cfg.retryable_error_types)

    def strategy(error: Exception, attempts_made: int) -> RetryDecision:
        if attempts_made >= cfg.max_attempts or not retryable(error):
            return RetryDecision.no_retry()
        base = min(
            cfg.initial_delay.seconds + cfg.increment.seconds * (attempts_made - 1),
            cfg.max_delay.seconds,
        )
        return RetryDecision.retry(Duration(cfg.jitter_strategy.finalize_delay(base)))

    return strategy


class RetryPresets:
    """Ready-made retry strategies."""

    @classmethod
    def none(cls) -> RetryStrategy:
        """Never retry."""
        return create_retry_strategy(RetryStrategyConfig(max_attempts=1))

    @classmethod
    def default(cls) -> RetryStrategy:
        """What a step uses without a strategy: 6 attempts, 5 s doubling to 1 min, full jitter."""
        return create_retry_strategy(
            RetryStrategyConfig(
                max_attempts=6,
                initial_delay=Duration.from_seconds(5),
                max_delay=Duration.from_minutes(1),
                backoff_rate=2,
                jitter_strategy=JitterStrategy.FULL,
            )
        )

    @classmethod
    def transient(cls) -> RetryStrategy:
        """3 quick attempts with half jitter."""
        return create_retry_strategy(
            RetryStrategyConfig(max_attempts=3, backoff_rate=2, jitter_strategy=JitterStrategy.HALF)
        )

    @classmethod
    def resource_availability(cls) -> RetryStrategy:
        """5 attempts, 5 s doubling to 5 min."""
        return create_retry_strategy(
            RetryStrategyConfig(
                max_attempts=5,
                initial_delay=Duration.from_seconds(5),
                max_delay=Duration.from_minutes(5),
                backoff_rate=2,
            )
        )

    @classmethod
    def critical(cls) -> RetryStrategy:
        """10 attempts, 1 s growing x1.5 to 1 min, no jitter."""
        return create_retry_strategy(
            RetryStrategyConfig(
                max_attempts=10,
                initial_delay=Duration.from_seconds(1),
                max_delay=Duration.from_minutes(1),
                backoff_rate=1.5,
                jitter_strategy=JitterStrategy.NONE,
            )
        )

    @classmethod
    def linear(cls) -> RetryStrategy:
        """6 attempts waiting 1 s, 2 s, 3 s, 4 s, 5 s."""
        return create_linear_retry_strategy(
            LinearRetryStrategyConfig(jitter_strategy=JitterStrategy.NONE)
        )

    @classmethod
    def fixed(cls, interval: Duration | None = None) -> RetryStrategy:
        """5 attempts at a constant interval (5 s by default)."""
        delay = interval if interval is not None else Duration.from_seconds(5)
        return create_retry_strategy(
            RetryStrategyConfig(
                max_attempts=5,
                initial_delay=delay,
                max_delay=delay,
                backoff_rate=1,
                jitter_strategy=JitterStrategy.NONE,
            )
        )


@dataclass(frozen=True)
class WithRetryConfig(Generic[T]):
    """How `with_retry` retries a block.

    Args:
        retry_strategy: decides on each failure (default: `create_retry_strategy()`).
        wrap_with_run_in_child_context: run the loop in its own child context
            (default), so the final failure surfaces as `ChildContextError`.
        child_context_config: the `ChildConfig` of that child context.
    """

    retry_strategy: RetryStrategy | None = None
    wrap_with_run_in_child_context: bool = True
    child_context_config: ChildConfig[T] | None = None


def with_retry(
    context: DurableContext,
    func: Callable[[DurableContext, int], T],
    config: WithRetryConfig[T],
    name: str | None = None,
) -> T:
    """Run a block of durable operations, re-running all of it after a failure.

    `func(ctx, attempt)` may hold any operations. Between attempts a durable wait
    (named `"{name}-backoff-{attempt}"` when `name` is given) holds the backoff.
    """
    strategy = config.retry_strategy or create_retry_strategy()

    def loop(ctx: DurableContext) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                return func(ctx, attempt)
            except SuspendExecution:
                raise
            except Exception as error:
                decision = strategy(error, attempt)
                if not decision.should_retry:
                    raise
                ctx.wait(decision.delay, name=f"{name}-backoff-{attempt}" if name else None)

    if config.wrap_with_run_in_child_context:
        return context.run_in_child_context(loop, name=name, config=config.child_context_config)
    return loop(context)


async def with_retry_async(
    context: AsyncDurableContext,
    func: Callable[[AsyncDurableContext, int], Awaitable[T] | T],
    config: WithRetryConfig[T],
    name: str | None = None,
) -> T:
    """`with_retry` for asyncio handlers: `func(ctx, attempt)` may be `async def`."""
    strategy = config.retry_strategy or create_retry_strategy()

    async def loop(ctx: AsyncDurableContext) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                outcome: Any = func(ctx, attempt)
                if inspect.isawaitable(outcome):
                    outcome = await outcome
                return outcome  # type: ignore[no-any-return]
            except SuspendExecution:
                raise
            except Exception as error:
                decision = strategy(error, attempt)
                if not decision.should_retry:
                    raise
                await ctx.wait(decision.delay, name=f"{name}-backoff-{attempt}" if name else None)

    if config.wrap_with_run_in_child_context:
        return await context.run_in_child_context(
            loop, name=name, config=config.child_context_config
        )
    return await loop(context)
