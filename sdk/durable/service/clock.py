"""Clocks for the in-process engine: real time, or virtual time that jumps to the
next timer so waits and retry delays take no real time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
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
    """Real time plus every gap skipped so far: it runs like a wall clock, and
    `advance_to` jumps it forward over waits and retry delays."""

    virtual = True

    def __init__(self) -> None:
        self._skipped = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._skipped

    def advance_to(self, moment: datetime) -> None:
        with self._lock:
            gap = moment - (datetime.now(UTC) + self._skipped)
            if gap > timedelta(0):
                self._skipped += gap
