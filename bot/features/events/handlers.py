"""/event N DATE: the date of the event a task's deadline follows, from an administrator or a
member of one of the task's agencies; previewed like every plan change, put in force on
confirmation."""

from __future__ import annotations

from bot.features.plan_changes.handlers import reply_proposal
from bot.features.requests import Command, command
from bot.features.telegram_io import number_arg, rest_of
from scheduler.usecases.event_dates import record_event_date


@command
async def event(request: Command) -> None:
    args = request.args
    task = number_arg(args[0], prefixes="№#") if args else None
    value = rest_of(request.message.text or "", 1)
    if task is None or not value.strip():
        await request.say("event.usage")
        return
    answer = await record_event_date(request.core, request.caller, task=task, value=value)
    await reply_proposal(request, answer)
