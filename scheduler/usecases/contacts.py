"""Recording who writes to the bot, and their language."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from scheduler.clock import Clock
from scheduler.contacts import ChatInfo, LanguagePrefs, UserInfo
from scheduler.storage.unit_of_work import Database


class ContactMemory:
    """What this process wrote lately about each user and chat.

    Every update names its sender and chat; writing them on each one would double the
    writes of a busy chat for nothing. A contact is written again when it changed, or
    when ``refresh`` has passed so that "last seen" stays roughly true.
    """

    def __init__(self, refresh: dt.timedelta = dt.timedelta(minutes=10), size: int = 50_000):
        self._refresh = refresh
        self._size = size
        self._seen: OrderedDict[object, tuple[object, dt.datetime]] = OrderedDict()

    def unchanged(self, key: object, value: object, now: dt.datetime) -> bool:
        found = self._seen.get(key)
        return found is not None and found[0] == value and now - found[1] < self._refresh

    def remember(self, key: object, value: object, now: dt.datetime) -> None:
        self._seen[key] = (value, now)
        self._seen.move_to_end(key)
        while len(self._seen) > self._size:
            self._seen.popitem(last=False)

    def forget(self, key: object) -> None:
        self._seen.pop(key, None)


async def record_contact(
    db: Database,
    clock: Clock,
    user: UserInfo | None,
    chat: ChatInfo | None,
    memory: ContactMemory | None = None,
    *,
    force: bool = False,
) -> LanguagePrefs:
    """Store (or refresh) the user and the chat, and return their language choices."""
    now = clock.now()
    memory = memory or ContactMemory(refresh=dt.timedelta(0))
    write_user = user is not None and (force or not memory.unchanged(("u", user.id), user, now))
    write_chat = chat is not None and (force or not memory.unchanged(("c", chat.id), chat, now))
    async with db.unit_of_work() as uow:
        if write_user and user is not None:
            await uow.contacts.save_user(user, now)
        if write_chat and chat is not None:
            await uow.contacts.save_chat(chat, now)
        prefs = await uow.contacts.language_prefs(
            user.id if user else None, chat.id if chat else None
        )
    if write_user and user is not None:
        memory.remember(("u", user.id), user, now)
    if write_chat and chat is not None:
        memory.remember(("c", chat.id), chat, now)
    return prefs


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
