"""/broadcast: an administrator's message with a preview, sent on confirmation."""

from __future__ import annotations

from bot.features.broadcasts import callbacks, render
from bot.features.requests import Command, Press, button, command
from bot.features.telegram_io import rest_of
from scheduler.refusals import Refusal
from scheduler.usecases import broadcasts


@command
async def broadcast(request: Command) -> None:
    args, text = request.args, request.message.text or ""
    if not args:
        await request.say("broadcast.usage")
        return
    if args[0].lower() == "all":
        audience, target, body = "all", "", rest_of(text, 1)
    elif args[0].lower() == "task" and len(args) > 1:
        audience, target, body = "task", args[1], rest_of(text, 2)
    else:
        audience, target, body = "agency", args[0], rest_of(text, 1)
    answer = await broadcasts.draft_broadcast(
        request.core, request.caller, audience=audience, target=target, text=body
    )
    plan = request.svc.plan
    await request.reply(answer, lambda draft, tr: render.broadcast_preview(draft, body, plan, tr))


@button(callbacks.BROADCAST)
async def broadcast_decision(press: Press) -> None:
    send, draft = press.fields[0] == callbacks.SEND, int(press.fields[1])
    answer = await broadcasts.confirm_broadcast(
        press.core, press.caller, broadcast_id=draft, send=send
    )
    copies = answer.result
    if isinstance(copies, Refusal):
        await press.refuse(answer, copies)
        return
    await press.query.answer()
    key = "broadcast.queued" if send else "broadcast.cancelled"
    await press.query.edit_message_text(press.tr(answer)(key, copies=copies))
