"""The foreign-id check read from python-telegram-bot's objects finds what the check of the
update's dict finds, on updates shaped like Telegram's with ids in every kind of place.
"""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.convert import TELEGRAM_ID_LIMIT, foreign_ids, foreign_ids_of, names_foreign_id

BIG = TELEGRAM_ID_LIMIT
EDGE = TELEGRAM_ID_LIMIT - 1


def _user(uid: int) -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": "Officer"}


def _reminder(chat_id: int, message_id: int = 41) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "date": 1_464_753_600,
        "chat": {"id": chat_id, "type": "private", "first_name": "Officer"},
        "from": {"id": 900, "is_bot": True, "first_name": "Eskertu"},
        "text": "Срок 1.2: 5 декабря",
        "entities": [{"type": "bold", "offset": 0, "length": 4}],
        "reply_markup": {
            "inline_keyboard": [
                [{"text": "в работе", "callback_data": "st:1"}],
                [{"text": "проблема", "callback_data": "st:2"}],
            ]
        },
    }


def _reply(**ids: int) -> dict[str, Any]:
    user = ids.get("user", 501)
    chat = ids.get("chat", 501)
    message: dict[str, Any] = {
        "message_id": ids.get("message", 42),
        "date": 1_464_753_660,
        "chat": {"id": chat, "type": "private", "first_name": "Officer"},
        "from": _user(user),
        "text": "в работе",
        "reply_to_message": _reminder(ids.get("quoted_chat", chat), ids.get("quoted", 41)),
    }
    if "thread" in ids:
        message["message_thread_id"] = ids["thread"]
    if "sender_chat" in ids:
        message["sender_chat"] = {"id": ids["sender_chat"], "type": "channel", "title": "C"}
    if "origin" in ids:
        message["forward_origin"] = {
            "type": "channel",
            "date": 1_464_753_000,
            "chat": {"id": ids["origin"], "type": "channel", "title": "C"},
            "message_id": 3,
        }
    if "mention" in ids:
        message["entities"] = [
            {"type": "text_mention", "offset": 0, "length": 2, "user": _user(ids["mention"])}
        ]
    if "unparsed" in ids:
        # A field python-telegram-bot does not know lands in api_kwargs, nested or not.
        message["future_field"] = {"owner": {"id": ids["unparsed"]}, "ids": [{"x_id": 1}]}
        message["future_chat_id"] = ids["unparsed"]
    return {"update_id": 10, "message": message}


def _press(user: int, chat: int) -> dict[str, Any]:
    return {
        "update_id": 11,
        "callback_query": {
            "id": "q",
            "from": _user(user),
            "message": _reminder(chat),
            "chat_instance": "1",
            "data": "st:1",
        },
    }


def _member(user: int, chat: int) -> dict[str, Any]:
    return {
        "update_id": 12,
        "my_chat_member": {
            "chat": {"id": chat, "type": "supergroup", "title": "МСМ"},
            "from": _user(501),
            "date": 1_464_753_600,
            "old_chat_member": {"status": "left", "user": _user(user)},
            "new_chat_member": {"status": "member", "user": _user(user)},
        },
    }


CASES = [
    _reply(),
    _reply(user=EDGE, chat=EDGE),
    *(
        _reply(**{place: value})
        for place in (
            "user",
            "chat",
            "message",
            "quoted",
            "quoted_chat",
            "thread",
            "sender_chat",
            "origin",
            "mention",
            "unparsed",
        )
        for value in (BIG, -BIG, 2**63, 10**30, EDGE)
    ),
    _press(501, 501),
    _press(BIG, 501),
    _press(501, -(2**63) - 1),
    _member(501, -100),
    _member(BIG, -100),
    _member(501, -BIG),
]


@pytest.mark.parametrize("data", CASES)
def test_the_objects_check_finds_the_ids_the_dicts_check_finds(data: dict[str, Any]) -> None:
    update = Update.de_json(data, Bot("1:a"))
    expected = foreign_ids(update.to_dict())
    assert foreign_ids_of(update) == expected
    assert sorted(foreign_ids_of(update)) == sorted(foreign_ids(data))


def test_an_id_outside_the_range_is_named_with_its_place() -> None:
    update = Update.de_json(_reply(quoted_chat=-BIG), Bot("1:a"))
    assert foreign_ids_of(update) == [f"message.reply_to_message.chat.id={-BIG}"]


@pytest.mark.parametrize("data", CASES)
def test_the_quick_check_agrees_with_the_named_ids(data: dict[str, Any]) -> None:
    update = Update.de_json(data, Bot("1:a"))
    assert names_foreign_id(update) == bool(foreign_ids_of(update))
