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

from telegram import Chat, TelegramObject, User

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


def foreign_ids_of(update: TelegramObject) -> list[str]:
    """What ``foreign_ids(update.to_dict())`` gives, read from the parsed objects themselves.

    Every update is checked, so this skips what ``to_dict`` builds only to be thrown away
    here (a dict per object, timestamps, lists): it reads each object's fields by their
    names, kept once per class, and what python-telegram-bot did not parse (``api_kwargs``)
    as the raw data it is.
    """
    return [
        f"{path}={value}"
        for path, value in _object_ids(update, "")
        if abs(value) >= TELEGRAM_ID_LIMIT
    ]


def names_foreign_id(obj: object) -> bool:
    """Whether ``foreign_ids_of(obj)`` would name any id; no paths are built to tell."""
    if isinstance(obj, TelegramObject):
        for name, key in _fields(obj):
            value = getattr(obj, name, None)
            if value is None or isinstance(value, str):
                continue
            if name == "api_kwargs":
                if value and foreign_ids(value):
                    return True
            elif isinstance(value, int):
                if (
                    (key == "id" or key.endswith("_id"))
                    and abs(value) >= TELEGRAM_ID_LIMIT
                    and not isinstance(value, bool)
                ):
                    return True
            elif isinstance(value, TelegramObject | tuple | list):
                if names_foreign_id(value):
                    return True
            elif isinstance(value, Mapping) and foreign_ids(value):
                return True
        return False
    if isinstance(obj, tuple | list):
        return any(
            names_foreign_id(item)
            if isinstance(item, TelegramObject | tuple | list)
            else bool(foreign_ids({"": [item]}))
            for item in obj
        )
    return False


# Each class's fields as to_dict gives them: (attribute, key in the update's JSON).
_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def _fields(obj: TelegramObject) -> tuple[tuple[str, str], ...]:
    cls = type(obj)
    fields = _FIELDS.get(cls)
    if fields is None:
        names = tuple(obj._get_attrs_names(include_private=False))
        fields = tuple((name, "from" if name == "from_user" else name) for name in names)
        if hasattr(obj, "__dict__"):
            # Attributes set on an instance are its own; nothing of them is kept per class.
            return fields
        _FIELDS[cls] = fields
    return fields


def _object_ids(obj: TelegramObject, path: str) -> Iterator[tuple[str, int]]:
    for name, key in _fields(obj):
        value = getattr(obj, name, None)
        if value is None:
            continue
        if name == "api_kwargs":
            yield from _ids(value, path)
            continue
        where = f"{path}.{key}" if path else key
        if isinstance(value, TelegramObject):
            yield from _object_ids(value, where)
        elif isinstance(value, int):
            if (key == "id" or key.endswith("_id")) and not isinstance(value, bool):
                yield where, value
        elif isinstance(value, tuple | list):
            yield from _sequence_ids(value, where)
        elif isinstance(value, Mapping):
            yield from _ids(value, where)


def _sequence_ids(items: Sequence[object], path: str) -> Iterator[tuple[str, int]]:
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if isinstance(item, TelegramObject):
            yield from _object_ids(item, where)
        elif isinstance(item, tuple | list):
            yield from _sequence_ids(item, where)
        else:
            yield from _ids(item, where)


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
