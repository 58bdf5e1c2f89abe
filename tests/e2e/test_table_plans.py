"""Table plans through the bot: an uploaded table refused or put in force, and /event dates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.plan.plan_files import import_plan_file
from scheduler.plan.serialize import dump_plan
from scheduler.storage.tables import AuditRow, OutboxRow
from tests.e2e.harness import RunningBot, decide_preview, delivered, running_bot
from tests.plan.table_plans import KK_ROWS
from tests.plan.tables import xlsx_bytes

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, MONITOR, CLERK, STRANGER = 9001, 9002, 9003, 9004
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(dump_plan(import_plan_file(xlsx_bytes({"Жоспар": KK_ROWS}), "p.xlsx").plan))
    return path


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _say(server: BotApiServer, user: int, text: str) -> dict[str, Any]:
    mark = server.mark()
    server.send_text(user, text)
    return await server.wait_for_message(user, since=mark)


async def _member(bot: RunningBot, user: int, agency: str) -> None:
    server = bot.server
    reply = await _say(server, ADMIN, f"/invite {agency} officer")
    token = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert token is not None
    server.user(user, f"User {user}")
    mark = server.mark()
    server.send_command(user, f"/start {token.group(1)}")
    await server.wait_for_message(user, lambda m: "lang:kk" in _buttons(m), since=mark)
    menu = await _say(server, user, "/subscribe")
    mark = server.mark()
    server.press_button(user, menu, f"sub:a:{agency}")
    await server.wait_for_call("editMessageText", since=mark)


async def test_event_dates_give_deadlines_and_reminders(
    botapi: BotApiServer, database_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(dt.datetime(2023, 3, 1, 10, 0, tzinfo=ALMATY))
    plan_path = _plan_file(tmp_path)
    async with running_bot(
        botapi, database_url, clock=clock, admin_ids=(ADMIN,), plan_path=plan_path
    ) as bot:
        botapi.user(ADMIN, "Admin")
        await _member(bot, MONITOR, "МӘЖБ")
        await _member(bot, CLERK, "КҚ")
        botapi.user(STRANGER, "Stranger")

        card = await _say(botapi, MONITOR, "/task 7")
        assert "/event 7" in card["text"]
        assert not bot.svc.runtime.points_of(7)

        # A member of another agency, and a stranger, may not date task 7's event.
        for user in (CLERK, STRANGER):
            refused = await _say(botapi, user, "/event 7 2023-03-03")
            assert "МӘЖБ" in refused["text"] and "тіркелді" in refused["text"]
        assert bot.svc.core.plans.version == 1
        bad = await _say(botapi, ADMIN, "/event 7 30.02.2023")
        assert "30.02.2023" in bad["text"] and "деген күн жоқ" in bad["text"]

        preview = await _say(botapi, ADMIN, "/event 7 3 наурыз 2023 ж.")
        assert "№7" in preview["text"] and "13 наурыз" in preview["text"]
        assert bot.svc.core.plans.version == 1  # shown, not yet in force
        mark = botapi.mark()
        recorded = await decide_preview(botapi, ADMIN, preview)
        assert "№7" in recorded["text"] and "13 наурыз" in recorded["text"]
        assert not _buttons(recorded)
        assert bot.svc.core.plans.version == 2
        [point] = bot.svc.runtime.points_of(7)
        assert (point.kind, point.effective) == ("deadline", dt.date(2023, 3, 13))
        notice = await botapi.wait_for_message(
            MONITOR, lambda m: "ack:" in str(_buttons(m)), since=mark
        )
        assert "Оқиға күні" in notice["text"]
        await delivered(bot)
        assert not [m for m in botapi.sent_messages(CLERK) if "ack:" in str(_buttons(m))]

        # The member of task 8's agency dates its own event.
        own = await decide_preview(botapi, CLERK, await _say(botapi, CLERK, "/event 8 06.03.2023"))
        assert "№8" in own["text"]
        assert [p.effective for p in bot.svc.runtime.points_of(8)] == [dt.date(2023, 3, 6)]

        # On the day, the reminder for task 7 goes to the agency, naming the event.
        mark = botapi.mark()
        clock.set(dt.datetime(2023, 3, 13, 9, 1, tzinfo=ALMATY))
        await run_tick(bot.svc)
        reminder = await botapi.wait_for_message(
            MONITOR, lambda m: "st:" in str(_buttons(m)), since=mark
        )
        assert "№7" in reminder["text"] and "Оқиға:" in reminder["text"]
        async with bot.svc.db.unit_of_work() as uow:
            planned = (
                await uow.session.scalars(
                    select(OutboxRow.control_point).where(OutboxRow.chat_id == MONITOR)
                )
            ).all()
            refusals = (
                await uow.session.scalars(
                    select(AuditRow.user_id).where(
                        AuditRow.action == "plan.event", AuditRow.allowed.is_(False)
                    )
                )
            ).all()
        assert "T07-deadline-2023-03-13" in planned
        assert sorted(refusals) == [CLERK, STRANGER]


async def test_an_uploaded_table_is_refused_in_the_readers_language_or_applied(
    botapi: BotApiServer, database_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(dt.datetime(2023, 3, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(
        botapi, database_url, clock=clock, admin_ids=(ADMIN,), plan_path=_plan_file(tmp_path)
    ) as bot:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        rows = [list(r) for r in KK_ROWS]
        rows.insert(7, [None] * 5)
        mark = botapi.mark()
        botapi.send_document(ADMIN, "жоспар.xlsx", xlsx_bytes({"Жоспар": rows}), XLSX)
        refused = await botapi.wait_for_message(ADMIN, since=mark)
        assert "Кесте қабылданбады" in refused["text"]
        assert "«Жоспар» парағы, 8-жол: кестенің ішінде бос жол бар" in refused["text"]
        assert bot.svc.core.plans.version == 1

        rows = [list(r) for r in KK_ROWS]
        rows[8][4] = "2023 жылғы шілде"
        mark = botapi.mark()
        botapi.send_document(ADMIN, "жоспар.xlsx", xlsx_bytes({"Жоспар": rows}), XLSX)
        preview = await botapi.wait_for_message(ADMIN, since=mark)
        assert "№4" in preview["text"] and "31 шілде" in preview["text"]
        assert bot.svc.core.plans.version == 1
        applied = await decide_preview(botapi, ADMIN, preview)
        assert "№4" in applied["text"]
        assert bot.svc.core.plans.version == 2
        assert [p.effective for p in bot.svc.runtime.points_of(4)] == [dt.date(2023, 7, 31)]
        assert [a.code for a in bot.svc.plan.agencies] == ["КК", "МӘЖБ", "КҚ"]
