"""Status reports in chat: answer buttons, replies to reminders, /done and /status, undo."""

from __future__ import annotations

from telegram import CallbackQuery, Message

from bot.features.requests import Command, Press, button, command
from bot.features.status import callbacks, render
from bot.features.telegram_io import keyboard, number_arg
from scheduler.refusals import Refusal
from scheduler.usecases import status_updates as updates
from scheduler.vocabulary.control import Source, Status, status_named, status_of_button


@command
async def done_command(request: Command) -> None:
    await _command(request, Status.DONE, "done.usage")


@command
async def status_command(request: Command) -> None:
    args = request.args
    await _command(request, status_named(args[1]) if len(args) >= 2 else None, "status.usage")


async def _command(request: Command, status: Status | None, usage: str) -> None:
    args, message = request.args, request.message
    task = number_arg(args[0], prefixes="№#") if args else None
    if task is None or status is None:
        await request.say(usage)
        return
    report = updates.Report(
        status=status,
        text=message.text or "",
        source=Source.COMMAND,
        task=task,
        message_id=message.message_id,
    )
    answer = await updates.report_status(request.core, request.caller, report)
    await request.reply(
        answer, lambda recorded, tr: render.confirmation(recorded, request.svc.plan, tr)
    )


async def _status_button(press: Press, *, clarifying: bool) -> None:
    """An answer button under a reminder, or under the question about an unclear reply."""
    query = press.query
    status = status_of_button(press.fields[1])
    if query.message is None or status is None:
        return
    # What the officer said is the button they pressed, as it read to them.
    text, evidence, message_id = _pressed_label(query), None, query.message.message_id
    original = getattr(query.message, "reply_to_message", None)
    if clarifying and isinstance(original, Message):
        # The question replied to the officer's own message: that text is what they said.
        text = original.text or original.caption or ""
        evidence = _evidence(original)
        message_id = original.message_id
    report = updates.Report(
        status=status,
        text=text,
        source=Source.BUTTON,
        reminder_id=int(press.fields[0]),
        message_id=message_id,
        evidence=evidence,
        asked_after=int(press.fields[2]) if clarifying else None,
    )
    answer = await updates.report_status(press.core, press.caller, report)
    tr, result = press.tr(answer), answer.result
    if isinstance(result, Refusal):
        await query.answer(press.refusal_text(tr, result, plain=True)[:190], show_alert=True)
        return
    await query.answer(tr.plain("status.saved"))
    rendered = render.confirmation(result, press.svc.plan, tr)
    await press.context.bot.send_message(
        query.message.chat.id, rendered.text, reply_markup=keyboard(rendered.buttons)
    )


@button(callbacks.ANSWER)
async def answer_button(press: Press) -> None:
    await _status_button(press, clarifying=False)


@button(callbacks.CLARIFY)
async def clarify_button(press: Press) -> None:
    await _status_button(press, clarifying=True)


@button(callbacks.UNDO)
async def undo(press: Press) -> None:
    answer = await updates.undo_status(press.core, press.caller, status_id=int(press.fields[0]))
    tr, result = press.tr(answer), answer.result
    await press.query.answer(
        tr.plain(f"undo.{result}"), show_alert=result is not updates.UndoResult.UNDONE
    )
    if result is updates.UndoResult.UNDONE:
        await press.query.edit_message_text(tr("undo.done"))


@command
async def reply_to_bot(request: Command) -> None:
    """Free text, a document or a photo sent as a reply to one of the bot's messages."""
    message = request.message
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    if replied is None or author is None or author.id != request.context.bot.id:
        # A reply to another person is conversation between people, not a report.
        return
    reply = updates.Reply(
        text=message.text or message.caption or "",
        replied_to=replied.message_id,
        message_id=message.message_id,
        evidence=_evidence(message),
    )
    answer = await updates.answer_reply(request.core, request.caller, reply)
    tr, result = request.tr(answer), answer.result
    if isinstance(result, Refusal):
        await message.reply_text(request.refusal_text(tr, result))
    elif isinstance(result, updates.Clarify):
        question = render.question(result, tr)
        # Quoting the officer's message keeps their words with the question, so the
        # button pressed later can store them verbatim.
        await message.reply_text(
            question.text, reply_markup=keyboard(question.buttons), do_quote=True
        )
    else:
        await request.send(render.confirmation(result, request.svc.plan, tr))


def _pressed_label(query: CallbackQuery) -> str:
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    for row in markup.inline_keyboard if markup else ():
        for pressed in row:
            if pressed.callback_data == query.data:
                return pressed.text
    return query.data or ""


def _evidence(message: Message) -> updates.Evidence | None:
    if message.document is not None:
        return updates.Evidence("document", message.document.file_id, message.document.file_name)
    if message.photo:
        return updates.Evidence("photo", message.photo[-1].file_id, None)
    return None
