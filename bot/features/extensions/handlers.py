"""/extend N DATE reason, the extension button under a reminder, and the controller's buttons."""

from __future__ import annotations

from bot.features.extensions import callbacks, render
from bot.features.requests import Command, Press, button, command
from bot.features.telegram_io import number_arg, rest_of
from scheduler.usecases import extensions


@command
async def extend(request: Command) -> None:
    args = request.args
    task = number_arg(args[0], prefixes="№#") if args else None
    if task is None or len(args) < 2:
        await request.say("extend.usage")
        return
    text = rest_of(request.message.text or "", 1)
    answer = await extensions.request_extension(request.core, request.caller, task=task, text=text)
    plan = request.svc.plan
    await request.reply(answer, lambda asked, tr: render.asked(asked, plan, tr))


@button(callbacks.ASK)
async def ask(press: Press) -> None:
    """The button under a reminder: the bot asks, in a message of its own, for date and reason."""
    answer = await extensions.ask_from_reminder(
        press.core, press.caller, reminder_id=int(press.fields[0])
    )
    await press.reply(answer, lambda _, tr: None, toast="prompt.toast")


@button(callbacks.APPROVE)
async def approve(press: Press) -> None:
    answer = await extensions.approve_extension(
        press.core, press.caller, request_id=int(press.fields[0])
    )
    plan = press.svc.plan
    await press.reply(
        answer, lambda decided, tr: render.decided(decided, plan, tr), toast="extension.toast"
    )


@button(callbacks.REFUSE)
async def refuse(press: Press) -> None:
    """The refuse button: the bot asks, in a message of its own, for the reason."""
    answer = await extensions.ask_refusal(press.core, press.caller, request_id=int(press.fields[0]))
    await press.reply(answer, lambda _, tr: None, toast="prompt.toast")
