"""The audit log as an administrator reads it, through the local Bot API: sentences, names,
local times, before and after, pages, and the CSV file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.tables import AuditRow
from tests.e2e.harness import RunningBot, buttons_of, running_bot

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, OFFICER, STRANGER = 7301, 7302, 7303


async def _say(server: BotApiServer, user: int, text: str) -> dict[str, Any]:
    mark = server.mark()
    server.send_text(user, text)
    return await server.wait_for_message(user, since=mark)


async def _officer(bot: RunningBot) -> None:
    server = bot.server
    reply = await _say(server, ADMIN, "/invite МКС officer")
    token = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert token is not None
    server.user(OFFICER, "Бақыт", last_name="Серікұлы", username="bakyt", language_code="kk")
    mark = server.mark()
    server.send_command(OFFICER, f"/start {token.group(1)}")
    await server.wait_for_message(OFFICER, lambda m: "lang:kk" in buttons_of(m), since=mark)


def _file(server: BotApiServer, result: dict[str, Any]) -> bytes:
    stored = server.file(result["document"]["file_id"])
    assert stored is not None
    return stored.content


async def test_the_log_tells_who_did_what_when_and_what_changed(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Ольга", username="olga", language_code="ru")
        await _officer(bot)
        # A report, and its undo: both audited with the state before and after.
        confirmation = await _say(botapi, OFFICER, "/done 6 комиссияға енгізілді")
        [undo] = [b for b in buttons_of(confirmation) if b.startswith("undo:")]
        clock.advance(dt.timedelta(minutes=1))
        mark = botapi.mark()
        botapi.press_button(OFFICER, confirmation, undo)
        await botapi.wait_for_call("editMessageText", since=mark)
        botapi.user(STRANGER, "Stranger")
        await _say(botapi, STRANGER, "/report xlsx")

        log = (await _say(botapi, ADMIN, "/audit"))["text"]
        # What: sentences in the reader's language, agencies as a Russian reader writes them.
        assert "Сообщение о статусе: мероприятие №6, МКС" in log
        assert "было: — ещё не сообщал" not in log
        # A report changes its item's state: the lead's done now waits for its controller.
        assert "было: ещё не сообщал → стало: ожидает принятия" in log
        assert "Отмена сообщения №1: мероприятие №6, МКС" in log
        assert "было: ✅ исполнено → стало: нет сообщений" in log
        assert "Приглашение №1: МКС, ответственный исполнитель" in log
        assert "⛔" in log and "Отказано: Отчёт книгой XLSX" in log
        # Who, with name and id; when, in the plan's local time.
        assert f"Бақыт Серікұлы (@bakyt), {OFFICER}" in log
        assert f"Ольга (@olga), {ADMIN}" in log
        assert "2016-06-01 10:00" in log and "2016-06-01 10:01" in log
        # No code or raw detail where a sentence belongs.
        assert "status.report" not in log and "{" not in log

        async with bot.svc.db.unit_of_work() as uow:
            rows = (
                await uow.session.execute(
                    select(AuditRow.action, AuditRow.allowed, AuditRow.user_id).order_by(
                        AuditRow.id
                    )
                )
            ).all()
        assert ("status.report", True, OFFICER) in rows
        assert ("status.undo", True, OFFICER) in rows


async def test_pages_and_the_csv_file(botapi: BotApiServer, database_url: str) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Ольга", language_code="ru")
        botapi.user(STRANGER, "Stranger")
        for number in range(23):
            await _say(botapi, STRANGER, f"/members МСМ {number}")
        newest = await _say(botapi, ADMIN, "/audit")
        assert "записи №14–№23" in newest["text"]
        [older] = buttons_of(newest)
        assert older == "au:13"

        mark = botapi.mark()
        botapi.press_button(ADMIN, newest, older)
        await botapi.wait_for_call("editMessageText", since=mark)
        page = next(
            m for m in botapi.sent_messages(ADMIN) if m["message_id"] == newest["message_id"]
        )
        assert "записи №4–№13" in page["text"]
        assert buttons_of(page) == ["au:3", "au:0"]
        mark = botapi.mark()
        botapi.press_button(ADMIN, page, "au:3")
        await botapi.wait_for_call("editMessageText", since=mark)
        page = next(
            m for m in botapi.sent_messages(ADMIN) if m["message_id"] == newest["message_id"]
        )
        assert "записи №1–№3" in page["text"]
        assert buttons_of(page) == ["au:13"]

        mark = botapi.mark()
        botapi.send_text(ADMIN, "/audit csv")
        sent = await botapi.wait_for_call("sendDocument", since=mark)
        assert sent.result["document"]["file_name"].endswith("-ru.csv")
        text = _file(botapi, sent.result).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0][:3] == ["№", "время", "пользователь"]
        assert len(rows) == 1 + 23
        first = rows[1]
        assert first[5] == "members.read" and first[6] == "Список участников органа МСМ 0"
        assert first[7] == "нет" and first[3] == "Stranger"
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)) as bot:
        async with bot.svc.db.unit_of_work() as uow:
            exported = await uow.session.scalar(
                select(AuditRow.detail).where(AuditRow.action == "audit.export")
            )
        assert exported == '{"entries": 23}'
