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
    # A second word that names an agency (its code in any language) is the one agency asked.
    agency = request.svc.runtime.agency(args[1])
    text = rest_of(typed, 2 if agency else 1)
    answer = await interim.ask_interim(
        request.core, request.caller, task=task, agency=agency, text=text
    )
    plan = request.svc.plan
    await request.reply(answer, lambda asked, tr: render.asked(asked, plan, tr))


@command
async def asks(request: Command) -> None:
    answer = await interim.open_requests(request.core, request.caller)
    plan, tz = request.svc.plan, request.svc.runtime.tz
    await request.reply(answer, lambda found, tr: render.open_requests(found, plan, tr, tz))
