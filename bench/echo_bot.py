"""The least a python-telegram-bot process can do per message: send its text back.

``bench.replies`` runs it as ``python -m bench.echo_bot`` (with ``BOT_TOKEN`` and
``TELEGRAM_API_URL`` in the environment) on the same local Bot API server as the real bot,
to measure the framework's own ceiling: the same long polling, the same HTTP client and
the same default parse mode as Eskertu, but no database and no rendering.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def main() -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    app = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)


if __name__ == "__main__":
    main()
