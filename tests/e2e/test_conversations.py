"""The coordinators' and officers' stories, end to end through the local Bot API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.tables import AuditRow, MembershipRow, StatusUpdateRow, SubscriptionRow
from tests.e2e.harness import RunningBot, delivered, running_bot

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, COORDINATOR, OFFICER, OUTSIDER = 7001, 7002, 7003, 7004
GROUP = -5001


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _say(
    server: BotApiServer, user: int, text: str, chat: int | None = None
) -> dict[str, Any]:
    mark = server.mark()
    server.send_text(user, text, chat=chat)
    return await server.wait_for_message(chat or user, since=mark)


async def _invite(server: BotApiServer, agency: str, role: str) -> str:
    reply = await _say(server, ADMIN, f"/invite {agency} {role}")
    found = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert found, reply["text"]
    return found.group(1)


async def _join(bot: RunningBot, user: int, name: str, agency: str, role: str) -> dict[str, Any]:
    server = bot.server
    token = await _invite(server, agency, role)
    server.user(user, name)
    mark = server.mark()
    server.send_command(user, f"/start {token}")
    joined = await server.wait_for_message(user, since=mark)
    await server.wait_for_message(user, lambda m: "lang:ru" in _buttons(m), since=mark)
    return joined


async def _reminder_for_task(
    server: BotApiServer, chat: int, task: int, since: int
) -> dict[str, Any]:
    return await server.wait_for_message(
        chat,
        lambda m: (
            re.search(rf"№{task}(?!\d)", m.get("text", "")) is not None
            and "st:" in str(_buttons(m))
        ),
        since=since,
    )


async def test_the_stories_of_a_coordinator_and_an_officer(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        await _say(botapi, ADMIN, "/start")

        # A coordinator joins by invite, picks Russian and subscribes the agency's group.
        joined = await _join(bot, COORDINATOR, "Гүлнар", "МСМ", "coordinator")
        assert "МСМ" in joined["text"] and "үйлестіруші" in joined["text"]
        welcome = await botapi.wait_for_message(COORDINATOR, lambda m: "lang:ru" in _buttons(m))
        mark = botapi.mark()
        botapi.press_button(COORDINATOR, welcome, "lang:ru")
        chosen = await botapi.wait_for_message(COORDINATOR, since=mark)
        assert chosen["text"] == "Язык сохранён: русский."

        menu = await _say(botapi, COORDINATOR, "/subscribe")
        assert "sub:a:МСМ" in _buttons(menu)
        mark = botapi.mark()
        botapi.press_button(COORDINATOR, menu, "sub:a:МСМ")
        await botapi.wait_for_call("editMessageText", since=mark)
        confirmed = botapi.sent_messages(COORDINATOR)[-1]
        # The agency is named as a Russian reader writes it: МКС for МСМ.
        assert confirmed["text"].startswith("✅ Подписка оформлена: МКС")

        # The group: the coordinator administers it and subscribes it too.
        await _join(bot, OFFICER, "Бақыт", "МСМ", "officer")
        botapi.user(OUTSIDER, "Сторонний")
        botapi.group(GROUP, "МСМ — рәміздер", admins=[COORDINATOR], members=[OFFICER, OUTSIDER])
        group_menu = await _say(botapi, COORDINATOR, "/subscribe", chat=GROUP)
        mark = botapi.mark()
        botapi.press_button(COORDINATOR, group_menu, "sub:a:МСМ")
        await botapi.wait_for_call("editMessageText", since=mark)

        # A non-administrator of the group cannot subscribe it: told at once, and who decides.
        refused_menu = await _say(botapi, OFFICER, "/subscribe", chat=GROUP)
        assert "әкімшілері" in refused_menu["text"] and "Гүлнар" in refused_menu["text"]
        assert not _buttons(refused_menu)
        refused_direct = await _say(botapi, OFFICER, "/subscribe МСМ", chat=GROUP)
        assert "Гүлнар" in refused_direct["text"]
        # Nor through the administrator's menu, pressed later.
        mark = botapi.mark()
        botapi.press_button(OFFICER, group_menu, "sub:a:МСМ", check=False)
        edited = await botapi.wait_for_call("editMessageText", since=mark)
        assert "әкімшілері" in edited.params["text"]

        # A reminder arrives on the day task 6 is due (30 June 2016), at 09:00 in Almaty.
        clock.set(dt.datetime(2016, 6, 30, 9, 0, 30, tzinfo=ALMATY))
        mark = botapi.mark()
        await run_tick(bot.svc)
        reminder = await _reminder_for_task(botapi, GROUP, 6, mark)
        assert "бүгін" in reminder["text"]
        assert "30 маусым" in reminder["text"]
        assert _buttons(reminder)[0].startswith("st:")
        private = await _reminder_for_task(botapi, COORDINATOR, 6, mark)
        await delivered(bot)
        assert "Напоминание · мероприятие №6" in private["text"]
        assert "сегодня" in private["text"]

        # An outsider's "done" is refused politely, and recorded.
        mark = botapi.mark()
        botapi.send_text(OUTSIDER, "done", chat=GROUP, reply_to=reminder)
        refused = await botapi.wait_for_message(GROUP, since=mark)
        assert "МСМ" in refused["text"] and "тіркелді" in refused["text"]

        # The officer replies "орындалды": stored verbatim, confirmed with an undo button.
        mark = botapi.mark()
        botapi.send_text(OFFICER, "Орындалды, комиссияға енгізілді", chat=GROUP, reply_to=reminder)
        confirmation = await botapi.wait_for_message(GROUP, since=mark)
        assert "№6" in confirmation["text"] and "орындалды" in confirmation["text"]
        assert _buttons(confirmation)[0].startswith("undo:")

        # /task 6 shows the new status, in Russian for the coordinator.
        card = await _say(botapi, COORDINATOR, "/task 6")
        assert "МСМ: ✅ исполнено" in card["text"] or "✅ исполнено" in card["text"]
        assert "Орындалды, комиссияға енгізілді" in card["text"]

        async with bot.svc.db.unit_of_work() as uow:
            statuses = (await uow.session.scalars(select(StatusUpdateRow))).all()
            refusals = (
                await uow.session.scalars(select(AuditRow).where(AuditRow.allowed.is_(False)))
            ).all()
            members = (await uow.session.scalars(select(MembershipRow))).all()
            subs = (await uow.session.scalars(select(SubscriptionRow))).all()
        assert [(s.agency, s.status, s.text, s.user_id) for s in statuses] == [
            ("МСМ", "done", "Орындалды, комиссияға енгізілді", OFFICER)
        ]
        assert statuses[0].control_point == "T06-deadline-2016-06-30"
        assert {(r.action, r.user_id) for r in refusals} >= {
            ("status.report", OUTSIDER),
            ("subscription.change", OFFICER),
        }
        assert {(m.user_id, m.role) for m in members} == {
            (COORDINATOR, "coordinator"),
            (OFFICER, "officer"),
        }
        assert {(s.chat_id, s.target) for s in subs} == {(COORDINATOR, "МСМ"), (GROUP, "МСМ")}


async def test_buttons_questions_evidence_and_undo(botapi: BotApiServer, database_url: str) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        await _join(bot, OFFICER, "Бақыт", "МСМ", "officer")
        menu = await _say(botapi, OFFICER, "/subscribe")
        mark = botapi.mark()
        botapi.press_button(OFFICER, menu, "sub:a:МСМ")
        await botapi.wait_for_call("editMessageText", since=mark)

        clock.set(dt.datetime(2016, 6, 30, 9, 1, tzinfo=ALMATY))
        mark = botapi.mark()
        await run_tick(bot.svc)
        reminder = await _reminder_for_task(botapi, OFFICER, 6, mark)
        await delivered(bot)

        # A promise is not "done": the bot asks with buttons instead of guessing.
        mark = botapi.mark()
        botapi.send_text(OFFICER, "ертең жібереміз", reply_to=reminder)
        question = await botapi.wait_for_message(OFFICER, since=mark)
        assert all(b.startswith("cl:") for b in _buttons(question))

        # A document in reply is evidence; pressing "in progress" stores it with the status.
        mark = botapi.mark()
        botapi.send_document(
            OFFICER, "хаттама №3.pdf", b"%PDF-1.4", "application/pdf", reply_to=reminder
        )
        ask = await botapi.wait_for_message(OFFICER, since=mark)
        progress = next(b for b in _buttons(ask) if b.split(":")[2] == "p")
        mark = botapi.mark()
        botapi.press_button(OFFICER, ask, progress)
        saved = await botapi.wait_for_message(
            OFFICER, lambda m: "undo:" in str(_buttons(m)), since=mark
        )
        assert "орындалуда" in saved["text"]

        # The button under the reminder, then undo within the window.
        mark = botapi.mark()
        botapi.press_button(OFFICER, reminder, _buttons(reminder)[0])
        done = await botapi.wait_for_message(
            OFFICER, lambda m: "undo:" in str(_buttons(m)), since=mark
        )
        # The first question, pressed now: the report it asked for is recorded already.
        stale = _buttons(question)[0]
        mark = botapi.mark()
        botapi.press_button(OFFICER, question, stale)
        told = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert "тіркеліп қойған" in told.params.get("text", "")
        assert "✅ орындалды" in told.params.get("text", "")
        assert told.params.get("show_alert") in (True, "true", "True")
        mark = botapi.mark()
        botapi.press_button(OFFICER, done, _buttons(done)[0])
        await botapi.wait_for_call("editMessageText", since=mark)

        # Undo is refused once the window has passed.
        clock.advance(dt.timedelta(minutes=10))
        mark = botapi.mark()
        botapi.press_button(OFFICER, saved, _buttons(saved)[0])
        answer = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert "5" in answer.params.get("text", "")

        async with bot.svc.db.unit_of_work() as uow:
            rows = (
                await uow.session.scalars(select(StatusUpdateRow).order_by(StatusUpdateRow.id))
            ).all()
        assert [(r.status, r.source, r.revoked_at is not None) for r in rows] == [
            ("in_progress", "button", False),
            ("done", "button", True),
        ]
        assert rows[0].evidence_kind == "document" and rows[0].evidence_name == "хаттама №3.pdf"
        assert rows[0].evidence_file_id


async def test_a_group_gets_its_reminders_in_its_own_language(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(botapi, database_url, clock=clock) as bot:
        botapi.user(COORDINATOR, "Гүлнар")
        botapi.group(GROUP, "Рәміздер", admins=[COORDINATOR])
        menu = await _say(botapi, COORDINATOR, "/lang", chat=GROUP)
        mark = botapi.mark()
        botapi.press_button(COORDINATOR, menu, "lang:en")
        chosen = await botapi.wait_for_message(GROUP, since=mark)
        assert chosen["text"] == "Language saved: English."

        menu = await _say(botapi, COORDINATOR, "/subscribe", chat=GROUP)
        mark = botapi.mark()
        botapi.press_button(COORDINATOR, menu, "subt")
        await botapi.wait_for_call("editMessageText", since=mark)
        picker = botapi.sent_messages(GROUP)[-1]
        mark = botapi.mark()
        botapi.press_button(COORDINATOR, picker, "sub:t:6")
        await botapi.wait_for_call("editMessageText", since=mark)

        clock.set(dt.datetime(2016, 6, 30, 9, 1, tzinfo=ALMATY))
        mark = botapi.mark()
        await run_tick(bot.svc)
        reminder = await botapi.wait_for_message(
            GROUP, lambda m: "task no. 6" in m.get("text", ""), since=mark
        )
        assert reminder["text"].startswith("⏰ Reminder · task no. 6")
        assert "today" in reminder["text"]


async def test_in_private_a_reply_to_a_message_not_the_bots_is_answered(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url) as bot:
        server = bot.server
        server.user(OUTSIDER, "Outsider")
        server.user(OFFICER, "Officer")
        server.private_chat(OUTSIDER)
        mark = server.mark()
        own = server.send_text(OUTSIDER, "Комиссия отырысы өтті")["message"]
        await server.wait_for_message(OUTSIDER, since=mark)
        forwarded = {
            "message_id": own["message_id"] + 100,
            "date": own["date"],
            "chat": own["chat"],
            "from": own["from"],
            "forward_origin": {"type": "hidden_user", "sender_user_name": "Басқа", "date": 0},
            "text": "Хаттама қоса беріледі",
        }
        quoted_channel = {
            **forwarded,
            "from": None,
            "sender_chat": {"id": -1001, "type": "channel"},
        }
        replies = [
            lambda text: server.send_text(OUTSIDER, text, reply_to=own),
            *(
                lambda text, quoted=quoted: server.send_raw_update(
                    {
                        "message": {
                            "message_id": own["message_id"] + 200,
                            "date": own["date"],
                            "chat": own["chat"],
                            "from": own["from"],
                            "text": text,
                            "reply_to_message": {k: v for k, v in quoted.items() if v is not None},
                        }
                    }
                )
                for quoted in (forwarded, quoted_channel)
            ),
        ]
        for reply in replies:
            for text in ("орындалды", "бұл не?"):
                mark = server.mark()
                reply(text)
                answer = await server.wait_for_message(OUTSIDER, since=mark)
                assert "/done" in answer["text"], answer["text"]

        # In a group, a reply to another person is talk between people: the bot keeps out.
        server.group(GROUP, "МСМ", members=[OUTSIDER, OFFICER])
        said = server.send_text(OFFICER, "Ертең кездесеміз", chat=GROUP)["message"]
        mark = server.mark()
        server.send_text(OUTSIDER, "орындалды", chat=GROUP, reply_to=said)
        server.send_text(OUTSIDER, "/help", chat=GROUP)
        answer = await server.wait_for_message(GROUP, since=mark)
        assert "/task" in answer["text"]
        assert len(server.sent_messages(GROUP, since=mark)) == 1
