"""Watching this instance's planning tick: how often it runs, how long it takes, when it last ran.

The tick job reports each run to the observer the composition root gave it. The time of
the last good run is the instance's own view of the tick, beside the shared one in the
database (which only the instance holding the planning lock writes); the webhook's
health probe reads both.
"""

from __future__ import annotations

import datetime as dt

from bot.webhook.metrics import Metrics
from scheduler.clock import Clock


class TickObserver:
    def __init__(self, metrics: Metrics, clock: Clock) -> None:
        self._metrics = metrics
        self._clock = clock
        self.last_tick: dt.datetime | None = None
        self.watching_since: dt.datetime | None = None

    def watch(self) -> None:
        """The tick is scheduled: from now on, a missing run is worth reporting."""
        self.watching_since = self._clock.now()

    def ran(self, seconds: float, *, ok: bool) -> None:
        """One run took ``seconds``; ``ok`` unless it raised."""
        self._metrics.tick_duration.observe(seconds)
        self._metrics.ticks.labels(result="ok" if ok else "error").inc()
        if ok:
            self.last_tick = self._clock.now()
