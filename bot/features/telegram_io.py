"""Small pieces of Telegram I/O the features share: who wrote, keyboards, arguments, edits,
and reading a document with a bound on its size.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from telegram import (
    CallbackQuery,
    ChatMember,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import BaseHandler, ContextTypes

from bot.convert import (
    TELEGRAM_ID_LIMIT,
    chat_info,
    foreign_ids_of,
    log_dropped,
    names_foreign_id,
    user_info,
)
from scheduler.participants import Caller
from scheduler.presentation import Button
from scheduler.uploads import TooLarge, read_bounded
from scheduler.usecases.status_updates import Evidence

# The database keeps its own row ids in 32 bits, and Telegram's ids have at most 52: a
# longer number names nothing, and passing it on would fail in the database instead of
# answering.
ROW_ID_MAX = 2**31 - 1
TELEGRAM_ID_MAX = TELEGRAM_ID_LIMIT - 1
# A document's download may take a while, but not forever.
DOWNLOAD_TIMEOUT = 60.0


def evidence_of(message: Message) -> Evidence | None:
    """The document or photo a message carries, as a report's evidence."""
    if message.document is not None:
        return Evidence("document", message.document.file_id, message.document.file_name)
    if message.photo:
        return Evidence("photo", message.photo[-1].file_id, None)
    return None


def caller_of(update: Update, *, returning: bool = False) -> Caller:
    """Who sent ``update`` and where, as the core describes them."""
    return Caller(user_info(update.effective_user), chat_info(update.effective_chat), returning)


class ForeignIds(BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]):
    """Takes the updates that name an id Telegram never gives, and drops them with a log line.

    First in the handler list, so that no handler turns such an id into a caller.
    """

    def __init__(self) -> None:
        super().__init__(self._drop)

    def check_update(self, update: object) -> bool:
        return isinstance(update, Update) and names_foreign_id(update)

    @staticmethod
    async def _drop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        log_dropped(update.update_id, foreign_ids_of(update))


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


async def read_document(document: Document, limit: int) -> bytes:
    """The document's bytes, counted as they arrive: :class:`TooLarge` past ``limit``.

    The size the update gives is not trusted; the download stops at the first chunk past
    the limit. A self-hosted Bot API server in local mode names a file on its disk instead.
    """
    file = await document.get_file()
    where = str(file.file_path or "")
    if not where.startswith(("http://", "https://")):
        return await asyncio.to_thread(_read_local, Path(where), limit)
    parts = urlsplit(where)
    url = urlunsplit(parts._replace(path=quote(parts.path)))
    async with (
        httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT) as client,
        client.stream("GET", url) as response,
    ):
        response.raise_for_status()
        return await read_bounded(response.aiter_bytes(), limit)


def _read_local(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(limit)
    return data
