"""/due [week|month|overdue]: the open items of the caller's agencies; the picker's buttons."""

from __future__ import annotations

from telegram import Message

from bot.features.agenda import callbacks, render
from bot.features.requests import Command, Press, button, command
from bot.features.status import render as status_render
from bot.features.telegram_io import edit_or_keep, keyboard
from scheduler.refusals import Refusal
from scheduler.usecases import agenda
from scheduler.vocabulary.control import status_of_button


@command
async def due(request: Command) -> None:
    words = [a.lower() for a in request.args]
    window = agenda.Window.OPEN
    if words:
        try:
            window = agenda.Window(words[0])
        except ValueError:
            await request.say("due.usage")
            return
    answer = await agenda.agenda(request.core, request.caller, window=window)
    plan = request.svc.plan
    await request.reply(answer, lambda found, tr: render.agenda(found, plan, tr, 0))


@button(callbacks.PAGE)
async def due_page(press: Press) -> None:
    window, page = agenda.Window(press.fields[0]), int(press.fields[1])
    answer = await agenda.agenda(press.core, press.caller, window=window)
    tr = press.tr(answer)
    rendered = render.agenda(answer.result, press.svc.plan, tr, page)
    await press.query.answer()
    await edit_or_keep(press.query, rendered.text, keyboard(rendered.buttons))


@command
async def typed_status(request: Command) -> None:
    """Text in a private chat that replies to nothing: a status offers the open items."""
    message = request.message
    answer = await agenda.pick_item(request.core, request.caller, text=message.text or "")
    tr, found = request.tr(answer), answer.result
    if isinstance(found, Refusal):
        # Not a status, or nothing open to report it for: say what the bot understands.
        await message.reply_text(tr("fallback.private_text"))
        return
    rendered = render.picker(found, request.svc.plan, tr)
    # The picker quotes the message, so the button pressed later stores its words verbatim.
    await message.reply_text(rendered.text, reply_markup=keyboard(rendered.buttons), do_quote=True)


@button(callbacks.PICK)
async def picked(press: Press) -> None:
    point_id, index, code = press.fields
    status = status_of_button(code)
    original = getattr(press.query.message, "reply_to_message", None)
    if status is None:
        return
    said = original if isinstance(original, Message) else None
    answer = await agenda.report_picked(
        press.core,
        press.caller,
        point_id=point_id,
        agency_index=int(index),
        status=status,
        text=(said.text or said.caption or "") if said else "",
        message_id=said.message_id if said else None,
    )
    plan = press.svc.plan
    await press.reply(
        answer,
        lambda recorded, tr: status_render.confirmation(recorded, plan, tr),
        toast="status.saved",
    )
