"""Wait strategies for `wait_for_condition`.

A wait strategy is a callable `(state, attempts_made) -> WaitForConditionDecision`:
stop polling (the condition holds) or continue after a delay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from durable._backoff import ExponentialBackoff, backoff_delay
from durable.config import Duration, JitterStrategy
from durable.exceptions import WaitForConditionError

if TYPE_CHECKING:
    from durable.serdes import SerDes

T = TypeVar("T")
Numeric = int | float


@dataclass(frozen=True)
class WaitForConditionDecision:
    """Whether to poll again, and after how long."""

    should_continue: bool
    delay: Duration

    @property
    def delay_seconds(self) -> int:
        """The delay in seconds."""
        return self.delay.to_seconds()

    @classmethod
    def continue_waiting(cls, delay: Duration) -> WaitForConditionDecision:
        """Poll again after `delay`."""
        return cls(should_continue=True, delay=delay)

    @classmethod
    def stop_polling(cls) -> WaitForConditionDecision:
        """The condition holds; stop."""
        return cls(should_continue=False, delay=Duration())


WaitStrategy = Callable[[Any, int], WaitForConditionDecision]


@dataclass
class WaitStrategyConfig(ExponentialBackoff, Generic[T]):
    """Polling with exponential backoff while `should_continue_polling(state)` is true."""

    should_continue_polling: Callable[[T], bool]
    max_attempts: int = 60
    initial_delay: Duration = field(default_factory=lambda: Duration.from_seconds(5))
    max_delay: Duration = field(default_factory=lambda: Duration.from_minutes(5))
    backoff_rate: Numeric = 1.5
    jitter_strategy: JitterStrategy = JitterStrategy.FULL


def create_wait_strategy(
    config: WaitStrategyConfig[T],
) -> Callable[[T, int], WaitForConditionDecision]:
    """A wait strategy from `config`; running out of attempts raises `WaitForConditionError`."""

    def strategy(state: T, attempts_made: int) -> WaitForConditionDecision:
        if not config.should_continue_polling(state):
            return WaitForConditionDecision.stop_polling()
        if attempts_made >= config.max_attempts:
            # Checkpointed as the step's error: worded as the official SDK words it.
            raise WaitForConditionError(
                f"wait_for_condition exhausted {config.max_attempts} attempts "
                "before the condition was met"
            )
        return WaitForConditionDecision.continue_waiting(backoff_delay(config, attempts_made))

    return strategy


class WaitPresets:
    """Ready-made wait strategies."""

    @staticmethod
    def fixed(
        should_continue_polling: Callable[[Any], bool],
        interval: Duration | None = None,
        max_attempts: int = 60,
    ) -> WaitStrategy:
        """Poll at a constant interval (5 s by default)."""
        delay = interval or Duration.from_seconds(5)
        return create_wait_strategy(
            WaitStrategyConfig(
                should_continue_polling=should_continue_polling,
                max_attempts=max_attempts,
                initial_delay=delay,
                max_delay=delay,
                backoff_rate=1,
                jitter_strategy=JitterStrategy.NONE,
            )
        )

    @staticmethod
    def exponential(
        should_continue_polling: Callable[[Any], bool], max_attempts: int = 60
    ) -> WaitStrategy:
        """Poll from 5 s growing x1.5 up to 5 min, with full jitter."""
        return create_wait_strategy(
            WaitStrategyConfig(
                should_continue_polling=should_continue_polling, max_attempts=max_attempts
            )
        )


@dataclass(frozen=True)
class WaitForConditionConfig(Generic[T]):
    """How `wait_for_condition` polls.

    Args:
        wait_strategy: decides after each check whether to poll again.
        initial_state: the state passed to the first check.
        serdes: how the state is checkpointed between polls (default: extended JSON).
    """

    wait_strategy: Callable[[T, int], WaitForConditionDecision]
    initial_state: T
    serdes: SerDes[Any] | None = None
