"""Ids Telegram never gives are refused where updates come in, with a log line.

Telegram documents its user and chat ids as having at most 52 significant bits. An update
naming a larger one is not from Telegram: it is dropped before any handler sees it, logged
as such, and nothing of it is stored. Ids at the edge of the range are served as usual.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select

from sandbox.botapi.server import BotApiServer
from scheduler.storage.tables import ChatRow, UserRow
from tests.security.support import BotThread, bot_thread, handler_errors, quiet, say

USER = 9401
GROUP = -9400
TOO_LARGE = (2**52, 2**63 - 1, 2**63, -(2**52), -(2**63) - 1, 10**30)
EDGE = 2**52 - 1
DROPPED = "outside Telegram's range"


def _message(user_id: int, chat_id: int, text: str = "/help") -> dict[str, Any]:
    chat: dict[str, Any] = (
        {"id": chat_id, "type": "private", "first_name": "Forged"}
        if chat_id > 0
        else {"id": chat_id, "type": "supergroup", "title": "Forged"}
    )
    return {
        "message": {
            "message_id": 7,
            "date": 1_464_753_600,
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Forged"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        }
    }


def _press(user_id: int, chat_id: int) -> dict[str, Any]:
    message = _message(USER, chat_id)["message"]
    return {
        "callback_query": {
            "id": "forged-query",
            "from": {"id": user_id, "is_bot": False, "first_name": "Forged"},
            "message": message,
            "chat_instance": "1",
            "data": "ack:2",
        }
    }


async def _stored_ids(runner: BotThread) -> set[int]:
    async with runner.bot.svc.db.unit_of_work() as uow:
        users = set((await uow.session.scalars(select(UserRow.id))).all())
        chats = set((await uow.session.scalars(select(ChatRow.id))).all())
    return users | chats


def test_ids_outside_telegrams_range_are_dropped_with_a_log_line(
    botapi: BotApiServer, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with bot_thread(botapi, database_url) as runner:
        botapi.user(USER, "Officer")
        botapi.private_chat(USER)
        botapi.group(GROUP, "МСМ", members=[USER])
        forged = []
        for big in TOO_LARGE:
            forged.append(botapi.send_raw_update(_message(abs(big), abs(big))))
            forged.append(botapi.send_raw_update(_message(USER, -abs(big))))
            forged.append(botapi.send_raw_update(_message(big, GROUP)))
            forged.append(botapi.send_raw_update(_press(big, USER)))
        # Served after the forged ones, so they have all been taken in by then.
        assert "/task" in say(botapi, USER, "/help")["text"]
        quiet(botapi)

        assert handler_errors(caplog.records) == []
        assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
        dropped = [r.getMessage() for r in caplog.records if DROPPED in r.getMessage()]
        for update in forged:
            assert any(f"update {update['update_id']} " in line for line in dropped), update
        stored = runner.run(_stored_ids(runner))
        assert stored <= {USER, GROUP}, stored
        assert [m for m in botapi.sent_messages(GROUP)] == []

        # The last id the documented range holds is a user like any other.
        botapi.user(EDGE, "Edge")
        botapi.private_chat(EDGE)
        assert "/task" in say(botapi, EDGE, "/help")["text"]
        assert EDGE in runner.run(_stored_ids(runner))
