"""The controller's loop, end to end through the local Bot API with the real bot.

A report of done waits for its controller, who accepts it or returns it for rework; an
agency asks for a new date, which its controller approves or refuses; a controller asks for
an interim report; a chat puts a reminder off. Each story runs in one of the interface's
languages, and checks who may press what.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.audit_repo import AuditEntry
from tests.e2e.harness import RunningBot, delivered, running_bot
from tests.e2e.people import button_with, buttons, containing, join, press, say, text_of

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, CONTROLLER, OTHER_CONTROLLER, OFFICER = 7101, 7102, 7103, 7104
# How a Kazakh reminder names an execution deadline (a report to the PA reads otherwise).
DEADLINE = "орындау мерзімі"


def _at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute, 30), ALMATY)


async def _tick(bot: RunningBot, clock: FakeClock, day: str) -> int:
    """Move the clock to ``day``'s reminder time and plan what is due; a mark before it."""
    clock.set(_at(day))
    mark = bot.server.mark()
    await run_tick(bot.svc)
    await delivered(bot)
    return mark


def _about(task: int, *words: str) -> object:
    def matches(message: dict[str, object]) -> bool:
        text = text_of(message)  # type: ignore[arg-type]
        numbered = re.search(rf"(№|no\. ){task}(?!\d)", text) is not None
        return numbered and all(w in text for w in words)

    return matches


async def _audit(bot: RunningBot, action: str) -> list[AuditEntry]:
    """The audit log's rows of ``action``, oldest first."""
    async with bot.svc.db.unit_of_work() as uow:
        entries = await uow.audit.recent(10_000)
    return [e for e in reversed(entries) if e.action == action]


async def _people(bot: RunningBot, language: str) -> None:
    """An ІСБ controller and an МСМ officer whose private chat follows МСМ."""
    server = bot.server
    server.user(ADMIN, "Admin")
    await say(server, ADMIN, "/start")
    await join(server, ADMIN, CONTROLLER, "Айгерим", "ІСБ", "controller", language=language)
    await join(server, ADMIN, OFFICER, "Бақыт", "МСМ", "officer", language=language, subscribe=True)


