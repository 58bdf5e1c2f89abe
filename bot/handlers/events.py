"""/event N DATE: the date of the event a task's deadline follows, from an administrator or a
member of one of the task's agencies."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.common import command_args, greet, number_arg
from bot.render import events as render
from scheduler.usecases.event_dates import EventRecorded, record_event_date


async def event(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    task = number_arg(args[0], prefixes="№#") if args else None
    parts = (message.text or "").split(maxsplit=2)
    value = parts[2] if len(parts) > 2 else ""
    if task is None or not value.strip():
        await message.reply_text(tr("event.usage"))
        return
    result = await record_event_date(
        svc.db,
        svc.clock,
        svc.plans,
        actor=user.id,
        configured=svc.settings.admin_ids,
        task=task,
        value=value,
    )
    if isinstance(result, EventRecorded):
        svc.delivery.wake()
    await message.reply_text(render.event_reply(result, tr))
