"""The sandbox in one process: personas seeded through the bot, a training cycle by the clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sandbox.personas import DEFAULT_CAST, Role
from sandbox.session import Sandbox
from sandbox.timeline import Jump
from scheduler.storage.tables import OutboxRow, StatusUpdateRow
from scheduler.vocabulary.subscriptions import Follow
from tests.sandbox.support import buttons, sandbox_running

ALMATY = ZoneInfo("Asia/Almaty")
CAST = DEFAULT_CAST
ADMIN, COORDINATOR, OFFICER, CONTROLLER, NEWCOMER = (p.user_id for p in CAST.personas)
GROUP = CAST.group_id


def _local(sandbox: Sandbox) -> dt.datetime:
    return sandbox.clock.now().astimezone(ALMATY)


async def _sent(sandbox: Sandbox, chat_id: int, since: dt.datetime) -> list[OutboxRow]:
    async with sandbox.svc.db.unit_of_work() as uow:
        rows = await uow.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.chat_id == chat_id, OutboxRow.sent_at >= since)
            .order_by(OutboxRow.id)
        )
        return list(rows)


async def test_the_personas_come_from_the_bots_own_conversations(tmp_path: Path) -> None:
    async with sandbox_running(tmp_path) as sandbox:
        db, server = sandbox.svc.db, sandbox.server
        assert sandbox.svc.settings.admin_ids == (ADMIN,)
        async with db.unit_of_work() as uow:
            joined = {
                user: [(m.agency, m.role) for m in await uow.members.of_user(user)]
                for user in (COORDINATOR, OFFICER, CONTROLLER, NEWCOMER)
            }
            follows = {
                chat: [(s.kind, s.target) for s in await uow.subscriptions.of_chat(chat)]
                for chat in (COORDINATOR, OFFICER, CONTROLLER, GROUP)
            }
        assert joined == {
            COORDINATOR: [("МСМ", "coordinator")],
            OFFICER: [("МСМ", "officer")],
            CONTROLLER: [("ІСБ", "controller")],
            NEWCOMER: [],
        }
        assert follows == {
            COORDINATOR: [(Follow.AGENCY, "МСМ")],
            OFFICER: [(Follow.AGENCY, "МСМ")],
            CONTROLLER: [(Follow.AGENCY, "ІСБ")],
            GROUP: [(Follow.AGENCY, "МСМ")],
        }
        # The invitations are in the administrator's chat, the joins in the members'.
        invites = [m for m in server.sent_messages(ADMIN) if "?start=" in m.get("text", "")]
        assert len(invites) == 3
        joined = server.messages(OFFICER, from_bot=False)
        assert joined[0]["text"].startswith("/start ") and joined[1]["text"] == "/subscribe"
        # The group: its administrators decide its subscriptions; everyone is in it.
        group = server.chat(GROUP)
        assert group is not None and group.title == "МСМ — мемлекеттік рәміздер"
        assert group.creator == ADMIN and group.admins == {ADMIN, COORDINATOR}
        assert all(group.status_of(p.user_id) != "left" for p in CAST.personas)
        # The newcomer has not opened the bot yet.
        assert server.chat(NEWCOMER) is None
        assert server.user(NEWCOMER).first_name == "Жаңа қолданушы"
        # The clock starts on Monday 16 November 2015 at 08:30, and runs.
        start = _local(sandbox)
        assert dt.datetime(2015, 11, 16, 8, 30, tzinfo=ALMATY) <= start
        assert start < dt.datetime(2015, 11, 16, 8, 35, tzinfo=ALMATY)
        assert [p.role for p in CAST.personas] == list(Role)


async def test_a_reminder_a_reply_and_an_escalation_by_the_clock(tmp_path: Path) -> None:
    async with sandbox_running(tmp_path) as sandbox:
        server, timeline = sandbox.server, sandbox.timeline
        started = sandbox.clock.now()

        # The next reminder: Tuesday 17 November at 09:00, ten working days before the
        # 2 December deadlines of tasks 1-3, to everyone following МСМ.
        result = await timeline.jump(Jump.NEXT_REMINDER)
        assert result.moved
        assert result.after.astimezone(ALMATY).replace(second=0, microsecond=0) == dt.datetime(
            2015, 11, 17, 9, 0, tzinfo=ALMATY
        )
        for chat_id in (COORDINATOR, OFFICER, GROUP):
            rows = await _sent(sandbox, chat_id, started)
            assert {r.control_point[:3] for r in rows} == {"T01", "T02", "T03"}
            assert {r.kind for r in rows} == {"reminder"} and len(rows) == 6
        assert await _sent(sandbox, CONTROLLER, started) == []

        # The officer replies «орындалды» to the reminder of task 1's deadline.
        [row] = [
            r
            for r in await _sent(sandbox, OFFICER, started)
            if r.control_point == "T01-deadline-2015-12-02"
        ]
        reminder = next(
            m for m in server.sent_messages(OFFICER) if m["message_id"] == row.message_id
        )
        assert any(b.startswith("st:") for b in buttons(reminder))
        mark = server.mark()
        server.send_text(OFFICER, "орындалды", reply_to=reminder)
        answer = await server.wait_for_message(OFFICER, since=mark)
        assert "№1" in answer["text"] and any(b.startswith("undo:") for b in buttons(answer))
        async with sandbox.svc.db.unit_of_work() as uow:
            [status] = list(await uow.session.scalars(select(StatusUpdateRow)))
        assert (status.control_point, status.agency, status.status) == (
            "T01-deadline-2015-12-02",
            "МСМ",
            "done",
        )
        assert status.text == "орындалды"

        # Three weeks on, day by day: each day's wave went out fresh, the weekly digest too.
        for _ in range(3):
            await timeline.jump(Jump.WEEK)
        assert _local(sandbox).date() == dt.date(2015, 12, 8)
        async with sandbox.svc.db.unit_of_work() as uow:
            states = set(await uow.session.scalars(select(OutboxRow.state)))
        assert states == {"sent"}
        digests = [r for r in await _sent(sandbox, ADMIN, started) if r.kind == "digest"]
        assert [r.control_point for r in digests] == [f"digest:2015-W{n}" for n in (47, 48, 49)]
        first_digest = digests[0].sent_at.astimezone(ALMATY)
        assert (first_digest.date(), first_digest.hour) == (dt.date(2015, 11, 20), 16)

        # One working day more: five working days overdue, the open points escalate to the
        # controlling department's follower and the administrator, task 1's deadline not.
        before = sandbox.clock.now()
        await timeline.jump(Jump.WORKING_DAY)
        assert _local(sandbox).date() == dt.date(2015, 12, 9)
        for chat_id in (CONTROLLER, ADMIN):
            escalated = [r for r in await _sent(sandbox, chat_id, before) if r.kind == "escalation"]
            points = {r.control_point for r in escalated}
            assert "T01-report-2015-12-02" in points and "T03-deadline-2015-12-02" in points
            assert "T01-deadline-2015-12-02" not in points
        texts = [m["text"] for m in server.sent_messages(CONTROLLER) if m["text"].startswith("🚨")]
        assert texts and all("№" in text for text in texts)


async def test_a_working_day_from_a_friday_is_the_monday(tmp_path: Path) -> None:
    friday = dt.datetime(2015, 11, 20, 11, 15)
    async with sandbox_running(tmp_path, start=friday) as sandbox:
        target = await sandbox.timeline.target(Jump.WORKING_DAY, sandbox.clock.now())
        assert target is not None
        assert target.astimezone(ALMATY).date() == dt.date(2015, 11, 23)
        week = await sandbox.timeline.target(Jump.WEEK, sandbox.clock.now())
        assert week is not None and week.astimezone(ALMATY).date() == dt.date(2015, 11, 27)
        # The stops on the way: Monday's wave is the only send instant up to Monday 11:15;
        # the Friday's digest at 16:00 comes first.
        stops = sandbox.timeline.stops(sandbox.clock.now(), target)
        assert [s.astimezone(ALMATY) for s in stops] == [
            dt.datetime(2015, 11, 20, 16, 0, tzinfo=ALMATY),
            dt.datetime(2015, 11, 23, 9, 0, tzinfo=ALMATY),
        ]
