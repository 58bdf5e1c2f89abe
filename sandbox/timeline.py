"""The sandbox's clock control: jumps forward, with the bot doing on the way what it would do.

A jump does not leap over the bot's work. It stops at every send instant on the way (each
working day's reminder time, and the weekly digest's moment), runs the tick there at once and
waits until the bot has sent what came due, then goes on. So a week's jump delivers each
day's reminders, nudges and escalations as fresh ones, in order, exactly as a bot running
through that week would have sent them, instead of recording them as missed after a downtime.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
from dataclasses import dataclass

from bot.jobs import run_tick, run_weekly_digest
from bot.services import Services
from scheduler.clock import RunningClock
from scheduler.reports.digest import WEEKDAYS
from scheduler.usecases.administration import all_admins
from scheduler.usecases.health import outbox_depth
from scheduler.usecases.upcoming import next_reminder

log = logging.getLogger("eskertu.sandbox")

# How long a stop waits for the bot to send what came due before it goes on regardless.
SETTLE_TIMEOUT = 30.0
SETTLE_POLL = 0.05


class Jump(enum.StrEnum):
    """The jumps the page offers."""

    NEXT_REMINDER = "next-reminder"
    WORKING_DAY = "working-day"
    WEEK = "week"


@dataclass(frozen=True)
class JumpResult:
    """Where a jump started and ended; ``moved`` is False when there was nowhere to go."""

    jump: Jump
    before: dt.datetime
    after: dt.datetime
    stops: int

    @property
    def moved(self) -> bool:
        return self.after > self.before


class Timeline:
    """Moves the sandbox's clock and lets the bot catch up; one jump at a time."""

    def __init__(self, svc: Services, clock: RunningClock) -> None:
        self._svc = svc
        self._clock = clock
        self._lock = asyncio.Lock()

    @property
    def clock(self) -> RunningClock:
        return self._clock

    async def jump(self, jump: Jump) -> JumpResult:
        async with self._lock:
            before = self._clock.now()
            target = await self.target(jump, before)
            if target is None:
                return JumpResult(jump, before, before, 0)
            stops = self.stops(before, target)
            for instant in stops:
                self._forward_to(instant)
                await self._settle()
            self._forward_to(target)
            await self._settle()
            after = self._clock.now()
            log.info("sandbox clock moved from %s to %s", before.isoformat(), after.isoformat())
            return JumpResult(jump, before, after, len(stops))

    async def target(self, jump: Jump, now: dt.datetime) -> dt.datetime | None:
        """Where ``jump`` goes from ``now``: None when no reminder is left to go to."""
        runtime = self._svc.runtime
        tz = runtime.tz
        local = now.astimezone(tz)
        if jump is Jump.NEXT_REMINDER:
            admins = await all_admins(self._svc.core)
            return await next_reminder(self._svc.db, runtime, now, admins)
        if jump is Jump.WORKING_DAY:
            day = runtime.calendar.add_working_days(local.date(), 1)
        else:
            day = local.date() + dt.timedelta(days=7)
        wall = local.time().replace(tzinfo=None)
        return dt.datetime.combine(day, wall, tzinfo=tz).astimezone(dt.UTC)

    def stops(self, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """The instants in ``(start, end)`` at which the bot has work: waves and the digest."""
        runtime = self._svc.runtime
        schedule = runtime.schedule
        settings = self._svc.settings
        found = {schedule.send_instant(day) for day in schedule.wave_days(start, end)}
        day = start.astimezone(runtime.tz).date()
        while day <= end.astimezone(runtime.tz).date():
            if WEEKDAYS[day.weekday()] == settings.digest_weekday:
                local = dt.datetime.combine(day, settings.digest_time, tzinfo=runtime.tz)
                found.add(local.astimezone(dt.UTC))
            day += dt.timedelta(days=1)
        return sorted(moment for moment in found if start < moment < end)

    def _forward_to(self, moment: dt.datetime) -> None:
        # The clock runs while the bot works, so a stop may already lie a moment behind.
        if moment > self._clock.now():
            self._clock.jump_to(moment)

    async def _settle(self) -> None:
        """Run the bot's periodic work now, and wait until it has sent what came due."""
        await run_tick(self._svc)
        await run_weekly_digest(self._svc)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        while await outbox_depth(self._svc.db) > 0:
            if loop.time() > deadline:
                log.warning("sandbox: the outbox did not drain within %.0f s", SETTLE_TIMEOUT)
                return
            await asyncio.sleep(SETTLE_POLL)
