"""Sends rendered messages with python-telegram-bot and maps its errors to delivery outcomes.

The worker in ``scheduler.delivery`` decides what each outcome means; this adapter only
translates. Error texts are kept for the outbox's ``last_error``, with anything shaped like a
bot token removed, since PTB's messages can quote request URLs.

A send the Bot API accepted is Sent, even when its answer cannot be read: the bot's request
(``bot.delivery.answers.AnswerKeepingRequest``) keeps the answer, and what can be read of it
is recorded. Without that request such a send is a transient failure, as PTB reports it.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import warnings

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.error import RetryAfter as PtbRetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.delivery.answers import accepted, forget_answer
from scheduler.delivery.outcomes import (
    Blocked,
    Migrated,
    Outcome,
    Rejected,
    RetryAfter,
    Sent,
    Transient,
)
from scheduler.presentation import Rendered

log = logging.getLogger(__name__)

TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
TAGS = re.compile(r"<[^>]+>")
# Telegram's limit on a caption, in characters of its text.
CAPTION_LIMIT = 1024
TOKEN_MASK = "<token>"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def scrub(text: str) -> str:
    """``text`` with every token-shaped part masked."""
    return TOKEN_SHAPE.sub(TOKEN_MASK, text)


def _describe(error: TelegramError) -> str:
    return scrub(f"{type(error).__name__}: {error.message}")


def retry_after_seconds(error: PtbRetryAfter) -> float:
    """The wait Telegram asked for, in seconds, whichever type PTB gives it as."""
    # PTB 22 warns on every read of ``retry_after`` unless PTB_TIMEDELTA is set; the value is
    # read either way, so the warning says nothing here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = error.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"unexpected retry_after {value!r}")


def _plain(text: str) -> str:
    """What Telegram counts of an HTML text: its characters without the tags and entities."""
    return html.unescape(TAGS.sub("", text))


def _markup(message: Rendered) -> InlineKeyboardMarkup | ForceReply | None:
    if message.asks:
        return ForceReply(selective=True)
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.label, callback_data=button.data) for button in row]
            for row in message.buttons
        ]
    )


class TelegramSender:
    """The ``Sender`` port on a ``telegram.Bot`` (initialised by the caller)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, message: Rendered) -> Outcome:
        forget_answer()
        try:
            sent = await self._send(chat_id, message)
        except Exception as error:
            taken = accepted()
            if taken is None:
                return _failure(error)
            log.warning(
                "Telegram accepted the message to chat %s but its answer could not be read "
                "(%s); it is recorded as sent%s",
                chat_id,
                scrub(f"{type(error).__name__}: {error}"),
                "" if taken.message_id is None else f" as message {taken.message_id}",
            )
            return Sent(taken.message_id)
        return Sent(sent.message_id)

    async def _send(self, chat_id: int, message: Rendered) -> Message:
        attachment = message.attachment
        if attachment is not None and len(_plain(message.text)) <= CAPTION_LIMIT:
            send = self._bot.send_photo if attachment.kind == "photo" else self._bot.send_document
            return await send(
                chat_id,
                attachment.file_id,
                caption=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(message),
            )
        sent = await self._bot.send_message(
            chat_id=chat_id,
            text=message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(message),
            link_preview_options=NO_PREVIEW,
        )
        if attachment is not None:
            # Too long for a caption: the file follows as a reply. Telegram has the message
            # already, so a failure here is logged rather than sent again.
            try:
                await self._bot.send_document(
                    chat_id, attachment.file_id, reply_to_message_id=sent.message_id
                )
            except TelegramError as error:
                log.warning(
                    "the file of outbox message %s did not follow: %s",
                    sent.message_id,
                    _describe(error),
                )
        return sent


def _failure(error: Exception) -> Outcome:
    """The outcome of a send PTB raised for, Telegram not having accepted it."""
    match error:
        case PtbRetryAfter():
            return RetryAfter(retry_after_seconds(error))
        case ChatMigrated():
            return Migrated(int(error.new_chat_id))
        case Forbidden():
            return Blocked(_describe(error))
        # BadRequest is a NetworkError in PTB, so it must come before it.
        case BadRequest():
            return Rejected(_describe(error))
        case TimedOut() | NetworkError():
            return Transient(_describe(error))
        case TelegramError():
            # InvalidToken, Conflict and the like: a setup problem that may be fixed, so the
            # message waits with backoff instead of being dropped.
            return Transient(_describe(error))
    raise error
