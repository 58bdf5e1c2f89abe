"""/report, /ics and the weekly digest end to end, through the local Bot API."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import icalendar
import openpyxl  # type: ignore[import-untyped]
from sqlalchemy import select
from telegram.ext import CallbackContext

from bot.jobs import DIGEST_JOB, digest_job, run_weekly_digest
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.tables import AuditRow, OutboxRow
from tests.e2e.harness import delivered, running_bot
from tests.reports.support import ALMATY, AS_OF, DONE_TEXT, runtime, seed

ADMIN, OUTSIDER = 7001, 7004
GROUP = -5001


async def _command(server: BotApiServer, user: int, text: str) -> int:
    mark = server.mark()
    server.send_command(user, text)
    return mark


def _file(server: BotApiServer, result: dict[str, Any], field: str) -> bytes:
    media = result[field]
    file_id = media[-1]["file_id"] if isinstance(media, list) else media["file_id"]
    stored = server.file(file_id)
    assert stored is not None
    return stored.content


async def test_reports_and_calendar_on_request(botapi: BotApiServer, database_url: str) -> None:
    rt = runtime()
    async with running_bot(botapi, database_url, clock=FakeClock(AS_OF), admin_ids=(ADMIN,)) as bot:
        await seed(bot.svc.db)
        botapi.user(ADMIN, "Әкімші")
        botapi.private_chat(ADMIN)
        botapi.user(OUTSIDER, "Сырттан")
        botapi.private_chat(OUTSIDER)

        # The summary: a table as text, then the chart as a photo.
        mark = await _command(botapi, ADMIN, "/report")
        summary = await botapi.wait_for_message(ADMIN, since=mark)
        assert summary["text"].startswith("📊 Жоспардың орындалу барысы")
        assert any(e["type"] == "pre" for e in summary.get("entities", []))
        msm_points = sum(1 for p in rt.points if "МСМ" in p.agencies)
        msm_row = next(line for line in summary["text"].splitlines() if line.startswith("МСМ "))
        # Nothing accepted yet: МСМ's four reports of done wait for their controller.
        assert msm_row.split()[1:4] == [str(msm_points), "0", "4"]
        photo = await botapi.wait_for_call("sendPhoto", since=mark)
        assert photo.ok and photo.chat_id == ADMIN
        assert _file(botapi, photo.result, "photo").startswith(b"\x89PNG\r\n\x1a\n")

        # The workbook, as a document.
        mark = await _command(botapi, ADMIN, "/report xlsx")
        sent = await botapi.wait_for_call("sendDocument", since=mark)
        document = sent.result["document"]
        assert document["file_name"] == "eskertu-report-2016-07-15-kk.xlsx"
        book = openpyxl.load_workbook(io.BytesIO(_file(botapi, sent.result, "document")))
        assert book.worksheets[0]["A2"].value == "№"
        sheet = book.worksheets[1]
        assert sheet["A1"].value == "№" and sheet["B1"].value == "Іс-шара"
        assert sheet.max_row - 1 == sum(len(p.agencies) for p in rt.points)
        cells = {c.value for row in sheet.iter_rows(min_row=2) for c in row}
        assert rt.plan.task(6).text in cells and DONE_TEXT in cells

        # CSV in Russian.
        mark = await _command(botapi, ADMIN, "/report csv ru")
        sent = await botapi.wait_for_call("sendDocument", since=mark)
        content = _file(botapi, sent.result, "document")
        assert content.startswith(b"\xef\xbb\xbf") and "Мероприятие".encode() in content

        # The calendar of one agency, for anyone.
        mark = await _command(botapi, OUTSIDER, "/ics МСМ")
        sent = await botapi.wait_for_call("sendDocument", since=mark)
        assert sent.chat_id == OUTSIDER
        assert sent.result["document"]["file_name"] == "eskertu-МСМ.ics"
        events = icalendar.Calendar.from_ical(_file(botapi, sent.result, "document")).walk("VEVENT")
        assert len(events) == msm_points
        mark = await _command(botapi, OUTSIDER, "/ics XYZ")
        unknown = await botapi.wait_for_message(OUTSIDER, since=mark)
        assert "XYZ" in unknown["text"] and "МСМ" in unknown["text"]

        # Anyone else's /report is refused politely, and recorded.
        mark = await _command(botapi, OUTSIDER, "/report xlsx")
        refused = await botapi.wait_for_message(OUTSIDER, since=mark)
        assert "әкімшілер мен бақылаушы бөлімдердің" in refused["text"]
        assert botapi.calls("sendDocument", chat_id=OUTSIDER, since=mark) == []

        async with bot.svc.db.unit_of_work() as uow:
            audit = (await uow.session.scalars(select(AuditRow).order_by(AuditRow.id))).all()
        assert [(a.user_id, a.action, a.allowed) for a in audit] == [
            (ADMIN, "report.summary", True),
            (ADMIN, "report.xlsx", True),
            (ADMIN, "report.csv", True),
            (OUTSIDER, "report.xlsx", False),
        ]


async def test_the_digest_job(botapi: BotApiServer, database_url: str) -> None:
    # Thursday: the catch-up run at start finds nothing due.
    clock = FakeClock(dt.datetime(2016, 7, 14, 10, 0, tzinfo=ALMATY))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        db = bot.svc.db
        await seed(db)
        botapi.user(ADMIN, "Әкімші")
        botapi.private_chat(ADMIN)
        botapi.group(GROUP, "ІСБ бақылау", admins=[ADMIN])
        async with db.unit_of_work() as uow:
            await uow.subscriptions.subscribe(GROUP, "agency", "ІСБ", clock.now(), ADMIN)
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/lang")
        menu = await botapi.wait_for_message(ADMIN, since=mark)
        mark = botapi.mark()
        botapi.press_button(ADMIN, menu, "lang:ru")
        await botapi.wait_for_message(ADMIN, since=mark)

        (job,) = bot.app.job_queue.get_jobs_by_name(DIGEST_JOB)  # type: ignore[union-attr]
        assert job.next_t is not None
        local = job.next_t.astimezone(ALMATY)
        assert (local.weekday(), local.hour, local.minute) == (4, 16, 0)

        clock.set(dt.datetime(2016, 7, 15, 16, 0, 5, tzinfo=ALMATY))
        mark = botapi.mark()
        result = await run_weekly_digest(bot.svc)
        assert result.planned == 2
        await delivered(bot)
        async with db.unit_of_work() as uow:
            rows = (await uow.session.scalars(select(OutboxRow))).all()
        assert {(r.chat_id, r.kind, r.control_point, r.slot, r.state) for r in rows} == {
            (ADMIN, "digest", "digest:2016-W28", "weekly", "sent"),
            (GROUP, "digest", "digest:2016-W28", "weekly", "sent"),
        }
        to_admin = botapi.sent_messages(ADMIN, since=mark)
        to_group = botapi.sent_messages(GROUP, since=mark)
        assert len(to_admin) == len(to_group) == 1
        assert to_admin[0]["text"].startswith("🗓 Еженедельная сводка · 2016-W28")
        assert to_group[0]["text"].startswith("🗓 Апталық шолу · 2016-W28")
        assert any(e["type"] == "pre" for e in to_group[0]["entities"])

        # The job itself, run again the same evening: nothing new is planned or sent.
        mark = botapi.mark()
        clock.advance(dt.timedelta(minutes=30))
        await digest_job(CallbackContext(bot.app))
        await delivered(bot)
        async with db.unit_of_work() as uow:
            assert len((await uow.session.scalars(select(OutboxRow))).all()) == 2
        assert botapi.sent_messages(ADMIN, since=mark) == []
        assert botapi.sent_messages(GROUP, since=mark) == []
