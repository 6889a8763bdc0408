"""Exponential backoff with jitter, shared by retry strategies and wait strategies.

delay = max(1, ceil(jitter(min(initial_delay * backoff_rate ** (n - 1), max_delay)))).
"""

from __future__ import annotations

from durable.config import Duration, JitterStrategy


class ExponentialBackoff:
    """The delay settings of `RetryStrategyConfig` and `WaitStrategyConfig`.

    A mixin: the dataclasses that derive from it declare the fields and defaults.
    """

    initial_delay: Duration
    max_delay: Duration
    backoff_rate: int | float
    jitter_strategy: JitterStrategy

    @property
    def initial_delay_seconds(self) -> int:
        """The first delay in seconds."""
        return self.initial_delay.to_seconds()

    @property
    def max_delay_seconds(self) -> int:
        """The largest delay in seconds."""
        return self.max_delay.to_seconds()


def backoff_delay(config: ExponentialBackoff, attempts_made: int) -> Duration:
    """The delay after attempt number `attempts_made` (counted from 1)."""
    base = min(
        config.initial_delay_seconds * config.backoff_rate ** (attempts_made - 1),
        config.max_delay_seconds,
    )
    return Duration(config.jitter_strategy.finalize_delay(base))
