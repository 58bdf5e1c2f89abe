"""Repository of users and chats. It never commits: the unit of work does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.participants import ChatInfo, LanguagePrefs, UserInfo, interface_language
from scheduler.storage.tables import ChatRow, UserRow, table_of
from scheduler.storage.writes import upsert

# Read for every update: built once, so that each read only binds its id, and on the tables'
# plain columns, which spares the ORM's handling of each execution and its result.
_USERS, _CHATS = table_of(UserRow).c, table_of(ChatRow).c
_USER_LANGUAGES = select(_USERS.language, _USERS.telegram_language).where(
    _USERS.id == bindparam("user")
)
_CHAT_LANGUAGE = select(_CHATS.language).where(_CHATS.id == bindparam("chat"))
_USERS_LANGUAGES = select(_USERS.id, _USERS.language, _USERS.telegram_language).where(
    _USERS.id.in_(bindparam("users", expanding=True))
)
_CHATS_LANGUAGES = select(_CHATS.id, _CHATS.language).where(
    _CHATS.id.in_(bindparam("chats", expanding=True))
)


class ContactsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_user(self, user: UserInfo, now: dt.datetime) -> None:
        await upsert(
            self._session,
            UserRow,
            {
                "id": user.id,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "username": user.username,
                "telegram_language": user.language_code,
                "first_seen": now,
                "last_seen": now,
            },
            key=["id"],
            keep=["first_seen"],
        )

    async def save_chat(self, chat: ChatInfo, now: dt.datetime) -> None:
        await upsert(
            self._session,
            ChatRow,
            {
                "id": chat.id,
                "type": chat.type,
                "title": chat.title,
                "active": True,
                "first_seen": now,
                "last_seen": now,
            },
            key=["id"],
            keep=["first_seen"],
        )

    async def language_prefs(self, user_id: int | None, chat_id: int | None) -> LanguagePrefs:
        """The user's and the chat's chosen languages; Telegram's only in a private chat."""
        user_lang = chat_lang = telegram = None
        private = chat_id is None or chat_id == user_id
        if user_id is not None:
            found = (await self._session.execute(_USER_LANGUAGES, {"user": user_id})).first()
            if found is not None:
                user_lang = found[0]
                telegram = interface_language(found[1]) if private else None
        if not private:
            chat_lang = await self._session.scalar(_CHAT_LANGUAGE, {"chat": chat_id})
        return LanguagePrefs(user=user_lang, chat=chat_lang, telegram=telegram)

    async def language_prefs_of(
        self, pairs: Iterable[tuple[int | None, int | None]]
    ) -> dict[tuple[int | None, int | None], LanguagePrefs]:
        """``language_prefs`` of each (user, chat) pair, read in one query per table."""
        wanted = set(pairs)
        users = sorted({u for u, _ in wanted if u is not None})
        groups = sorted({c for u, c in wanted if c is not None and c != u})
        chosen: dict[int, tuple[str | None, str | None]] = {}
        for start in range(0, len(users), 500):
            rows = await self._session.execute(
                _USERS_LANGUAGES, {"users": users[start : start + 500]}
            )
            chosen.update((row.id, (row.language, row.telegram_language)) for row in rows)
        spoken: dict[int, str | None] = {}
        for start in range(0, len(groups), 500):
            rows = await self._session.execute(
                _CHATS_LANGUAGES, {"chats": groups[start : start + 500]}
            )
            spoken.update((row.id, row.language) for row in rows)
        found: dict[tuple[int | None, int | None], LanguagePrefs] = {}
        for user_id, chat_id in wanted:
            private = chat_id is None or chat_id == user_id
            user_lang, telegram = (
                chosen.get(user_id, (None, None)) if user_id is not None else (None, None)
            )
            found[(user_id, chat_id)] = LanguagePrefs(
                user=user_lang,
                chat=None if private else spoken.get(chat_id or 0),
                telegram=interface_language(telegram) if private else None,
            )
        return found

    async def set_user_language(self, user_id: int, language: str) -> None:
        await self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(language=language)
        )

    async def set_chat_language(self, chat_id: int, language: str) -> None:
        await self._session.execute(
            update(ChatRow).where(ChatRow.id == chat_id).values(language=language)
        )

    async def first_name(self, user_id: int) -> str | None:
        return await self._session.scalar(select(UserRow.first_name).where(UserRow.id == user_id))

    async def names(self, user_ids: Iterable[int]) -> dict[int, str]:
        """Each known user's name as Telegram gives it: first and last name, @username."""
        ids = sorted(set(user_ids))
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            rows = await self._session.execute(
                select(UserRow.id, UserRow.first_name, UserRow.last_name, UserRow.username).where(
                    UserRow.id.in_(ids[start : start + 500])
                )
            )
            for user_id, first, last, username in rows:
                name = " ".join(part for part in (first, last) if part)
                found[user_id] = f"{name} (@{username})" if username else name
        return found

    async def get_user(self, user_id: int) -> UserRow | None:
        return await self._session.get(UserRow, user_id)

    async def get_chat(self, chat_id: int) -> ChatRow | None:
        return await self._session.get(ChatRow, chat_id)

    async def active_chat_ids(self) -> list[int]:
        rows = await self._session.scalars(
            select(ChatRow.id).where(ChatRow.active.is_(True)).order_by(ChatRow.id)
        )
        return list(rows)

    async def existing_chats(self, chat_ids: list[int]) -> list[int]:
        """Those of ``chat_ids`` the bot knows and can still reach."""
        found: list[int] = []
        for start in range(0, len(chat_ids), 500):
            rows = await self._session.scalars(
                select(ChatRow.id).where(
                    ChatRow.id.in_(chat_ids[start : start + 500]), ChatRow.active.is_(True)
                )
            )
            found.extend(rows)
        return found
