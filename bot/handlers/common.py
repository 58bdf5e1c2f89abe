"""Small pieces the handlers share: recording the contact, keyboards, group-admin checks."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
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


async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Services, Translator]:
    """Record who wrote and where, and return the services and the reader's translator."""
    svc = services(context)
    prefs = await record_contact(
        svc.db, svc.clock, user_info(update.effective_user), chat_info(update.effective_chat)
    )
    return svc, svc.translator(prefs)


def message_of(update: Update) -> Message | None:
    return update.effective_message


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
