"""Plan changes in the administrator's language, end to end through the local Bot API.

Every kind of refused edit and upload is answered in Kazakh, Russian and English without a
sentence of another language; edits read Russian and English phrasing; every change is a
draft shown first, put in force once, refused when stale, and confirmable by another instance.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.participants import Caller, ChatInfo, UserInfo
from scheduler.plan_runtime import PlanHolder
from scheduler.refusals import Refusal, Why
from scheduler.storage.tables import AuditRow, PlanDraftRow
from scheduler.usecases.core import Core
from scheduler.usecases.plan_drafts import Decided, decide_draft
from tests.e2e.harness import PLAN_PATH, buttons_of, decide_preview, running_bot
from tests.english import foreign_english
from tests.plan.table_plans import KK_ROWS
from tests.plan.tables import xlsx_bytes

ALMATY = ZoneInfo("Asia/Almaty")
ADMINS = {"kk": 7101, "ru": 7102, "en": 7103}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAN = json.loads(PLAN_PATH.read_text(encoding="utf-8"))


def _plan_with(change: Any) -> bytes:
    data = copy.deepcopy(PLAN)
    change(data)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _table(edit: Any) -> bytes:
    rows = [list(r) for r in KK_ROWS]
    edit(rows)
    return xlsx_bytes({"Жоспар": rows})


REFUSED_EDITS = [
    "/setdeadline 99 2016-07-15",
    "/setdeadline 6 when it suits",
    "/setdeadline 6 31.02.2016",
    "/setdeadline 6 2030-01-15",
    "/setdeadline 6 ежегодно ежемесячно",
    "/setdeadline 6 from 1 July 2016",
    "/setreports 6 до 10 июля 2016 года",
    "/setreports 6 2016 ж.",
    "/setagencies 6 ЖОҚ",
    "/setagencies 6 МКС, МСМ",
    "/setagencies 6 МСМ (басшы)",
    "/event 6 2016-03-01",
]
REFUSED_FILES = [
    ("plan.json", b'{"title": }'),
    ("plan.json", _plan_with(lambda d: d["tasks"][2]["funding"].pop("required"))),
    ("plan.json", _plan_with(lambda d: d["tasks"][4].update(number=5.5))),
    ("plan.json", _plan_with(lambda d: d["tasks"][9]["responsible"][1].update(code="ЖОҚ"))),
    ("plan.json", _plan_with(lambda d: d["tasks"][5]["deadline"].update(date="2016-06-29"))),
    ("plan.json", b"{" + b" " * (3 * 1024 * 1024) + b"}"),
    ("жоспар.xlsx", _table(lambda rows: rows.insert(7, [None] * 5))),
    ("жоспар.xlsx", _table(lambda rows: rows[8].__setitem__(4, "қашан болса да"))),
]


def test_the_detector_finds_english_and_spares_quotations() -> None:
    assert foreign_english("Өзгеріс қабылданбады: cannot read «x»") == ["cannot read"]
    assert foreign_english("• tasks[2].funding.required: міндетті өріс жоқ") == []
    assert foreign_english("«from 1 July» мерзім грамматикасына кірмейді") == []


async def _say(server: BotApiServer, user: int, text: str) -> dict[str, Any]:
    mark = server.mark()
    server.send_text(user, text)
    return await server.wait_for_message(user, since=mark)


async def _send(server: BotApiServer, user: int, name: str, content: bytes) -> dict[str, Any]:
    mark = server.mark()
    server.send_document(user, name, content, XLSX if name.endswith("xlsx") else "application/json")
    return await server.wait_for_message(user, since=mark)


async def test_every_refused_edit_is_told_in_the_administrators_language(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(
        botapi, database_url, clock=clock, admin_ids=tuple(ADMINS.values())
    ) as bot:
        for language, admin in ADMINS.items():
            # The first language comes from Telegram: Kazakh is the default.
            botapi.user(admin, f"Admin {language}", language_code=language)
            botapi.private_chat(admin)
        answers: dict[str, list[tuple[str, str]]] = {lang: [] for lang in ADMINS}
        for language, admin in ADMINS.items():
            for command in REFUSED_EDITS:
                reply = await _say(botapi, admin, command)
                answers[language].append((command, reply["text"]))
            for name, content in REFUSED_FILES:
                reply = await _send(botapi, admin, name, content)
                answers[language].append((name, reply["text"]))
        assert bot.svc.core.plans.version == 1
        for language in ("kk", "ru"):
            for asked, text in answers[language]:
                assert not buttons_of({"text": text}), asked
                assert foreign_english(text) == [], (language, asked, text)
        # The same refusals, worded for each language, at the same places.
        kk, ru, en = (dict(answers[lang]) for lang in ("kk", "ru", "en"))
        assert "31.02.2016 деген күн жоқ" in kk["/setdeadline 6 31.02.2016"]
        assert "дня 31.02.2016 не существует" in ru["/setdeadline 6 31.02.2016"]
        assert "there is no day 31.02.2016" in en["/setdeadline 6 31.02.2016"]
        assert "в плане нет мероприятия №99" in ru["/setdeadline 99 2016-07-15"]
        assert "позже окончания плана (2016-12-31)" in ru["/setdeadline 6 2030-01-15"]
        assert "неизвестный код органа «ЖОҚ» (известные: МЮ, МОН" in ru["/setagencies 6 ЖОҚ"]
        assert "unknown agency code «ЖОҚ» (known: MoJ, MES" in en["/setagencies 6 ЖОҚ"]
        # «МКС» and «МСМ» are two spellings of one agency.
        assert "орган МСМ назван дважды" in ru["/setagencies 6 МКС, МСМ"]
        assert "«до» не входит" not in ru["/setreports 6 до 10 июля 2016 года"]
        assert "не дата отчёта" in ru["/setreports 6 до 10 июля 2016 года"]
        assert (
            "не привязан к событию" in ru["/event 6 2016-03-01"]
            or "событи" in ru["/event 6 2016-03-01"]
        )
        uploads = [text for name, text in answers["ru"] if name.endswith(".json")]
        assert "tasks[2].funding.required: нет обязательного поля" in uploads[1]
        assert "tasks[9].responsible[1].code: неизвестный код органа ЖОҚ" in uploads[3]
        assert "не конец периода «полугодие» номер 1 2016 года" in uploads[4]
        assert "2097152" in uploads[5]
        tables = [text for name, text in answers["ru"] if name.endswith(".xlsx")]
        assert "«қашан болса да»" in tables[1] and "не удалось прочитать" in tables[1]


PHRASES = [
    ("/setdeadline 6 до 15 июля 2016 года", 6, "deadline", [dt.date(2016, 7, 14)]),
    ("/setdeadline 6 by 15 July 2016", 6, "deadline", [dt.date(2016, 7, 15)]),
    ("/setdeadline 6 2016-07-15", 6, "deadline", [dt.date(2016, 7, 15)]),
    ("/setdeadline 6 первое полугодие 2016 года", 6, "deadline", [dt.date(2016, 6, 30)]),
    ("/setdeadline 6 first half of 2016", 6, "deadline", [dt.date(2016, 6, 30)]),
    ("/setdeadline 13 ежегодно, к 10 июля", 13, "deadline", [dt.date(2016, 7, 8)]),
    ("/setdeadline 13 annually, by 10 July", 13, "deadline", [dt.date(2016, 7, 8)]),
    ("/setreports 6 15 июля 2016 года", 6, "report", [dt.date(2016, 7, 15)]),
    ("/setreports 6 by 20 December 2016", 6, "report", [dt.date(2016, 12, 20)]),
    ("/setreports 6 2016-12-20", 6, "report", [dt.date(2016, 12, 20)]),
]


@pytest.mark.parametrize(("command", "task", "kind", "dates"), PHRASES)
async def test_edits_read_russian_english_and_iso_phrasing(
    botapi: BotApiServer, database_url: str, command: str, task: int, kind: str, dates: Any
) -> None:
    admin = ADMINS["ru"]
    async with running_bot(botapi, database_url, admin_ids=(admin,)) as bot:
        botapi.user(admin, "Admin", language_code="ru")
        preview = await _say(botapi, admin, command)
        assert any(b.startswith("pd:go:") for b in buttons_of(preview)), preview["text"]
        assert bot.svc.core.plans.version == 1
        applied = await decide_preview(botapi, admin, preview)
        assert "Версия плана 2 вступила в силу" in applied["text"]
        assert bot.svc.core.plans.version == 2
        points = [p.effective for p in bot.svc.runtime.points_of(task) if p.kind == kind]
        assert points == dates


async def test_agencies_edited_in_russian_codes(botapi: BotApiServer, database_url: str) -> None:
    admin = ADMINS["ru"]
    async with running_bot(botapi, database_url, admin_ids=(admin,)) as bot:
        botapi.user(admin, "Admin", language_code="ru")
        preview = await _say(botapi, admin, "/setagencies 6 МКС (свод), мио")
        assert "МКС (свод), МИО" in preview["text"]
        await decide_preview(botapi, admin, preview)
        responsible = bot.svc.plan.task(6).responsible
        assert [(r.code, r.consolidator) for r in responsible] == [("МСМ", True), ("ЖАО", False)]


async def test_a_preview_is_put_in_force_once_cancelled_or_refused_when_stale(
    botapi: BotApiServer, database_url: str
) -> None:
    admin = ADMINS["en"]
    async with running_bot(botapi, database_url, admin_ids=(admin,)) as bot:
        botapi.user(admin, "Admin", language_code="en")
        first = await _say(botapi, admin, "/setdeadline 6 by 15 July 2016")
        second = await _say(botapi, admin, "/setdeadline 9 by 20 July 2016")
        cancelled = await _say(botapi, admin, "/setdeadline 11 by 25 July 2016")
        assert "Preview of the change" in first["text"] and "15 July" not in cancelled["text"]

        dropped = await decide_preview(botapi, admin, cancelled, apply=False)
        assert "cancelled" in dropped["text"] and not buttons_of(dropped)
        applied = await decide_preview(botapi, admin, first)
        assert "Plan version 2 is in force" in applied["text"]

        # A second press of the same button changes nothing.
        mark = botapi.mark()
        botapi.press_button(admin, first, buttons_of(first)[0], check=False)
        again = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert "decided already" in again.params.get("text", "")
        assert bot.svc.core.plans.version == 2

        # The second preview was made from version 1: the plan changed since.
        mark = botapi.mark()
        botapi.press_button(admin, second, buttons_of(second)[0])
        stale = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert "changed since this preview" in stale.params.get("text", "")
        assert stale.params.get("show_alert") in (True, "true", "True")
        assert bot.svc.core.plans.version == 2
        assert [p.effective for p in bot.svc.runtime.points_of(9) if p.kind == "deadline"] == [
            dt.date(2016, 6, 30)
        ]
        async with bot.svc.db.unit_of_work() as uow:
            states = (
                await uow.session.scalars(select(PlanDraftRow.state).order_by(PlanDraftRow.id))
            ).all()
            audited = (
                await uow.session.execute(
                    select(AuditRow.action, AuditRow.allowed).where(AuditRow.user_id == admin)
                )
            ).all()
        assert states == ["applied", "stale", "cancelled"]
        assert ("plan.propose", True) in audited and ("plan.cancel", True) in audited
        assert ("plan.change", True) in audited and ("plan.change", False) in audited


async def test_another_instance_confirms_a_draft_kept_in_the_database(
    botapi: BotApiServer, database_url: str
) -> None:
    admin = ADMINS["kk"]
    async with running_bot(botapi, database_url, admin_ids=(admin,)) as bot:
        botapi.user(admin, "Admin")
        preview = await _say(botapi, admin, "/setdeadline 6 2016 ж., 15-ші шілдеге")
        draft = int(buttons_of(preview)[0].rsplit(":", 1)[1])
        # Another instance: its own plan holder, the same database.
        svc = bot.svc
        other = Core(
            db=svc.db,
            clock=svc.clock,
            plans=PlanHolder(svc.runtime, svc.core.plans.version),
            factory=svc.core.factory,
            admins=(admin,),
        )
        caller = Caller(UserInfo(id=admin, first_name="Admin"), ChatInfo(id=admin, type="private"))
        done = await decide_draft(other, caller, draft_id=draft, apply=True)
        assert isinstance(done.result, Decided) and done.result.changed is not None
        assert other.plans.version == 2
        again = await decide_draft(other, caller, draft_id=draft, apply=True)
        assert isinstance(again.result, Refusal) and again.result.why is Why.DRAFT_DECIDED
        # This instance's own press finds the draft decided, and the bot follows version 2.
        mark = botapi.mark()
        botapi.press_button(admin, preview, buttons_of(preview)[0])
        answer = await botapi.wait_for_call("answerCallbackQuery", since=mark)
        assert "шешім қабылданып қойған" in answer.params.get("text", "")
        assert bot.svc.core.plans.version == 2
        assert bot.svc.plan.task(6).deadline.phrase == "2016 ж., 15-ші шілдеге"
