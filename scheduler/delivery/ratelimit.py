"""Telegram's sending limits, enforced before each send: total rate, per chat, per group, pause.

Three sliding windows: at most ``total`` sends in any ``total_window`` seconds, one send per
chat in any ``chat_interval`` seconds, at most ``group`` sends to one group (chat id < 0) in any
``group_window`` seconds; and, after a 429, a pause of the whole bot.

Only the caller knows when the server handled a send: some moment between the start of the
request and its answer. So a send counts as taking place from when it is recorded until it is
``done``: while in flight it fills its slot in every window, and its windows are measured from
when it finished. Whatever the latency, the times the server sees then keep every limit, at
the cost of the round trip in throughput (about 30 / (1 s + latency) per second).

Time is read from an injectable monotonic function and waited with an injectable sleep, so
tests run in fake time.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Entries of the per-chat and per-group tables are dropped only every so many sends.
_PRUNE_EVERY = 512


@dataclass(frozen=True, slots=True)
class Limits:
    """The windows to keep; ``guard`` is added to each one to absorb rounding of times."""

    total: int = 30
    total_window: float = 1.0
    chat_interval: float = 1.0
    group: int = 20
    group_window: float = 60.0
    guard: float = 0.002

    def __post_init__(self) -> None:
        if self.total < 1 or self.group < 1:
            raise ValueError("limits must allow at least one send per window")
        if min(self.total_window, self.chat_interval, self.group_window, self.guard) < 0:
            raise ValueError("windows cannot be negative")


class Permit:
    """One send the limiter has counted; report its end with ``done`` or undo it with ``cancel``."""

    __slots__ = ("_limiter", "cancelled", "chat_id", "end", "previous", "start")

    def __init__(
        self, limiter: RateLimiter, chat_id: int, start: float, previous: Permit | None
    ) -> None:
        self._limiter = limiter
        self.chat_id = chat_id
        self.start = start
        self.end: float | None = None
        self.cancelled = False
        self.previous = previous

    @property
    def in_flight(self) -> bool:
        return self.end is None and not self.cancelled

    def done(self) -> None:
        """The request is over (whatever its answer): its windows start now."""
        if self.in_flight:
            self.end = self._limiter.now()
            # A finished send can no longer be cancelled, so the one before it never counts again.
            self.previous = None
            self._limiter.notify()

    def cancel(self) -> None:
        """Nothing was sent after all: the send no longer counts."""
        if self.in_flight:
            self.cancelled = True
            self._limiter.forget(self)


def _window_wait(sends: deque[Permit], limit: int, window: float, now: float) -> float:
    """Seconds until fewer than ``limit`` of ``sends`` fall in the window ending at ``now``."""
    while sends and (
        sends[0].cancelled or (sends[0].end is not None and sends[0].end + window <= now)
    ):
        sends.popleft()
    if len(sends) < limit:
        return 0.0
    ends = [
        math.inf if p.end is None else p.end
        for p in sends
        if not p.cancelled and (p.end is None or p.end + window > now)
    ]
    if len(ends) < limit:
        return 0.0
    ends.sort()
    return ends[len(ends) - limit] + window - now


class RateLimiter:
    """Decides when a chat may receive its next message; shared by every sender of one bot."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits or Limits()
        self._monotonic = monotonic
        self._sleep = sleep
        self._recent: deque[Permit] = deque()
        self._last: dict[int, Permit] = {}
        self._groups: dict[int, deque[Permit]] = {}
        self._paused_until = -math.inf
        self._recorded = 0
        self._changed = asyncio.Event()

    def now(self) -> float:
        return self._monotonic()

    # -- the bot-wide pause ----------------------------------------------------------------

    def pause_for(self, seconds: float) -> None:
        """Telegram asked the bot to wait: nothing is sent for ``seconds`` from now."""
        self.pause_until(self.now() + max(0.0, seconds))

    def pause_until(self, moment: float) -> None:
        """Nothing is sent before ``moment`` (on the limiter's monotonic clock)."""
        self._paused_until = max(self._paused_until, moment + self.limits.guard)

    def paused_for(self) -> float:
        """Seconds left of the bot-wide pause, 0 when there is none."""
        return max(0.0, self._paused_until - self.now())

    # -- asking and waiting ----------------------------------------------------------------

    def delay_for(self, chat_id: int) -> float:
        """Seconds until a send to ``chat_id`` keeps every limit: 0 now, ``inf`` while the
        chat's previous send is still in flight (it is then known only once that one ends)."""
        limits = self.limits
        now = self.now()
        wait = self._paused_until - now
        last = self._last.get(chat_id)
        if last is not None:
            if last.end is None:
                return math.inf
            wait = max(wait, last.end + limits.chat_interval + limits.guard - now)
        wait = max(
            wait,
            _window_wait(self._recent, limits.total, limits.total_window + limits.guard, now),
        )
        if chat_id < 0:
            group = self._groups.get(chat_id)
            if group:
                window = limits.group_window + limits.guard
                wait = max(wait, _window_wait(group, limits.group, window, now))
        return max(0.0, wait)

    def record(self, chat_id: int) -> Permit:
        """Count a send to ``chat_id`` starting now; the caller has checked ``delay_for``."""
        permit = Permit(self, chat_id, self.now(), self._last.get(chat_id))
        self._recent.append(permit)
        self._last[chat_id] = permit
        if chat_id < 0:
            self._groups.setdefault(chat_id, deque()).append(permit)
        self._recorded += 1
        if self._recorded % _PRUNE_EVERY == 0:
            self._prune()
        return permit

    async def acquire(self, chat_id: int) -> Permit:
        """Wait until ``chat_id`` may receive a message, then count the send."""
        while True:
            wait = self.delay_for(chat_id)
            if wait <= 0:
                return self.record(chat_id)
            if math.isinf(wait):
                self._changed.clear()
                await self._changed.wait()
            else:
                await self._sleep(wait)

    # -- bookkeeping -----------------------------------------------------------------------

    def notify(self) -> None:
        self._changed.set()

    def forget(self, permit: Permit) -> None:
        if self._last.get(permit.chat_id) is permit:
            if permit.previous is None:
                del self._last[permit.chat_id]
            else:
                self._last[permit.chat_id] = permit.previous
        self.notify()

    def _prune(self) -> None:
        """Drop chats whose last send no longer constrains anything."""
        now = self.now()
        interval = self.limits.chat_interval + self.limits.guard
        stale = [
            chat for chat, p in self._last.items() if p.end is not None and p.end + interval <= now
        ]
        for chat in stale:
            del self._last[chat]
        window = self.limits.group_window + self.limits.guard
        for chat, sends in list(self._groups.items()):
            _window_wait(sends, self.limits.group, window, now)
            if not sends:
                del self._groups[chat]
