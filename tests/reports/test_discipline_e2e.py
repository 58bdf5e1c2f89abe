"""The discipline in /report end to end, through the local Bot API: the table, the chart, the
period buttons and typed periods, in Kazakh, Russian and English."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.wording import agency_code
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.plan.control_points import in_force_from
from scheduler.progress import ControlPolicy
from scheduler.reports.discipline import Discipline, Period
from scheduler.storage.tables import AuditRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import current_report
from tests.e2e.harness import running_bot
from tests.reports.support import AS_OF, runtime, seed

ADMIN = 7001
TODAY = AS_OF.date()
JUNE = Period(dt.date(2016, 6, 1), dt.date(2016, 6, 30))
PLAN = Period(in_force_from(runtime().plan), TODAY)
QUARTER = Period(dt.date(2016, 7, 1), TODAY)
FIRST_HALF = Period(dt.date(2016, 1, 1), dt.date(2016, 6, 30))


def _buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


def _file(server: BotApiServer, photo: dict[str, Any]) -> bytes:
    stored = server.file(photo["photo"][-1]["file_id"])
    assert stored is not None
    return stored.content


def _rows(text: str) -> dict[str, list[str]]:
    plan = runtime().plan
    codes = {agency_code(plan, c, lang) for c in plan.agency_codes() for lang in ("kk", "ru", "en")}
    return {
        line.split()[0]: line.split()[1:]
        for line in text.splitlines()
        if line.split() and line.split()[0] in codes
    }


async def _expected(db: Database, period: Period, language: str) -> dict[str, list[str]]:
    """The rows the core's figures give, laid out as the table lays them out in ``language``."""
    rt = runtime(ControlPolicy(acceptance=False))
    report = await current_report(db, FakeClock(AS_OF), rt, period)
    decimal = "." if language == "en" else ","

    def row(f: Discipline) -> list[str]:
        share = "—" if f.share is None else f"{f.share}%"
        days = "—" if f.average_late is None else f"{f.average_late:.1f}".replace(".", decimal)
        counts = [f.due, f.on_time, f.late, f.overdue_open]
        return [*map(str, counts), share, str(f.returns), f"{f.asked}/{f.granted}", days]

    return {agency_code(rt.plan, f.agency, language): row(f) for f in report.discipline()}


