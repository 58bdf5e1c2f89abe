"""What the bot says when nothing else understood the update: never silence in private."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.common import greet


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    _, tr = await greet(update, context)
    await message.reply_text(tr("fallback.unknown_command"))


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    _, tr = await greet(update, context)
    await message.reply_text(tr("fallback.private_text"))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    _, tr = await greet(update, context)
    await query.answer(tr.plain("error.stale_button"), show_alert=True)
