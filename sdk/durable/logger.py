"""The replay-aware logger: silent while the context replays, so each message is
logged once however often the handler replays."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from durable.types import LoggerInterface


class DurableLogger:
    """Logs through `target` with execution fields in `extra`, unless replaying."""

    __slots__ = ("_extra", "_is_replaying", "_target", "mode_aware")

    def __init__(
        self,
        target: LoggerInterface,
        extra: Mapping[str, object],
        is_replaying: Callable[[], bool],
        mode_aware: bool = True,
    ) -> None:
        self._target = target
        self._extra = dict(extra)
        self._is_replaying = is_replaying
        # False: log during replay too (to observe re-execution while debugging).
        self.mode_aware = mode_aware

    def with_fields(self, **fields: object) -> DurableLogger:
        """A logger adding `fields` (None values dropped) to every record."""
        extra = {**self._extra, **{k: v for k, v in fields.items() if v is not None}}
        return DurableLogger(self._target, extra, self._is_replaying, self.mode_aware)

    def with_replay_source(self, is_replaying: Callable[[], bool]) -> DurableLogger:
        """The same logger, silent according to another context's replay status."""
        return DurableLogger(self._target, self._extra, is_replaying, self.mode_aware)

    def with_target(
        self, target: LoggerInterface | None = None, mode_aware: bool | None = None
    ) -> DurableLogger:
        """The same logger writing to `target` and/or with another `mode_aware`."""
        return DurableLogger(
            target or self._target,
            self._extra,
            self._is_replaying,
            self.mode_aware if mode_aware is None else mode_aware,
        )

    def get_logger(self) -> LoggerInterface:
        """The underlying logger."""
        return self._target

    def _log(
        self, method: str, msg: object, args: tuple[Any, ...], extra: Mapping[str, object] | None
    ) -> None:
        if self.mode_aware and self._is_replaying():
            return
        merged = {**self._extra, **extra} if extra else self._extra
        getattr(self._target, method)(msg, *args, extra=merged)

    def debug(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at DEBUG."""
        self._log("debug", msg, args, extra)

    def info(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at INFO."""
        self._log("info", msg, args, extra)

    def warning(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at WARNING."""
        self._log("warning", msg, args, extra)

    def error(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at ERROR."""
        self._log("error", msg, args, extra)

    def exception(self, msg: object, *args: Any, extra: Mapping[str, object] | None = None) -> None:
        """Log at ERROR with the current exception."""
        self._log("exception", msg, args, extra)


def root_logger(arn: str, is_replaying: Callable[[], bool]) -> DurableLogger:
    """The logger of a handler's root context (the root `logging` logger, tagged
    with the execution ARN)."""
    return DurableLogger(logging.getLogger(), {"executionArn": arn}, is_replaying)
