"""The error handler: log what went wrong, and tell the user in their language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.features.telegram_io import caller_of
from bot.services import services
from scheduler.usecases.core import languages

log = logging.getLogger("eskertu.errors")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update is None:
        # Scheduled jobs (the tick, the digest) have no update; they run again on schedule.
        log.error("error in a scheduled job; it will run again", exc_info=context.error)
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_message is None:
        return
    svc = services(context)
    tr = svc.catalog.for_language(svc.settings.default_language)
    try:
        tr = svc.tr(await languages(svc.core, caller_of(update)))
    except Exception:  # The database may be what failed: then the default language will do.
        log.warning("could not read the user's language for the error message", exc_info=True)
    try:
        await update.effective_message.reply_text(tr("error.internal"))
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)
