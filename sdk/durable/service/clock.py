"""Clocks for the in-process engine: real time, or virtual time that jumps to the
next timer so waits and retry delays take no real time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """What the engine reads the time from."""

    virtual: bool

    def now(self) -> datetime:
        """The current time (UTC)."""

    def advance_to(self, moment: datetime) -> None:
        """Move virtual time forward to `moment` (real clocks ignore this)."""


class RealClock:
    """Wall-clock time."""

    virtual = False

    def now(self) -> datetime:
        return datetime.now(UTC)

    def advance_to(self, moment: datetime) -> None:
        """Real time cannot be moved."""


class VirtualClock:
    """Time that starts at the real time and moves only when told to."""

    virtual = True

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return self._now

    def advance_to(self, moment: datetime) -> None:
        with self._lock:
            if moment > self._now:
                self._now = moment
