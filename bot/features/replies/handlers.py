"""A message sent in reply to one of the bot's: text, a document or a photo."""

from __future__ import annotations

from bot.features.replies import render
from bot.features.requests import Command, command
from bot.features.telegram_io import evidence_of, keyboard
from scheduler.presentation import Rendered
from scheduler.refusals import Refusal
from scheduler.usecases import replies
from scheduler.usecases.status_updates import Clarify, Reply


@command
async def reply_to_bot(request: Command) -> None:
    message = request.message
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    if replied is None or author is None or author.id != request.context.bot.id:
        # In a group, a reply to another person is conversation between people, not a
        # report. A private chat is the bot's alone: a reply there to one's own message,
        # or to a forwarded one, is answered with the ways to report.
        if message.chat.type == message.chat.PRIVATE:
            await request.say("reply.not_to_bot")
        return
    reply = Reply(
        text=message.text or message.caption or "",
        replied_to=replied.message_id,
        message_id=message.message_id,
        evidence=evidence_of(message),
    )
    answer = await replies.answer_reply(request.core, request.caller, reply)
    tr, result = request.tr(answer), answer.result
    if isinstance(result, Refusal):
        await message.reply_text(request.refusal_text(tr, result))
        return
    rendered = render.answered(result, request.svc.plan, tr)
    if isinstance(result, Clarify) and isinstance(rendered, Rendered):
        # Quoting the officer's message keeps their words with the question, so the
        # button pressed later can store them verbatim.
        await message.reply_text(
            rendered.text, reply_markup=keyboard(rendered.buttons), do_quote=True
        )
        return
    await request.send(rendered)
