"""Recording who writes to the bot, and their language."""

from __future__ import annotations

from scheduler.clock import Clock
from scheduler.contacts import ChatInfo, LanguagePrefs, UserInfo
from scheduler.storage.unit_of_work import Database


async def record_contact(
    db: Database, clock: Clock, user: UserInfo | None, chat: ChatInfo | None
) -> LanguagePrefs:
    """Store (or refresh) the user and the chat, and return their language choices."""
    now = clock.now()
    async with db.unit_of_work() as uow:
        if user is not None:
            await uow.contacts.save_user(user, now)
        if chat is not None:
            await uow.contacts.save_chat(chat, now)
        return await uow.contacts.language_prefs(
            user.id if user else None, chat.id if chat else None
        )


async def choose_language(
    db: Database, clock: Clock, *, user: UserInfo, chat: ChatInfo, language: str
) -> None:
    """Remember the language: a group's for the group, a private chat's for the user."""
    now = clock.now()
    async with db.unit_of_work() as uow:
        await uow.contacts.save_user(user, now)
        await uow.contacts.save_chat(chat, now)
        if chat.is_group:
            await uow.contacts.set_chat_language(chat.id, language)
        else:
            await uow.contacts.set_user_language(user.id, language)