async def test_a_report_of_done_waits_for_its_controller_who_accepts_it(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(_at("2016-06-01", 10))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        await _people(bot, "ru")
        await join(botapi, ADMIN, OTHER_CONTROLLER, "Марат", "МҚБ", "controller", language="ru")

        # An administrator cannot make a controller of a department that controls nothing.
        refused = await say(botapi, ADMIN, "/invite МСМ controller")
        assert "МСМ" in text_of(refused) and "ІСБ, МҚБ, МБАҰЖБ" in text_of(refused)

        # The deadline of task 6 comes: the officer's reminder offers a new date and a snooze.
        mark = await _tick(bot, clock, "2016-06-30")
        reminder = await botapi.wait_for_message(OFFICER, _about(6, "сегодня"), since=mark)
        assert {b.split(":")[0] for b in buttons(reminder)} >= {"st", "ext", "zz"}

        # The officer answers with the protocol: the report goes to ІСБ for acceptance.
        mark = botapi.mark()
        botapi.send_document(
            OFFICER,
            "протокол.pdf",
            b"%PDF-1.4 protocol",
            "application/pdf",
            reply_to=reminder,
            caption="Выполнено, протокол приложен",
        )
        confirmation = await botapi.wait_for_message(OFFICER, since=mark)
        assert "направлен на приёмку: ОВП (чатов: 1)" in text_of(confirmation)
        upload = botapi.messages(OFFICER, since=mark, from_bot=False)[0]

        # The controller gets the report verbatim, its file re-sent, and the two buttons.
        review = await botapi.wait_for_message(CONTROLLER, containing("ждёт приёмки"), since=mark)
        assert "Выполнено, протокол приложен" in text_of(review)
        assert "Отправил: Бақыт, 30 июня 2016 г., 09:" in text_of(review)
        assert review["document"]["file_id"] == upload["document"]["file_id"]
        accept, rework = button_with(review, "rva:"), button_with(review, "rvr:")
        assert accept.split(":")[1] == rework.split(":")[1]

        # Nobody is chased for an item that waits for acceptance.
        mark = await _tick(bot, clock, "2016-07-01")
        late = [m for m in botapi.sent_messages(OFFICER, since=mark) if _about(6, "просроч")(m)]
        assert late == []

        # A controller of another department cannot decide it, forged button or not.
        elsewhere = await say(botapi, OTHER_CONTROLLER, "/help")
        alert = await press(botapi, OTHER_CONTROLLER, elsewhere, accept, check=False)
        assert "мероприятие №6 контролирует ОВП" in alert and "Попытка записана" in alert

        # Nor can someone of the reporting agency, even an administrator.
        await join(botapi, ADMIN, ADMIN, "Admin", "МСМ", "coordinator")
        mine = await say(botapi, ADMIN, "/help")
        alert = await press(botapi, ADMIN, mine, accept, check=False)
        assert "Өз органыңыздың (МСМ) есебі" in alert

        # The controller accepts: the item is closed, and the agency hears who and when.
        mark = botapi.mark()
        assert await press(botapi, CONTROLLER, review, accept) == "Принято"
        done = await botapi.wait_for_message(CONTROLLER, since=mark)
        assert "Принято: мероприятие №6, МКС" in text_of(done)
        told = await botapi.wait_for_message(OFFICER, containing("принят"), since=mark)
        assert "Мероприятие №6: отчёт МКС" in text_of(told)
        assert "принят и снят с контроля (Айгерим, 1 июля 2016 г., 09:00)" in text_of(told)

        # Pressed again, or from the same message later, the button changes nothing.
        again = await press(botapi, CONTROLLER, review, accept)
        assert again == "Решение уже принято; кнопка ничего не меняет."

        # The card shows the acceptance, and the agenda no longer lists the deadline.
        card = await say(botapi, OFFICER, "/task 6")
        assert "срок исполнения — ✅ принято: Айгерим, 1 июля 2016 г." in text_of(card)
        agenda = await say(botapi, OFFICER, "/due week")
        lines = [line for line in text_of(agenda).splitlines() if "№6," in line]
        assert text_of(agenda).startswith("Сроки в ближайшую неделю")
        assert lines == [
            "• 8 июля 2016 г., №6, МКС: информация в АП · — ещё не сообщал · осталось 4 рабочих дня"
        ]

        # A Russian date ends with «г.»: no sentence puts a second full stop after it.
        for chat in (OFFICER, CONTROLLER, OTHER_CONTROLLER):
            assert not [t for m in botapi.sent_messages(chat) if "г.." in (t := text_of(m))]

        decided = await _audit(bot, "review.accept")
        assert [row.allowed for row in decided] == [False, False, True, False]
        detail = decided[2].detail
        assert detail["before"] == "awaiting_acceptance" and detail["after"] == "accepted"
        assert decided[0].detail["reason"] == "not_controller"
        assert decided[1].detail["reason"] == "own_report"


async def test_a_returned_report_is_chased_again_from_its_new_date_until_accepted(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(_at("2016-06-01", 10))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        await _people(bot, "kk")
        mark = await _tick(bot, clock, "2016-06-30")
        reminder = await botapi.wait_for_message(OFFICER, _about(6, "бүгін"), since=mark)

        mark = botapi.mark()
        saved = await press(botapi, OFFICER, reminder, button_with(reminder, "st:"))
        assert saved
        review = await botapi.wait_for_message(CONTROLLER, containing("қабылдауды"), since=mark)

        # Return asks, in a message of the bot's own that opens a reply, for the comment.
        mark = botapi.mark()
        await press(botapi, CONTROLLER, review, button_with(review, "rvr:"))
        await delivered(bot)
        prompt = await botapi.wait_for_message(CONTROLLER, containing("түсініктемемен"), since=mark)
        asked = await botapi.wait_for_call(
            "sendMessage", lambda c: c.chat_id == CONTROLLER and "force_reply" in str(c.params)
        )
        assert asked is not None

        # A date alone is no comment.
        answer = await say(botapi, CONTROLLER, "05.07.2016", reply_to=prompt)
        assert "түсініктеме қажет" in text_of(answer)

        mark = botapi.mark()
        answer = await say(botapi, CONTROLLER, "05.07.2016 Хаттаманы қоса беріңіз", reply_to=prompt)
        assert "Пысықтауға қайтарылды: №6 іс-шара" in text_of(answer)
        returned = await botapi.wait_for_message(OFFICER, containing("қайтарылды"), since=mark)
        assert "Түсініктеме: Хаттаманы қоса беріңіз" in text_of(returned)
        assert "Жаңа мерзім: 2016 ж. 5 шілде" in text_of(returned)

        card = await say(botapi, OFFICER, "/task 6")
        assert "↩️ пысықтауға қайтарылды" in text_of(card)
        assert "өз мерзімі: 2016 ж. 5 шілде" in text_of(card)

        # Chased again, counting from the new date.
        mark = await _tick(bot, clock, "2016-07-04")
        again = await botapi.wait_for_message(OFFICER, _about(6, "5 шілде"), since=mark)
        assert "жоспар бойынша — 2016 ж. 30 маусым" in text_of(again)

        mark = botapi.mark()
        await say(botapi, OFFICER, "Орындалды, хаттама қоса берілді", reply_to=again)
        second = await botapi.wait_for_message(
            CONTROLLER, containing("Орындалды, хаттама қоса берілді"), since=mark
        )
        mark = botapi.mark()
        await press(botapi, CONTROLLER, second, button_with(second, "rva:"))
        accepted = await botapi.wait_for_message(OFFICER, containing("қабылданып"), since=mark)
        assert "№6 іс-шара" in text_of(accepted)

        # The first review's buttons are stale now.
        stale = await press(botapi, CONTROLLER, review, button_with(review, "rva:"))
        assert "Шешім қабылданып қойған" in stale

        returns = await _audit(bot, "review.return")
        assert [r.allowed for r in returns] == [True]
        assert returns[0].detail["comment"] == "Хаттаманы қоса беріңіз"
        assert returns[0].detail["new_date"] == "2016-07-05"
        assert returns[0].detail["after"] == "returned"


async def test_an_extension_approved_moves_the_reminders_and_one_refused_does_not(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(_at("2016-06-01", 10))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        await _people(bot, "en")
        mark = await _tick(bot, clock, "2016-06-23")
        reminder = await botapi.wait_for_message(OFFICER, _about(6, "5 working days"), since=mark)

        mark = botapi.mark()
        await press(botapi, OFFICER, reminder, button_with(reminder, "ext:"))
        await delivered(bot)
        prompt = await botapi.wait_for_message(OFFICER, containing("new date"), since=mark)

        saturday = await say(
            botapi, OFFICER, "2016-07-02 waiting for the ministry", reply_to=prompt
        )
        assert "July 2, 2016 does not fit" in text_of(saturday)
        no_reason = await say(botapi, OFFICER, "15.07.2016", reply_to=prompt)
        assert "The reason is required" in text_of(no_reason)

        mark = botapi.mark()
        sent = await say(
            botapi, OFFICER, "15.07.2016 the draft is still with the ministries", reply_to=prompt
        )
        assert "from June 30, 2016 to July 15, 2016" in text_of(sent)
        assert "Asked late" not in text_of(sent)
        request = await botapi.wait_for_message(
            CONTROLLER, containing("a request for a new date"), since=mark
        )
        assert "Reason: the draft is still with the ministries" in text_of(request)

        # The officer cannot approve their own request.
        own = await say(botapi, OFFICER, "/help")
        alert = await press(botapi, OFFICER, own, button_with(request, "exa:"), check=False)
        assert "only its controllers and the administrators" in alert

        mark = botapi.mark()
        assert await press(botapi, CONTROLLER, request, button_with(request, "exa:")) == "Approved"
        approved = await botapi.wait_for_message(OFFICER, containing("was approved"), since=mark)
        assert "July 15, 2016" in text_of(approved) and "June 30, 2016" in text_of(approved)

        # On the plan's date task 6's deadline is not due today: it is ten working days off …
        mark = await _tick(bot, clock, "2016-06-30")
        heard = [text_of(m) for m in botapi.sent_messages(OFFICER, since=mark)]
        assert any(_about(9, "today")({"text": t}) for t in heard)
        (six,) = [t for t in heard if _about(6, "execution")({"text": t})]
        assert "July 15, 2016 — 10 working days left" in six
        # … and five working days before the new date it is reminded again.
        mark = await _tick(bot, clock, "2016-07-08")
        moved = await botapi.wait_for_message(OFFICER, _about(6, "July 15, 2016"), since=mark)
        assert "the plan says June 30, 2016" in text_of(moved)

        # A late request for task 9 is refused, with the reason, and its date stands.
        mark = botapi.mark()
        late = await say(botapi, OFFICER, "/extend 9 20.07.2016 the schools are closed")
        assert "Asked late" in text_of(late)
        request = await botapi.wait_for_message(CONTROLLER, containing("Asked late"), since=mark)
        mark = botapi.mark()
        await press(botapi, CONTROLLER, request, button_with(request, "exr:"))
        await delivered(bot)
        why = await botapi.wait_for_message(CONTROLLER, containing("reason"), since=mark)
        mark = botapi.mark()
        await say(botapi, CONTROLLER, "The decree's date is fixed", reply_to=why)
        refused = await botapi.wait_for_message(OFFICER, containing("was refused"), since=mark)
        assert "Reason: The decree's date is fixed" in text_of(refused)
        assert "The date stays June 30, 2016" in text_of(refused)

        asked = await _audit(bot, "extension.request")
        assert [(r.detail["after"], r.detail["late"]) for r in asked] == [
            ("2016-07-15", False),
            ("2016-07-20", True),
        ]
        approvals = await _audit(bot, "extension.approve")
        assert [r.allowed for r in approvals] == [False, True]
        refusals = [r for r in await _audit(bot, "extension.refuse") if r.allowed]
        assert refusals[0].detail["after"] == "2016-06-30"


async def test_an_interim_request_is_answered_and_a_reminder_is_put_off(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(_at("2016-06-20", 10))
    async with running_bot(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as bot:
        await _people(bot, "kk")

        # Only a controller asks.
        refused = await say(botapi, OFFICER, "/ask 6 Жоба қай кезеңде?")
        assert "№6 іс-шараны ІСБ бақылайды" in text_of(refused)

        mark = botapi.mark()
        sent = await say(botapi, CONTROLLER, "/ask 6 Жоба қай кезеңде?")
        assert "Сұрау жіберілді: №6 іс-шара, МСМ. Чаттар: 1." in text_of(sent)
        request = await botapi.wait_for_message(OFFICER, containing("аралық ақпарат"), since=mark)
        assert "Жоба қай кезеңде?" in text_of(request)

        progress = [b for b in buttons(request) if b.startswith("st:") and b.endswith(":p")]
        mark = botapi.mark()
        await press(botapi, OFFICER, request, progress[0])
        recorded = await botapi.wait_for_message(OFFICER, since=mark)
        assert "Сұраған бақылаушыға жіберілді" in text_of(recorded)
        answer = await botapi.wait_for_message(CONTROLLER, containing("жауап берді"), since=mark)
        assert "№6 іс-шара: МСМ" in text_of(answer) and "орындалуда" in text_of(answer)

        listed = await say(botapi, CONTROLLER, "/asks")
        assert "жауап бергендер: МСМ; күтілуде: —" in text_of(listed)

        # The -5 reminder of task 6 is put off for three working days in this chat.
        mark = await _tick(bot, clock, "2016-06-23")
        reminder = await botapi.wait_for_message(OFFICER, _about(6, DEADLINE), since=mark)
        mark = botapi.mark()
        await press(botapi, OFFICER, reminder, f"zz:{button_with(reminder, 'zz:').split(':')[1]}:3")
        put_off = await botapi.wait_for_message(OFFICER, since=mark)
        assert "осы чатқа 2016 ж. 28 маусым қайта еске саламын" in text_of(put_off)

        # On the 27th the chat hears of its other items, not of task 6.
        mark = await _tick(bot, clock, "2016-06-27")
        heard = [text_of(m) for m in botapi.sent_messages(OFFICER, since=mark)]
        assert any(_about(9)({"text": t}) for t in heard)
        assert not any(_about(6, DEADLINE)({"text": t}) for t in heard)
        # On the 28th the reminder comes back.
        mark = await _tick(bot, clock, "2016-06-28")
        back = await botapi.wait_for_message(OFFICER, _about(6, DEADLINE), since=mark)
        assert "2016 ж. 30 маусым" in text_of(back)

        # A snooze never passes the item's own date.
        mark = await _tick(bot, clock, "2016-06-29")
        last = await botapi.wait_for_message(OFFICER, _about(6, DEADLINE), since=mark)
        mark = botapi.mark()
        await press(botapi, OFFICER, last, f"zz:{button_with(last, 'zz:').split(':')[1]}:3")
        capped = await botapi.wait_for_message(OFFICER, since=mark)
        assert "2016 ж. 30 маусым қайта еске саламын" in text_of(capped)

        snoozes = await _audit(bot, "reminder.snooze")
        assert [r.detail["after"] for r in snoozes] == ["2016-06-28", "2016-06-30"]
