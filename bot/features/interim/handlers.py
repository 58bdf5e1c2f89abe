"""/ask N [CODE] text sends a task's agencies a request for a report; /asks lists them."""

from __future__ import annotations

from bot.features.interim import render
from bot.features.requests import Command, command
from bot.features.telegram_io import number_arg, rest_of
from scheduler.usecases import interim


@command
async def ask(request: Command) -> None:
    args, typed = request.args, request.message.text or ""
    task = number_arg(args[0], prefixes="№#") if args else None
    if task is None or len(args) < 2:
        await request.say("ask.usage")
        return
    # A second word that is an agency's code names the one agency asked.
    code = args[1].upper()
    agency = code if code in request.svc.plan.agency_codes() else None
    text = rest_of(typed, 2 if agency else 1)
    answer = await interim.ask_interim(
        request.core, request.caller, task=task, agency=agency, text=text
    )
    await request.reply(answer, render.asked)


@command
async def asks(request: Command) -> None:
    answer = await interim.open_requests(request.core, request.caller)
    tz = request.svc.runtime.tz
    await request.reply(answer, lambda found, tr: render.open_requests(found, tr, tz))
