"""GET /healthz: the database answers and reminders are being planned, or which part is not.

Two views of the tick are checked. The shared one (``reminders.last_tick`` in the
database) shows that some instance plans; this instance's own shows that its scheduler
still runs. Each must be within three tick intervals of now; an instance that started
less than that ago is given the time for its first tick.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.ticks import TickObserver
from bot.webhook.metrics import Metrics
from scheduler.clock import Clock
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.health import health_facts

log = logging.getLogger("eskertu.webhook")

# A probe that hangs is worse than one that fails.
DATABASE_TIMEOUT = 5.0


class HealthProbe:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        tick_seconds: int,
        ticks: TickObserver,
        metrics: Metrics,
    ) -> None:
        self._db = db
        self._clock = clock
        self._stale_after = dt.timedelta(seconds=3 * tick_seconds)
        self._ticks = ticks
        self._metrics = metrics

    async def handle(self, request: Request) -> JSONResponse:
        body, failing = await self.report()
        return JSONResponse(body, status_code=503 if failing else 200)

    async def report(self) -> tuple[dict[str, Any], list[str]]:
        now = self._clock.now()
        failing: list[str] = []
        body: dict[str, Any] = {"status": "ok", "database": "ok", "last_tick": None}
        try:
            facts = await asyncio.wait_for(health_facts(self._db), DATABASE_TIMEOUT)
        except Exception as exc:
            log.warning("health probe: the database did not answer (%s)", type(exc).__name__)
            body["database"] = f"error: {type(exc).__name__}"
            body["outbox_depth"] = None
            failing.append("database")
        else:
            body["last_tick"] = _iso(facts.last_tick)
            body["outbox_depth"] = facts.outbox_depth
            self._metrics.outbox_depth.set(facts.outbox_depth)
            if not self._fresh(facts.last_tick, now):
                failing.append("last_tick")
        body["instance_last_tick"] = _iso(self._ticks.last_tick)
        # An instance that has just started has not had the chance to tick yet.
        if not self._fresh(self._ticks.last_tick or self._ticks.watching_since, now):
            failing.append("instance_last_tick")
        if failing:
            body["status"] = "fail"
            body["failing"] = failing
        return body, failing

    def _fresh(self, moment: dt.datetime | None, now: dt.datetime) -> bool:
        return moment is not None and now - moment <= self._stale_after


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
