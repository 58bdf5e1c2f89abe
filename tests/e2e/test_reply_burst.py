"""Officers answer their reminders all at once: every reply is stored and answered, each in its
reader's language, though the bot writes the replies that come together in one transaction."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.tables import StatusUpdateRow
from tests.e2e.harness import delivered, running_bot
from tests.e2e.people import buttons, join, text_of

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN = 7101
OFFICERS = {7102: "kk", 7103: "ru", 7104: "en"}
# What each language calls the two statuses replied, as the catalogs word them.
WORDS = {
    "kk": ("орындалуда", "мәселе бар"),
    "ru": ("в работе", "проблема"),
    "en": ("in progress", "problem"),
}
SAID = ("в работе", "проблема", "в работе", "проблема")


async def _answers(server: BotApiServer, chat: int, since: int, count: int) -> list[dict[str, Any]]:
    """The bot's first ``count`` messages to ``chat`` since ``since``, once they have all come."""
    for _ in range(200):
        found = server.sent_messages(chat, since=since)
        if len(found) >= count:
            return found[:count]
        await asyncio.sleep(0.05)
    raise AssertionError(f"{chat} got {len(server.sent_messages(chat, since=since))} of {count}")


async def test_replies_sent_at_once_are_each_stored_and_answered(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        for user, language in OFFICERS.items():
            await join(botapi, ADMIN, user, f"Officer {user}", "МСМ", "officer", language=language)
            await join(botapi, ADMIN, user, f"Officer {user}", "МСМ", "officer", subscribe=True)
        clock.set(dt.datetime(2016, 6, 30, 9, 1, tzinfo=ALMATY))
        mark = botapi.mark()
        await run_tick(bot.svc)
        await delivered(bot)
        reminders = {}
        for user in OFFICERS:
            reminders[user] = next(
                m
                for m in botapi.sent_messages(user, since=mark)
                if re.search(r"(№|no\. )6(?!\d)", text_of(m)) and "st:" in str(buttons(m))
            )

        mark = botapi.mark()
        sent: list[tuple[int, int]] = []
        for said in SAID:
            for user in OFFICERS:
                update = botapi.send_text(user, said, reply_to=reminders[user])
                sent.append((user, update["message"]["message_id"]))
        for user, language in OFFICERS.items():
            answers = await _answers(botapi, user, mark, len(SAID))
            told = [text_of(a) for a in answers]
            progress, problem = WORDS[language]
            assert sum(progress in t for t in told) == 2, told
            assert sum(problem in t for t in told) == 2, told

        async with bot.svc.db.reading() as uow:
            rows = (
                await uow.session.execute(
                    select(
                        StatusUpdateRow.user_id,
                        StatusUpdateRow.message_id,
                        StatusUpdateRow.task_number,
                        StatusUpdateRow.text,
                    ).where(StatusUpdateRow.message_id.is_not(None))
                )
            ).all()
    assert sorted((user, message) for user, message, _, _ in rows) == sorted(sent)
    assert {task for _, _, task, _ in rows} == {6}
    assert sorted(text for *_, text in rows) == sorted(SAID * len(OFFICERS))
