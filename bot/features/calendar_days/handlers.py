"""/workday, /dayoff and /officialday: correcting the working calendar."""

from __future__ import annotations

import datetime as dt

from bot.features.requests import Command, command
from bot.features.telegram_io import rest_of
from bot.i18n.catalog import Translator
from bot.wording import long_date
from scheduler.usecases.calendar_days import CalendarChanged, set_calendar_day


@command
async def working_day(request: Command) -> None:
    await _calendar_day(request, True)


@command
async def day_off(request: Command) -> None:
    await _calendar_day(request, False)


@command
async def official_day(request: Command) -> None:
    await _calendar_day(request, None)


async def _calendar_day(request: Command, working: bool | None) -> None:
    args = request.args
    try:
        day = dt.date.fromisoformat(args[0]) if args and len(args[0]) == 10 else None
    except ValueError:
        day = None
    if day is None:
        await request.say("calendar.usage")
        return
    note = rest_of(request.message.text or "", 1)
    answer = await set_calendar_day(
        request.core, request.caller, day=day, working=working, note=note
    )
    await request.reply(answer, _changed)


def _changed(result: CalendarChanged, tr: Translator) -> str:
    state = "official" if result.after is None else ("working" if result.after else "off")
    return tr(
        f"calendar.changed.{state}",
        day=long_date(result.day, tr.language),
        moved=result.moved_points,
    )
