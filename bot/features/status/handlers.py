"""Status reports in chat: the answer buttons, /done and /status, undo."""

from __future__ import annotations

from telegram import CallbackQuery, Message

from bot.features.requests import Command, Press, button, command
from bot.features.status import callbacks, render
from bot.features.telegram_io import evidence_of, number_arg
from scheduler.usecases import replies
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
    """An answer button under a reminder or an interim request, or under the question
    about an unclear reply."""
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
        evidence = evidence_of(original)
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
    answer = await replies.answer_button(press.core, press.caller, report)
    plan = press.svc.plan
    await press.reply(
        answer, lambda recorded, tr: render.confirmation(recorded, plan, tr), toast="status.saved"
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


def _pressed_label(query: CallbackQuery) -> str:
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    for row in markup.inline_keyboard if markup else ():
        for pressed in row:
            if pressed.callback_data == query.data:
                return pressed.text
    return query.data or ""
