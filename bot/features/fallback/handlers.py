"""What the bot says when nothing else understood the update: never silence in private."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.features.requests import Command, command
from bot.features.telegram_io import caller_of
from bot.services import services
from scheduler.usecases.core import languages


@command
async def unknown_command(request: Command) -> None:
    await request.say("fallback.unknown_command")


@command
async def private_text(request: Command) -> None:
    await request.say("fallback.private_text")


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button whose data no handler takes: an old message, or a forged press."""
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    tr = svc.tr(await languages(svc.core, caller_of(update)))
    await query.answer(tr.plain("error.stale_button"), show_alert=True)
