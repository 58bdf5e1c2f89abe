"""Small pieces the handlers share: recording the contact, keyboards, group-admin checks."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import (
    CallbackQuery,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.convert import chat_info, user_info
from bot.i18n.catalog import Translator
from bot.services import Services, services
from scheduler.delivery.outcomes import Button
from scheduler.usecases.contacts import record_contact


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


async def greet(
    update: Update, context: ContextTypes.DEFAULT_TYPE, *, force: bool = False
) -> tuple[Services, Translator]:
    """Record who wrote and where, and return the services and the reader's translator."""
    svc = services(context)
    prefs = await record_contact(
        svc.db,
        svc.clock,
        user_info(update.effective_user),
        chat_info(update.effective_chat),
        svc.contacts,
        force=force,
    )
    return svc, svc.translator(prefs)


async def edit_or_keep(
    query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show ``text`` in the button's message; a second press of the same button changes nothing.

    Telegram refuses an edit that leaves the message as it is, and a double tap does just that.
    """
    try:
        await query.edit_message_text(text, reply_markup=reply_markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def is_group_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender administers the group; a private chat is its user's own."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == chat.PRIVATE:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        return False
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def command_args(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    return list(context.args or [])


# The database keeps its own row ids in 32 bits and Telegram's ids in 64: a longer number
# names nothing there, and passing it on would fail in the database instead of answering.
ROW_ID_MAX = 2**31 - 1
TELEGRAM_ID_MAX = 2**63 - 1
# An argument quoted back in a reply is cut to this, so the reply stays within Telegram's limit.
ECHO_LIMIT = 64


def number_arg(
    text: str, *, limit: int = ROW_ID_MAX, prefixes: str = "", signed: bool = False
) -> int | None:
    """The whole number a user typed or a button carries, or None when it is not one.

    Only ASCII digits count: ``str.isdigit`` also accepts superscripts and other digits
    that ``int`` refuses. ``prefixes`` are marks allowed in front (``№6``, ``#6``).
    """
    body = text.lstrip(prefixes) if prefixes else text
    negative = signed and body.startswith("-")
    if negative:
        body = body[1:]
    if not (body.isascii() and body.isdigit()) or len(body) > len(str(limit)):
        return None
    value = int(body)
    if value > limit:
        return None
    return -value if negative else value


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """What the user typed, cut short enough to quote back."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
