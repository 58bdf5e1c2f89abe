"""Small pieces of Telegram I/O the features share: who wrote, keyboards, arguments, edits."""

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
from scheduler.participants import Caller
from scheduler.presentation import Button

# The database keeps its own row ids in 32 bits and Telegram's ids in 64: a longer number
# names nothing there, and passing it on would fail in the database instead of answering.
ROW_ID_MAX = 2**31 - 1
TELEGRAM_ID_MAX = 2**63 - 1


def caller_of(update: Update, *, returning: bool = False) -> Caller:
    """Who sent ``update`` and where, as the core describes them."""
    return Caller(user_info(update.effective_user), chat_info(update.effective_chat), returning)


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


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


async def group_admin_names(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, ...]:
    """The names of a group's human administrators, to say who decides for it; () if unknown."""
    chat = update.effective_chat
    if chat is None or chat.type == chat.PRIVATE:
        return ()
    try:
        admins = await context.bot.get_chat_administrators(chat.id)
    except TelegramError:
        return ()
    return tuple(member.user.full_name for member in admins if not member.user.is_bot)


def command_args(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    return list(context.args or [])


def rest_of(text: str, words: int) -> str:
    """The text after the command and its first ``words`` arguments, kept as typed."""
    parts = text.split(maxsplit=words + 1)
    return parts[words + 1] if len(parts) > words + 1 else ""


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