async def _discipline(server: BotApiServer, since: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The discipline message with its buttons, and the chart photo sent after it."""
    message = await server.wait_for_message(ADMIN, lambda m: "dsc:" in str(m), since=since)
    photo = await server.wait_for_message(
        ADMIN, lambda m: "photo" in m and m["message_id"] > message["message_id"], since=since
    )
    return message, photo


async def test_discipline_in_report_with_period_buttons(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(AS_OF)
    async with running_bot(
        botapi, database_url, clock=clock, admin_ids=(ADMIN,), acceptance="off"
    ) as bot:
        db = bot.svc.db
        await seed(db)
        botapi.user(ADMIN, "Әкімші")
        botapi.private_chat(ADMIN)

        # /report in Kazakh: the summary and its chart, then the discipline and its chart.
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/report")
        message, photo = await _discipline(botapi, mark)
        sent = botapi.sent_messages(ADMIN, since=mark)
        assert [("photo" in m) for m in sent] == [False, True, False, True]
        assert sent[0]["text"].startswith("📊 Жоспардың орындалу барысы")
        text = message["text"]
        assert text.startswith("📏 Атқарушылық тәртіп\nжоспар басынан бері: ")
        assert any(e["type"] == "pre" for e in message["entities"])
        assert _rows(text) == await _expected(db, PLAN, "kk")
        assert _rows(text)["МСМ"][:5] == ["29", "2", "1", "26", "7%"]
        assert _buttons(message) == [
            ("• Жоспар басынан бері", "dsc:plan"),
            ("Осы тоқсан", "dsc:quarter"),
            ("Осы ай", "dsc:month"),
            ("Өткен ай", "dsc:last_month"),
        ]
        assert photo["caption"].startswith("📏 Атқарушылық тәртіп: жоспар басынан бері")
        first_chart = _file(botapi, photo)
        assert first_chart.startswith(b"\x89PNG\r\n\x1a\n")

        # Last month: the same message now counts June, and a chart of June follows.
        mark = botapi.mark()
        botapi.press_button(ADMIN, message, "dsc:last_month")
        edit = await botapi.wait_for_call("editMessageText", since=mark)
        assert edit.params["message_id"] == message["message_id"]
        chart = await botapi.wait_for_call("sendPhoto", since=mark)
        edited = next(
            m for m in botapi.sent_messages(ADMIN) if m["message_id"] == message["message_id"]
        )
        assert "өткен ай: " in edited["text"]
        june = _rows(edited["text"])
        assert june == await _expected(db, JUNE, "kk") != _rows(text)
        assert june["МСМ"][:5] == ["6", "2", "0", "4", "33%"]
        # An agency with nothing due in June has no share: a dash, not 0 %.
        assert june["ҚМ"][:5] == ["0", "0", "0", "0", "—"]
        assert ("• Өткен ай", "dsc:last_month") in _buttons(edited)
        assert ("Жоспар басынан бері", "dsc:plan") in _buttons(edited)
        assert chart.result["caption"].startswith("📏 Атқарушылық тәртіп: өткен ай")
        assert _file(botapi, chart.result) != first_chart
        answered = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert answered.ok

        # Russian: /report discipline alone, then this quarter.
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/lang")
        menu = await botapi.wait_for_message(ADMIN, since=mark)
        mark = botapi.mark()
        botapi.press_button(ADMIN, menu, "lang:ru")
        await botapi.wait_for_message(ADMIN, since=mark)

        mark = botapi.mark()
        botapi.send_command(ADMIN, "/report discipline")
        message, photo = await _discipline(botapi, mark)
        # The discipline alone: no summary, and one chart.
        since = botapi.sent_messages(ADMIN, since=mark)
        assert not any(m.get("text", "").startswith("📊") for m in since)
        assert len(botapi.calls("sendPhoto", since=mark)) == 1
        assert message["text"].startswith("📏 Исполнительская дисциплина\nс начала плана: с ")
        assert _rows(message["text"]) == await _expected(db, PLAN, "ru")
        assert [label for label, _ in _buttons(message)] == [
            "• С начала плана",
            "Этот квартал",
            "Этот месяц",
            "Прошлый месяц",
        ]
        assert photo["caption"].startswith("📏 Исполнительская дисциплина: с начала плана")
        mark = botapi.mark()
        botapi.press_button(ADMIN, message, "dsc:quarter")
        await botapi.wait_for_call("sendPhoto", since=mark)
        edited = next(
            m for m in botapi.sent_messages(ADMIN) if m["message_id"] == message["message_id"]
        )
        assert "текущий квартал: с " in edited["text"]
        quarter = _rows(edited["text"])
        assert quarter == await _expected(db, QUARTER, "ru") != _rows(message["text"])

        # A period typed as two dates, and the two ways to get it wrong.
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/report discipline 2016-01-01 30.06.2016")
        message, _ = await _discipline(botapi, mark)
        assert message["text"].splitlines()[1].startswith("с 1 января 2016")
        assert _rows(message["text"]) == await _expected(db, FIRST_HALF, "ru")
        assert all(not label.startswith("•") for label, _ in _buttons(message))

        mark = botapi.mark()
        botapi.send_command(ADMIN, "/report discipline 2016-13-01 2016-06-30")
        wrong = await botapi.wait_for_message(ADMIN, since=mark)
        assert wrong["text"].startswith("«2016-13-01» — не дата.")
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/report discipline 2016-06-30 2016-01-01")
        wrong = await botapi.wait_for_message(ADMIN, since=mark)
        assert wrong["text"].startswith("Период заканчивается раньше, чем начинается")
        assert "30 июня 2016" in wrong["text"] and "1 января 2016" in wrong["text"]
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/report discipline soon")
        usage = await botapi.wait_for_message(ADMIN, since=mark)
        assert usage["text"].startswith("Использование: /report") and "last_month" in usage["text"]
        assert botapi.calls("sendPhoto", since=mark) == []

        # English, and the workbook takes the period too.
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/lang")
        menu = await botapi.wait_for_message(ADMIN, since=mark)
        mark = botapi.mark()
        botapi.press_button(ADMIN, menu, "lang:en")
        await botapi.wait_for_message(ADMIN, since=mark)
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/report discipline last_month")
        message, photo = await _discipline(botapi, mark)
        assert message["text"].startswith("📏 Executive discipline\nlast month: ")
        assert _rows(message["text"]) == await _expected(db, JUNE, "en")
        assert ("• Last month", "dsc:last_month") in _buttons(message)
        assert photo["caption"] == message["text"].splitlines()[1].join(
            ["📏 Executive discipline: ", ""]
        )

        # Every report taken, by command or by button, is in the audit log.
        async with db.unit_of_work() as uow:
            rows = await uow.session.scalars(select(AuditRow).order_by(AuditRow.id))
            taken = [(a.action, a.allowed) for a in rows if a.action.startswith("report.")]
        assert taken == [
            ("report.summary", True),
            *[("report.discipline", True)] * 4,
            *[("report.usage", True)] * 3,
            ("report.discipline", True),
        ]
