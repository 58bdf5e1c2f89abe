"""Watching this instance's planning tick: how often it runs, how long it takes, when it last ran.

The tick job is scheduled by the composition root under a fixed name; the observer wraps
that job's callback once, before the job queue starts, so every run is timed. The time of
the last good run is the instance's own view of the tick, beside the shared one in the
database (which only the instance holding the planning lock writes).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.webhook.metrics import Metrics
from scheduler.clock import Clock

TICK_JOB_NAME = "eskertu-tick"


class TickObserver:
    def __init__(self, metrics: Metrics, clock: Clock) -> None:
        self._metrics = metrics
        self._clock = clock
        self.last_tick: dt.datetime | None = None
        self.watching_since: dt.datetime | None = None

    def attach(self, app: Application[Any, Any, Any, Any, Any, Any]) -> int:
        """Wrap the tick job(s) of ``app``; returns how many were found."""
        self.watching_since = self._clock.now()
        if app.job_queue is None:
            return 0
        jobs = app.job_queue.get_jobs_by_name(TICK_JOB_NAME)
        for job in jobs:
            job.callback = self._timed(job.callback)
        return len(jobs)

    def _timed(self, callback: Any) -> Any:
        async def timed(context: CallbackContext[Any, Any, Any, Any]) -> None:
            started = time.perf_counter()
            try:
                await callback(context)
            except Exception:
                self._metrics.ticks.labels(result="error").inc()
                raise
            finally:
                self._metrics.tick_duration.observe(time.perf_counter() - started)
            self._metrics.ticks.labels(result="ok").inc()
            self.last_tick = self._clock.now()

        return timed
