"""Recording who writes to the bot and where, and the language each of them chose."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from scheduler.participants import Caller, LanguagePrefs
from scheduler.storage.unit_of_work import UnitOfWork


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


async def save_contact(
    uow: UnitOfWork, caller: Caller, memory: ContactMemory, now: dt.datetime
) -> tuple[LanguagePrefs, list[tuple[object, object]]]:
    """Write the caller's user and chat where they changed; their languages, and what was written.

    The caller remembers what was written once the transaction has committed.
    """
    written = await write_contact(uow, caller, memory, now)
    prefs = await uow.contacts.language_prefs(caller.user_id, caller.chat_id)
    return prefs, written


async def write_contact(
    uow: UnitOfWork, caller: Caller, memory: ContactMemory, now: dt.datetime
) -> list[tuple[object, object]]:
    """Write the caller's user and chat where they changed; what was written, to remember."""
    written: list[tuple[object, object]] = []
    user, chat = caller.user, caller.chat
    if user is not None and (caller.returning or not memory.unchanged(("u", user.id), user, now)):
        await uow.contacts.save_user(user, now)
        written.append((("u", user.id), user))
    if chat is not None and (caller.returning or not memory.unchanged(("c", chat.id), chat, now)):
        await uow.contacts.save_chat(chat, now)
        written.append((("c", chat.id), chat))
    return written
