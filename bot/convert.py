"""Turning Telegram objects into the core's plain descriptions, and telling which ids are
not Telegram's.

Telegram documents its user and chat ids as having at most 52 significant bits, so that a
64-bit integer holds them safely. An update with a larger id did not come from Telegram,
and its id would not fit the database's columns either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from telegram import Chat, User

from scheduler.participants import ChatInfo, UserInfo

log = logging.getLogger("eskertu.updates")

TELEGRAM_ID_LIMIT = 2**52


def user_info(user: User | None) -> UserInfo | None:
    if user is None:
        return None
    return UserInfo(user.id, user.first_name, user.last_name, user.username, user.language_code)


def chat_info(chat: Chat | None) -> ChatInfo | None:
    if chat is None:
        return None
    title = chat.title if chat.type != Chat.PRIVATE else chat.full_name
    return ChatInfo(id=chat.id, type=chat.type, title=title)


def foreign_ids(data: Mapping[str, Any]) -> list[str]:
    """Each integer id in an update, at any depth, that Telegram's range does not hold.

    An id is a field named ``id`` or ending in ``_id``; each is given as ``path=value``.
    """
    return [f"{path}={value}" for path, value in _ids(data, "") if abs(value) >= TELEGRAM_ID_LIMIT]


def _ids(data: object, path: str) -> Iterator[tuple[str, int]]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if (
                isinstance(key, str)
                and (key == "id" or key.endswith("_id"))
                and isinstance(value, int)
                and not isinstance(value, bool)
            ):
                yield where, value
            else:
                yield from _ids(value, where)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _ids(value, f"{path}[{index}]")


def log_dropped(update_id: object, ids: Sequence[str]) -> None:
    """Say that an update was dropped for ids that are not Telegram's, and which."""
    log.warning("update %s dropped: %s outside Telegram's range of ids", update_id, ", ".join(ids))
