"""Durable handlers written once against the API that `durable` and the official
`aws_durable_execution_sdk_python` share, built for either SDK by import prefix.

Each case is a factory `build(api) -> handler`: `api` holds one SDK's public modules,
so the handler body is the same text for both SDKs, exactly as a user porting a
handler would write it after changing the import lines. This module holds what the
cases share (`Api`, `Case`, the `case` registry); the cases live in `parity_cases_*.py`
and `parity_cases.CASES` has them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
