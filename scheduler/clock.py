"""Injectable sources of the current time, so that reminders can be simulated without waiting.

Every clock answers in timezone-aware UTC. Local time is derived only at the edges with
``local_now`` and an IANA zone (``Asia/Almaty``), never a fixed offset: Kazakhstan moved from
UTC+6 to UTC+5 on 1 March 2024, and the zone database knows which offset applies when.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Anything that can tell the current instant."""

    def now(self) -> datetime:
        """The current instant as a timezone-aware datetime in UTC."""
        ...


def _require_aware(moment: datetime, what: str) -> datetime:
    # A naive datetime would later be read as the host's local time by astimezone(),
    # which differs between a developer's laptop and the server.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


class SystemClock:
    """The real time of the host."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock that stands still until told to move, and only ever moves forward.

    Refusing to go back keeps simulations honest: a scheduler that has already sent a
    reminder must never see the time before it again.
    """

    def __init__(self, start: datetime) -> None:
        self._now = _require_aware(start, "start")

    def __repr__(self) -> str:
        return f"FakeClock({self._now.isoformat()})"

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move forward by ``delta``; a zero delta is allowed, a negative one is not."""
        if delta < timedelta(0):
            raise ValueError(f"a fake clock cannot go back in time (advance by {delta})")
        self._now += delta

    def set(self, moment: datetime) -> None:
        """Jump to ``moment``, which must be aware and not earlier than the current time."""
        target = _require_aware(moment, "moment")
        if target < self._now:
            raise ValueError(
                "a fake clock cannot go back in time "
                f"(from {self._now.isoformat()} to {target.isoformat()})"
            )
        self._now = target


class RunningClock:
    """A clock that runs in real time from a chosen start, and can jump forward, never back.

    The sandbox runs the bot in a past year of its plan: the clock ticks like a real one, so
    the bot behaves as it would that day, and a trainer jumps it to the next reminder or a
    week ahead. ``monotonic`` is injectable so that tests need not wait.
    """

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        # One tuple, replaced whole: a reader in another thread never sees half a jump.
        self._anchor = (_require_aware(start, "start"), monotonic())

    def __repr__(self) -> str:
        return f"RunningClock({self.now().isoformat()})"

    def now(self) -> datetime:
        moment, origin = self._anchor
        return moment + timedelta(seconds=self._monotonic() - origin)

    def jump_to(self, moment: datetime) -> None:
        """Go on running from ``moment``, which must be aware and not before the current time."""
        target = _require_aware(moment, "moment")
        current = self.now()
        if target < current:
            raise ValueError(
                "a running clock cannot go back in time "
                f"(from {current.isoformat()} to {target.isoformat()})"
            )
        self._anchor = (target, self._monotonic())

    def advance(self, delta: timedelta) -> None:
        """Jump forward by ``delta``; a negative delta is refused."""
        if delta < timedelta(0):
            raise ValueError(f"a running clock cannot go back in time (advance by {delta})")
        self.jump_to(self.now() + delta)


def local_now(clock: Clock, tz: ZoneInfo) -> datetime:
    """The clock's current instant as wall time in ``tz``, with that moment's offset."""
    return _require_aware(clock.now(), "the clock's time").astimezone(tz)
