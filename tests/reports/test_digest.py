"""The weekly digest: who gets it, in which language and scope, and never twice a week."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.export.summary_text import digest_text
from bot.i18n.catalog import load_catalog
from bot.settings import SettingsError, load_settings
from scheduler.clock import FakeClock
from scheduler.participants import ChatInfo, UserInfo
from scheduler.plan_runtime import PlanRuntime
from scheduler.reports.digest import scheduled_moment, week_key
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import DigestResult, DigestView, plan_weekly_digest
from tests.reports.support import ALMATY, runtime, seed
from tests.usecases.support import core_for

CATALOG = load_catalog()
ADMIN, OTHER_ADMIN = 7001, 7005
CONTROL_GROUP, LAW_CHAT, EXECUTOR_GROUP = -5001, -5002, -5003


async def _setup(db: Database) -> None:
    now = dt.datetime(2016, 7, 1, tzinfo=dt.UTC)
    async with db.unit_of_work() as uow:
        await uow.contacts.save_user(UserInfo(ADMIN, "Admin"), now)
        await uow.contacts.set_user_language(ADMIN, "ru")
        await uow.contacts.save_chat(ChatInfo(LAW_CHAT, "supergroup", "МҚБ"), now)
        await uow.contacts.set_chat_language(LAW_CHAT, "en")
        await uow.subscriptions.subscribe(CONTROL_GROUP, "agency", "ІСБ", now, ADMIN)
        await uow.subscriptions.subscribe(LAW_CHAT, "agency", "МҚБ", now, ADMIN)
        # An executor's group is not a controlling department: no digest for it.
        await uow.subscriptions.subscribe(EXECUTOR_GROUP, "agency", "МСМ", now, ADMIN)


async def _plan(db: Database, rt: PlanRuntime, moment: dt.datetime) -> DigestResult:
    def render(view: DigestView, language: str) -> str:
        return digest_text(view, rt.plan, CATALOG.for_language(language))

    return await plan_weekly_digest(
        core_for(db, FakeClock(moment), rt, admins=(ADMIN, OTHER_ADMIN)),
        weekday="fri",
        at=dt.time(16, 0),
        default_language="kk",
        render=render,
    )


async def _rows(db: Database) -> list[OutboxRow]:
    async with db.unit_of_work() as uow:
        return list(
            (await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.chat_id))).all()
        )


async def test_planned_once_a_week_for_admins_and_controllers(db: Database) -> None:
    rt = runtime()
    await seed(db)
    await _setup(db)

    thursday = dt.datetime(2016, 7, 14, 17, 0, tzinfo=ALMATY)
    early = await _plan(db, rt, thursday)
    assert (early.due, early.planned) == (False, 0)
    friday_morning = await _plan(db, rt, dt.datetime(2016, 7, 15, 15, 59, tzinfo=ALMATY))
    assert (friday_morning.due, friday_morning.planned) == (False, 0)
    assert await _rows(db) == []

    friday = dt.datetime(2016, 7, 15, 16, 0, tzinfo=ALMATY)
    result = await _plan(db, rt, friday)
    assert (result.week, result.planned, result.chats) == ("digest:2016-W28", 4, 4)
    rows = await _rows(db)
    assert {r.chat_id for r in rows} == {ADMIN, OTHER_ADMIN, CONTROL_GROUP, LAW_CHAT}
    assert {(r.kind, r.control_point, r.slot, r.state) for r in rows} == {
        ("digest", "digest:2016-W28", "weekly", "pending")
    }
    payloads = {r.chat_id: json.loads(r.payload) for r in rows}
    assert payloads[ADMIN]["language"] == "ru"
    assert payloads[ADMIN]["text"].startswith("🗓 <b>Еженедельная сводка</b> · 2016-W28")
    assert payloads[OTHER_ADMIN]["language"] == "kk"
    assert "Апталық шолу" in payloads[CONTROL_GROUP]["text"]
    # ІСБ controls every task; МҚБ only task 2, and its chat reads English.
    assert "бақылауыңыздағы" in payloads[CONTROL_GROUP]["text"]
    law = payloads[LAW_CHAT]["text"]
    assert "Tasks under your control: №2\n" in law
    assert "№3," not in law and "№2, deadline" in law

    # Again the same evening, and the next day: nothing new.
    again = await _plan(db, rt, friday + dt.timedelta(minutes=5))
    assert (again.already_planned, again.planned) == (True, 0)
    saturday = await _plan(db, rt, friday + dt.timedelta(days=1))
    assert saturday.planned == 0
    assert len(await _rows(db)) == 4

    # The next week has a digest of its own.
    following = await _plan(db, rt, friday + dt.timedelta(days=7))
    assert (following.week, following.planned) == ("digest:2016-W29", 4)


async def test_a_duplicate_plan_is_refused_by_the_outbox_key(db: Database) -> None:
    """Two instances that both miss the marker still give each chat one message."""
    rt = runtime()
    await _setup(db)
    friday = dt.datetime(2016, 7, 15, 16, 30, tzinfo=ALMATY)
    await _plan(db, rt, friday)
    async with db.unit_of_work() as uow:
        await uow.engine_state.put("report.digest.week", "none", friday)
    second = await _plan(db, rt, friday)
    assert (second.already_planned, second.chats, second.planned) == (False, 4, 0)
    assert len(await _rows(db)) == 4


def test_week_and_moment() -> None:
    sunday = dt.datetime(2016, 7, 17, 23, 0, tzinfo=ALMATY)
    moment = scheduled_moment(sunday, "fri", dt.time(16, 0), ALMATY)
    assert moment == dt.datetime(2016, 7, 15, 16, 0, tzinfo=ALMATY)
    assert week_key(moment.date()) == "digest:2016-W28"
    # 1 January 2016 belongs to the ISO week 53 of 2015.
    assert week_key(dt.date(2016, 1, 1)) == "digest:2015-W53"


def test_digest_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGEST_TIME", raising=False)
    monkeypatch.setenv("DIGEST_WEEKDAY", "Thursday")
    settings = load_settings(tmp_path / "absent.env")
    assert (settings.digest_weekday, settings.digest_time) == ("thu", dt.time(16, 0))
    monkeypatch.setenv("DIGEST_WEEKDAY", "someday")
    with pytest.raises(SettingsError, match="DIGEST_WEEKDAY is invalid: expected a day"):
        load_settings(tmp_path / "absent.env")
    monkeypatch.setenv("DIGEST_WEEKDAY", "mon")
    monkeypatch.setenv("DIGEST_TIME", "25:00")
    with pytest.raises(SettingsError, match="DIGEST_TIME is invalid"):
        load_settings(tmp_path / "absent.env")
