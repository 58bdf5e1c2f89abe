"""The snooze buttons under a reminder."""

from __future__ import annotations

from bot.features.reminders import callbacks, render
from bot.features.requests import Press, button
from scheduler.usecases import snoozes


@button(callbacks.SNOOZE)
async def snooze(press: Press) -> None:
    reminder, days = int(press.fields[0]), int(press.fields[1])
    answer = await snoozes.snooze(press.core, press.caller, reminder_id=reminder, working_days=days)
    plan = press.svc.plan
    await press.reply(answer, lambda snoozed, tr: render.snoozed(snoozed, plan, tr))
