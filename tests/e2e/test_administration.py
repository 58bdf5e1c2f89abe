"""Administration end to end: rights, invites, members, plan changes, broadcasts, the audit log."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.plan import load_plan
from scheduler.plan.serialize import dump_plan
from scheduler.storage.tables import AuditRow, OutboxRow, StatusUpdateRow
from tests.e2e.harness import PLAN_PATH, RunningBot, decide_preview, delivered, running_bot

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, MSM, ZHAO, STRANGER, DEPUTY = 8001, 8002, 8003, 8004, 8005

ADMIN_COMMANDS = [
    "/admin",
    "/audit",
    "/invite МСМ officer",
    "/members МСМ",
    "/removemember МСМ 8002",
    "/promote 8004",
    "/demote 8001",
    "/revoke 1",
    "/setdeadline 6 2016 ж., 15-ші шілдеге",
    "/setreports 6 2016 ж., 12 шілдеге",
    "/setagencies 6 МСМ, ЖАО",
    "/acks",
    "/broadcast all Hello",
    "/workday 2016-03-05",
    "/dayoff 2016-07-08",
    "/officialday 2016-07-08",
]


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _say(server: BotApiServer, user: int, text: str) -> dict[str, Any]:
    mark = server.mark()
    server.send_text(user, text)
    return await server.wait_for_message(user, since=mark)


async def _member(bot: RunningBot, user: int, agency: str) -> None:
    """Invite ``user`` to ``agency`` and subscribe their private chat to it."""
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


async def _start(server: BotApiServer, user: int, token: str) -> dict[str, Any]:
    """/start with an invitation: the answer about the invitation, once the welcome follows."""
    mark = server.mark()
    server.send_command(user, f"/start {token}")
    answer = await server.wait_for_message(user, since=mark)
    await server.wait_for_message(user, lambda m: "lang:kk" in _buttons(m), since=mark)
    return answer


def _start_clock() -> FakeClock:
    return FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))


async def test_every_admin_command_is_refused_to_others_and_recorded(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)) as bot:
        botapi.user(STRANGER, "Stranger")
        for command in ADMIN_COMMANDS:
            reply = await _say(botapi, STRANGER, command)
            assert "тек әкімшілерге" in reply["text"], command
        mark = botapi.mark()
        botapi.send_document(STRANGER, "plan.json", PLAN_PATH.read_bytes(), "application/json")
        refused = await botapi.wait_for_message(STRANGER, since=mark)
        assert "тек әкімшілерге" in refused["text"]
        mark = botapi.mark()
        botapi.send_raw_update(
            {
                "callback_query": {
                    "id": "forged-1",
                    "from": {"id": STRANGER, "is_bot": False, "first_name": "Stranger"},
                    "chat_instance": "x",
                    "data": "bc:go:1",
                    "message": refused,
                }
            }
        )
        answer = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert answer.params.get("show_alert") in (True, "true", "True")

        async with bot.svc.db.unit_of_work() as uow:
            refusals = (
                await uow.session.scalars(
                    select(AuditRow.action).where(
                        AuditRow.allowed.is_(False), AuditRow.user_id == STRANGER
                    )
                )
            ).all()
        assert set(refusals) >= {
            "admin.menu",
            "audit.read",
            "invite.create",
            "members.read",
            "members.remove",
            "admin.promote",
            "admin.demote",
            "invite.revoke",
            "plan.edit",
            "plan.acks",
            "broadcast.draft",
            "plan.upload",
            "broadcast.confirm",
            "calendar.change",
        }


async def test_invites_are_single_use_expire_and_can_be_revoked(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = _start_clock()
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        first = await _say(botapi, ADMIN, "/invite ЖАО coordinator")
        link = re.search(r"\?start=([A-Za-z0-9_-]+)", first["text"])
        assert link is not None
        token = link.group(1)
        assert len(token) >= 22  # at least 128 bits of randomness, URL-safe

        botapi.user(ZHAO, "Zhao")
        joined = await _start(botapi, ZHAO, token)
        assert "ЖАО" in joined["text"]
        botapi.user(STRANGER, "Stranger")
        reused = await _start(botapi, STRANGER, token)
        assert "бұрын пайдаланылған" in reused["text"]
        guessed = await _start(botapi, STRANGER, "A" * 32)
        assert "танылмады" in guessed["text"]

        second = await _say(botapi, ADMIN, "/invite ЖАО officer")
        late = re.search(r"\?start=([A-Za-z0-9_-]+)", second["text"])
        assert late is not None
        clock.advance(dt.timedelta(days=8))
        expired = await _start(botapi, STRANGER, late.group(1))
        assert "мерзімі өтіп кеткен" in expired["text"]

        third = await _say(botapi, ADMIN, "/invite ЖАО officer")
        revoked_link = re.search(r"\?start=([A-Za-z0-9_-]+)", third["text"])
        assert revoked_link is not None
        assert "кері қайтарылды" in (await _say(botapi, ADMIN, "/revoke 3"))["text"]
        revoked = await _start(botapi, STRANGER, revoked_link.group(1))
        assert "кері қайтарылған" in revoked["text"]

        members = await _say(botapi, ADMIN, "/members ЖАО")
        assert "Zhao" in members["text"] and str(ZHAO) in members["text"]
        assert "Stranger" not in members["text"]
        removed = await _say(botapi, ADMIN, f"/removemember ЖАО {ZHAO}")
        assert "шығарылды" in removed["text"]
        after = await _say(botapi, ADMIN, "/members ЖАО")
        assert "мүше жоқ" in after["text"]

        # A promoted administrator may read the audit log, which shows who did what.
        await _say(botapi, ADMIN, f"/promote {STRANGER}")
        log = await _say(botapi, STRANGER, "/audit 25")
        for told in (
            "№1 шақыру: ЖАО",  # invite.create
            "шақыру арқылы ЖАО органына",  # invite.redeem
            "№3 шақыруды кері қайтару",  # invite.revoke
            "ЖАО мүшелерінен шығару",  # members.remove
        ):
            assert told in log["text"], told
        assert "⛔" in log["text"]  # the refused redemptions are there too
        async with bot.svc.db.unit_of_work() as uow:
            stored = (await uow.session.scalars(select(AuditRow.detail))).all()
        assert all(token not in detail for detail in stored)


async def test_a_deadline_change_reaches_exactly_the_agencies_it_touches(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = _start_clock()
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        await _member(bot, MSM, "МСМ")
        await _member(bot, ZHAO, "ЖАО")

        # МСМ reports progress on task 6's deadline before the date moves.
        mark = botapi.mark()
        botapi.send_text(MSM, "/status 6 in_progress комиссия отырысы жоспарланды")
        await botapi.wait_for_message(MSM, since=mark)

        bad = await _say(botapi, ADMIN, "/setdeadline 6 2016 ж., 31-ші ақпанға")
        assert "қабылданбады" in bad["text"]
        assert bot.svc.runtime.plan.task(6).deadline.phrase == "2016 жылдың бірінші жартыжылдығы"

        preview = await _say(botapi, ADMIN, "/setdeadline 6 2016 ж., 15-ші шілдеге")
        assert "2016 ж., 15-ші шілдеге" in preview["text"]
        assert bot.svc.runtime.plan.task(6).deadline.phrase == "2016 жылдың бірінші жартыжылдығы"
        mark = botapi.mark()
        applied = await decide_preview(botapi, ADMIN, preview)
        assert "№6" in applied["text"]
        change = await botapi.wait_for_message(
            MSM, lambda m: "ack:" in str(_buttons(m)), since=mark
        )
        assert "2016 ж., 15-ші шілдеге" in change["text"]
        assert "жартыжылдығы" in change["text"]
        await delivered(bot)
        assert not [m for m in botapi.sent_messages(ZHAO) if "ack:" in str(_buttons(m))]

        mark = botapi.mark()
        botapi.press_button(MSM, change, _buttons(change)[0])
        await botapi.wait_for_call("answerCallbackQuery", since=mark)
        acks = await _say(botapi, ADMIN, "/acks")
        assert f"пайдаланушы {MSM}" in acks["text"]

        # The status history followed the point to its new date.
        async with bot.svc.db.unit_of_work() as uow:
            points = (await uow.session.scalars(select(StatusUpdateRow.control_point))).all()
        assert points == ["T06-deadline-2016-07-15"]
        card = await _say(botapi, MSM, "/task 6")
        assert "орындалуда" in card["text"]

        # Reminders follow the new date at once.
        clock.set(dt.datetime(2016, 7, 15, 9, 1, tzinfo=ALMATY))
        await run_tick(bot.svc)
        async with bot.svc.db.unit_of_work() as uow:
            planned = (
                await uow.session.scalars(
                    select(OutboxRow.control_point).where(OutboxRow.chat_id == MSM)
                )
            ).all()
        assert "T06-deadline-2016-07-15" in planned
        assert "T06-deadline-2016-06-30" not in planned


async def test_an_uploaded_plan_is_validated_and_kept_or_applied(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        broken = json.loads(PLAN_PATH.read_text(encoding="utf-8"))
        broken["tasks"][2]["responsible"][0]["code"] = "ЖОҚ"
        mark = botapi.mark()
        botapi.send_document(
            ADMIN, "plan.json", json.dumps(broken, ensure_ascii=False).encode(), "application/json"
        )
        refused = await botapi.wait_for_message(ADMIN, since=mark)
        assert "tasks[2].responsible[0].code" in refused["text"]
        assert bot.svc.core.plans.version == 1

        plan = load_plan(PLAN_PATH)
        task = plan.task(18)
        report = task.form.report_dates[0].model_copy(update={"date": dt.date(2016, 12, 15)})
        changed = plan.model_copy(
            update={
                "tasks": [
                    t.model_copy(
                        update={"form": t.form.model_copy(update={"report_dates": [report]})}
                    )
                    if t.number == 18
                    else t
                    for t in plan.tasks
                ]
            }
        )
        mark = botapi.mark()
        botapi.send_document(ADMIN, "plan.json", dump_plan(changed).encode(), "application/json")
        preview = await botapi.wait_for_message(ADMIN, since=mark)
        assert bot.svc.core.plans.version == 1
        applied = await decide_preview(botapi, ADMIN, preview)
        assert "№18" in applied["text"]
        assert bot.svc.core.plans.version == 2
        assert [p.effective for p in bot.svc.runtime.points_of(18)] == [dt.date(2016, 12, 15)]


@pytest.mark.parametrize("audience", ["МСМ", "all"])
async def test_broadcast_preview_confirm_and_delivery_report(
    botapi: BotApiServer, database_url: str, audience: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        await _member(bot, MSM, "МСМ")
        await _member(bot, ZHAO, "ЖАО")
        botapi.user(DEPUTY, "Deputy")
        await _member(bot, DEPUTY, "МСМ")
        botapi.fail_blocked(chat_id=DEPUTY, method="sendMessage")

        text = "Ертең 10:00-де <кеңес> & талқылау"
        preview = await _say(botapi, ADMIN, f"/broadcast {audience} {text}")
        assert text in preview["text"]  # shown as typed: the markup was escaped
        expected = {MSM, DEPUTY} if audience == "МСМ" else {ADMIN, MSM, ZHAO, DEPUTY}
        assert f"{len(expected)} чат" in preview["text"]
        mark = botapi.mark()
        botapi.press_button(ADMIN, preview, f"bc:go:{_buttons(preview)[0].rsplit(':', 1)[1]}")
        await botapi.wait_for_call("editMessageText", since=mark)
        await delivered(bot)

        got = {
            chat
            for chat in (ADMIN, MSM, ZHAO, DEPUTY)
            if any(m.get("text", "").startswith("📣") for m in botapi.sent_messages(chat))
        }
        assert got == expected - {DEPUTY}

        mark = botapi.mark()
        await run_tick(bot.svc)
        report = await botapi.wait_for_message(
            ADMIN, lambda m: "📬" in m.get("text", ""), since=mark
        )
        sent = len(expected) - 1
        assert f"Жіберілді: {sent}" in report["text"]
        assert "бұғаттағандар: 1" in report["text"]

        # A second press of the same button sends nothing more.
        mark = botapi.mark()
        botapi.press_button(ADMIN, preview, _buttons(preview)[0], check=False)
        answer = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert "Шешім қабылданып қойған" in answer.params.get("text", "")


async def test_a_day_off_moves_the_control_points_and_other_instances_follow(
    botapi: BotApiServer, database_url: str
) -> None:
    from scheduler.plan_runtime import PlanHolder
    from scheduler.usecases.plan_changes import follow_latest

    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        report_on_july_10 = [p for p in bot.svc.runtime.points if p.nominal == dt.date(2016, 7, 10)]
        assert {p.effective for p in report_on_july_10} == {dt.date(2016, 7, 8)}
        # Another instance, started before the change, still holds the old calendar.
        other = PlanHolder(bot.svc.runtime, bot.svc.core.plans.version)

        reply = await _say(botapi, ADMIN, "/dayoff 2016-07-08 Үкімет қаулысы")
        assert f"{len(report_on_july_10)}" in reply["text"]
        moved = [p for p in bot.svc.runtime.points if p.nominal == dt.date(2016, 7, 10)]
        assert {p.effective for p in moved} == {dt.date(2016, 7, 7)}

        assert await follow_latest(bot.svc.db, other, bot.svc.core.factory)
        assert {p.effective for p in other.current.points if p.nominal == dt.date(2016, 7, 10)} == {
            dt.date(2016, 7, 7)
        }

        await _say(botapi, ADMIN, "/officialday 2016-07-08")
        back = [p for p in bot.svc.runtime.points if p.nominal == dt.date(2016, 7, 10)]
        assert {p.effective for p in back} == {dt.date(2016, 7, 8)}
