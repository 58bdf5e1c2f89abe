"""Status reports in chat: answer buttons, replies to reminders, /done and /status, undo."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.handlers.common import command_args, greet, keyboard, number_arg
from bot.i18n.catalog import Translator
from bot.render import status as render
from bot.render.reminder import STATUS_BY_CODE
from bot.services import Services
from scheduler.delivery.outcomes import Button
from scheduler.statuses import classify
from scheduler.usecases.reporting import (
    STATUSES,
    Evidence,
    Recorded,
    Report,
    UndoResult,
    reminder_for_message,
    report_status,
    undo_status,
)

CODE_BY_STATUS = {status: code for code, status in STATUS_BY_CODE.items()}
STATUS_WORDS = {
    "done": "done",
    "in_progress": "in_progress",
    "progress": "in_progress",
    "problem": "problem",
    "postponed": "postponed",
}


async def _answer(message: Message, svc: Services, tr: Translator, result: object) -> None:
    if isinstance(result, Recorded):
        rendered = render.confirmation(result, svc.plan, tr)
        await message.reply_text(rendered.text, reply_markup=keyboard(rendered.buttons))
    else:
        await message.reply_text(render.refusal(result, tr))  # type: ignore[arg-type]


async def done_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    task = number_arg(args[0], prefixes="№#") if args else None
    if task is None:
        await message.reply_text(tr("done.usage"))
        return
    report = Report(
        user_id=user.id,
        chat_id=message.chat.id,
        status="done",
        text=message.text or "",
        source="command",
        task=task,
        message_id=message.message_id,
    )
    await _answer(message, svc, tr, await report_status(svc.db, svc.clock, svc.runtime, report))


async def status_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    status = STATUS_WORDS.get(args[1].lower()) if len(args) >= 2 else None
    task = number_arg(args[0], prefixes="№#") if args else None
    if task is None or status is None:
        await message.reply_text(tr("status.usage"))
        return
    report = Report(
        user_id=user.id,
        chat_id=message.chat.id,
        status=status,
        text=message.text or "",
        source="command",
        task=task,
        message_id=message.message_id,
    )
    await _answer(message, svc, tr, await report_status(svc.db, svc.clock, svc.runtime, report))


async def status_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under a reminder ("st:<reminder>:<status>") or under a question ("cl:…")."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None or query.message is None:
        return
    svc, tr = await greet(update, context)
    kind, _, rest = query.data.partition(":")
    item, _, code = rest.partition(":")
    status = STATUS_BY_CODE.get(code)
    reminder_id = number_arg(item)
    chat_id = query.message.chat.id
    if status is None or reminder_id is None:
        await query.answer(tr.plain("error.stale_button"), show_alert=True)
        return
    text, evidence, message_id = tr.plain(f"button.{status}"), None, query.message.message_id
    original = getattr(query.message, "reply_to_message", None)
    if kind == "cl" and isinstance(original, Message):
        # The question replied to the officer's own message: that text is what they said.
        text = original.text or original.caption or ""
        evidence = _evidence(original)
        message_id = original.message_id
    report = Report(
        user_id=user.id,
        chat_id=chat_id,
        status=status,
        text=text,
        source="button",
        reminder_id=reminder_id,
        message_id=message_id,
        evidence=evidence,
    )
    result = await report_status(svc.db, svc.clock, svc.runtime, report)
    if isinstance(result, Recorded):
        await query.answer(tr.plain("status.saved"))
        rendered = render.confirmation(result, svc.plan, tr)
        await context.bot.send_message(
            chat_id, rendered.text, reply_markup=keyboard(rendered.buttons)
        )
    else:
        await query.answer(render.refusal(result, tr)[:190], show_alert=True)


async def undo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    svc, tr = await greet(update, context)
    status_id = number_arg(query.data.partition(":")[2])
    if status_id is None:
        await query.answer(tr.plain("error.stale_button"), show_alert=True)
        return
    result, _ = await undo_status(svc.db, svc.clock, status_id=status_id, user_id=user.id)
    await query.answer(tr.plain(f"undo.{result}"), show_alert=result is not UndoResult.UNDONE)
    if result is UndoResult.UNDONE:
        await query.edit_message_text(tr("undo.done"))


async def reply_to_bot(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text, a document or a photo sent as a reply to one of the bot's messages."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return
    author = message.reply_to_message.from_user
    if author is None or author.id != context.bot.id:
        # A reply to another person is conversation between people, not a report.
        return
    svc, tr = await greet(update, context)
    target = message.reply_to_message.message_id
    text = message.text or message.caption or ""
    evidence = _evidence(message)
    reading = classify(text) if text.strip() else None
    if reading is None or reading.status is None:
        if evidence is None and reading is None:
            await message.reply_text(tr("clarify.unclear"))
            return
        item_id = await reminder_for_message(svc.db, message.chat.id, target)
        if item_id is None:
            await message.reply_text(tr("status.not_a_reminder"))
            return
        candidates = list(reading.candidates) if reading else []
        options = [
            s for s in STATUSES if s in CODE_BY_STATUS and (not candidates or s in candidates)
        ]
        buttons = (
            tuple(
                Button(tr.plain(f"button.{s}"), f"cl:{item_id}:{CODE_BY_STATUS[s]}")
                for s in options
            ),
        )
        # Quoting the officer's message keeps their words with the question, so the
        # button pressed later can store them verbatim.
        await message.reply_text(
            render.clarify_question(tr, [str(c) for c in candidates]),
            reply_markup=keyboard(buttons),
            do_quote=True,
        )
        return
    report = Report(
        user_id=user.id,
        chat_id=message.chat.id,
        status=str(reading.status),
        text=text,
        source="reply",
        reminder_message=target,
        message_id=message.message_id,
        evidence=evidence,
    )
    await _answer(message, svc, tr, await report_status(svc.db, svc.clock, svc.runtime, report))


def _evidence(message: Message) -> Evidence | None:
    if message.document is not None:
        return Evidence("document", message.document.file_id, message.document.file_name)
    if message.photo:
        return Evidence("photo", message.photo[-1].file_id, None)
    return None
