"""Retry strategies and their presets."""

from __future__ import annotations

import pytest
from durable.config import Duration, JitterStrategy
from durable.retries import RetryPresets, RetryStrategyConfig, create_retry_strategy


def delays(strategy, attempts: int) -> list[int | None]:  # type: ignore[no-untyped-def]
    out = []
    for n in range(1, attempts + 1):
        decision = strategy(ValueError("x"), n)
        out.append(decision.delay_seconds if decision.should_retry else None)
    return out


def test_backoff_without_jitter_doubles_up_to_the_cap() -> None:
    strategy = create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=6,
            initial_delay=Duration(2),
            max_delay=Duration(10),
            jitter_strategy=JitterStrategy.NONE,
        )
    )
    assert delays(strategy, 6) == [2, 4, 8, 10, 10, None]


def test_full_jitter_stays_between_one_second_and_the_base_delay() -> None:
    strategy = create_retry_strategy(
        RetryStrategyConfig(max_attempts=50, initial_delay=Duration(8), backoff_rate=1)
    )
    assert all(1 <= d <= 8 for d in delays(strategy, 49))  # type: ignore[operator]


def test_only_listed_error_types_are_retried() -> None:
    strategy = create_retry_strategy(RetryStrategyConfig(retryable_error_types=[KeyError]))
    assert strategy(KeyError("k"), 1).should_retry
    assert not strategy(ValueError("v"), 1).should_retry


def test_message_patterns_select_errors() -> None:
    strategy = create_retry_strategy(RetryStrategyConfig(retryable_errors=["timeout"]))
    assert strategy(OSError("read timeout"), 1).should_retry
    assert not strategy(OSError("refused"), 1).should_retry


@pytest.mark.parametrize(
    ("preset", "attempts"),
    [
        (RetryPresets.none(), 1),
        (RetryPresets.default(), 6),
        (RetryPresets.critical(), 10),
        (RetryPresets.fixed(), 5),
    ],
)
def test_presets_stop_after_their_attempts(preset, attempts: int) -> None:  # type: ignore[no-untyped-def]
    outcome = delays(preset, attempts)
    assert outcome[-1] is None and all(d is not None for d in outcome[:-1])


def test_the_linear_preset_adds_a_second_each_attempt() -> None:
    assert delays(RetryPresets.linear(), 6) == [1, 2, 3, 4, 5, None]
