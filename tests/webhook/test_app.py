"""One instance in webhook mode: what it accepts, what it refuses, and how it starts and stops."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from bot.web.init_data import sign, user_fields
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.tables import ProcessedUpdateRow
from scheduler.vocabulary.messages import MessageKind
from tests.webhook.instances import (
    PUBLIC_URL,
    SECRET,
    Instance,
    running_instances,
    start_instance,
    stop_instance,
    wait_until,
)

START = dt.datetime(2016, 6, 1, 4, 0, tzinfo=dt.UTC)
USER, OTHER = 7101, 7102


def _metric(instance: Instance, name: str, **labels: str) -> float:
    value = instance.metrics.registry.get_sample_value(name, labels or None)
    return 0.0 if value is None else value


async def _post_raw(instance: Instance, body: bytes, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(instance.webhook, content=body, headers=headers)
        return response.status_code


async def test_start_sets_the_webhook_and_commands_are_answered(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(START)
    async with running_instances(botapi, database_url, 1, clock=clock) as (bot,):
        info = botapi.webhook_info()
        assert info["url"] == PUBLIC_URL
        assert info["secret_token"] == SECRET
        assert {"message", "callback_query", "my_chat_member"} <= set(info["allowed_updates"])
        # The bot's post_init ran: its command menus are set.
        assert botapi.commands()

        update = botapi.send_text(USER, "/help")
        assert await botapi.apost_update_to(update, bot.webhook, SECRET) == 200
        answer = await botapi.wait_for_message(USER)
        assert answer["text"]
        assert _metric(bot, "eskertu_updates_received_total", result="accepted") == 1
    # Stopped cleanly: the application is down and the port no longer answers.
    assert not bot.app.running
    assert not bot.svc.background.running
    with pytest.raises(httpx.ConnectError):
        await botapi.apost_update_to(botapi.send_text(USER, "/help"), bot.webhook, SECRET)


async def test_a_wrong_or_missing_secret_is_refused(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_instances(botapi, database_url, 1, clock=FakeClock(START)) as (bot,):
        intruder = botapi.send_text(OTHER, "/help")
        assert await botapi.apost_update_to(intruder, bot.webhook, "not-the-secret") == 403
        assert await _post_raw(bot, json.dumps(intruder).encode(), secret=None) == 403
        assert await _post_raw(bot, json.dumps(intruder).encode(), secret=SECRET[:-1]) == 403
        # Updates are handled in order: once a later one is answered, the refused one
        # would have been too.
        update = botapi.send_text(USER, "/help")
        assert await botapi.apost_update_to(update, bot.webhook, SECRET) == 200
        await botapi.wait_for_message(USER)
        assert botapi.sent_messages(OTHER) == []
        assert _metric(bot, "eskertu_updates_received_total", result="rejected") == 3
        assert _metric(bot, "eskertu_updates_received_total", result="accepted") == 1


async def test_malformed_bodies_get_400_and_the_bot_carries_on(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_instances(botapi, database_url, 1, clock=FakeClock(START)) as (bot,):
        for body in (b"{not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": -4}', b"\xff"):
            assert await _post_raw(bot, body) == 400, body
        update = botapi.send_text(USER, "/help")
        assert await botapi.apost_update_to(update, bot.webhook, SECRET) == 200
        await botapi.wait_for_message(USER)
        assert _metric(bot, "eskertu_updates_received_total", result="malformed") == 5


async def test_a_redelivered_update_is_acknowledged_and_dropped(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_instances(botapi, database_url, 1, clock=FakeClock(START)) as (bot,):
        update = botapi.send_text(USER, "/help")
        statuses = await asyncio.gather(
            *(botapi.apost_update_to(update, bot.webhook, SECRET) for _ in range(3))
        )
        assert statuses == [200, 200, 200]
        later = botapi.send_text(OTHER, "/help")
        assert await botapi.apost_update_to(later, bot.webhook, SECRET) == 200
        await botapi.wait_for_message(OTHER)
        assert len(botapi.sent_messages(USER)) == 1
        assert _metric(bot, "eskertu_updates_received_total", result="duplicate") == 2
        async with bot.svc.db.unit_of_work() as uow:
            ids = (await uow.session.scalars(select(ProcessedUpdateRow.update_id))).all()
        assert sorted(ids) == sorted([update["update_id"], later["update_id"]])


async def test_health_reports_the_database_and_the_tick(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(START)
    async with running_instances(botapi, database_url, 1, clock=clock) as (bot,):
        # Nothing has ticked yet on this new database; the instance itself is given time.
        response = await bot.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["failing"] == ["last_tick"]
        assert body["database"] == "ok" and body["last_tick"] is None
        assert body["instance_last_tick"] is None

        await run_tick_job(bot)
        response = await bot.get("/healthz")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["status"] == "ok" and body["database"] == "ok"
        assert dt.datetime.fromisoformat(body["last_tick"]) == START
        assert dt.datetime.fromisoformat(body["instance_last_tick"]) == START
        assert body["outbox_depth"] == 0
        assert "failing" not in body

        # Three tick intervals later without a tick, both views of the tick are stale.
        clock.advance(dt.timedelta(seconds=3 * 30 + 1))
        response = await bot.get("/healthz")
        assert response.status_code == 503
        assert response.json()["failing"] == ["last_tick", "instance_last_tick"]
        assert response.json()["database"] == "ok"

        await run_tick_job(bot)
        response = await bot.get("/healthz")
        assert response.status_code == 200, response.json()
        assert dt.datetime.fromisoformat(response.json()["last_tick"]) == clock.now()


async def run_tick_job(bot: Instance) -> None:
    """One run of the instance's scheduled tick job, as its job queue would run it."""
    assert bot.app.job_queue is not None
    (tick,) = bot.app.job_queue.get_jobs_by_name("eskertu-tick")
    await tick.run(bot.app)


async def _ok(bot: Instance) -> bool:
    return (await bot.get("/healthz")).status_code == 200


async def test_health_names_the_database_when_it_fails(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    path = tmp_path / "eskertu.sqlite3"
    clock = FakeClock(START)
    bot = await start_instance(botapi, f"sqlite+aiosqlite:///{path}", clock=clock)
    try:
        await run_tick_job(bot)
        assert await _ok(bot)
        # The database file is replaced by garbage under the running bot.
        await bot.svc.db.engine.dispose()
        _corrupt(path)
        response = await bot.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "fail"
        assert body["failing"] == ["database"]
        assert body["database"].startswith("error")
    finally:
        await bot.svc.background.stop(grace=1)
        await stop_instance(bot)


def _corrupt(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(os.urandom(8192))


async def test_metrics_count_updates_ticks_deliveries_and_the_backlog(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(START)
    blocked = 7199
    async with running_instances(botapi, database_url, 1, clock=clock) as (bot,):
        await run_tick_job(bot)
        botapi.private_chat(USER)
        botapi.private_chat(blocked)
        botapi.fail_blocked(blocked)
        later = clock.now() + dt.timedelta(days=1)
        async with bot.svc.db.unit_of_work() as uow:
            await uow.outbox.enqueue(
                [
                    NewMessage(
                        USER, "notice", "1", MessageKind.DIGEST, clock.now(), {"text": "Сәлем"}
                    ),
                    NewMessage(
                        blocked, "notice", "1", MessageKind.DIGEST, clock.now(), {"text": "Сәлем"}
                    ),
                    NewMessage(USER, "notice", "2", MessageKind.DIGEST, later, {"text": "Ертең"}),
                ],
                clock.now(),
            )
        bot.svc.delivery.wake()
        await botapi.wait_for_message(USER)
        await wait_until(lambda: _depth(bot, 1), what="delivery of the due rows")
        page = await bot.get("/metrics")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/plain")
        text = page.text
        assert 'eskertu_reminders_sent_total{kind="digest"} 1.0' in text
        assert 'eskertu_delivery_failures_total{reason="blocked"} 1.0' in text
        # The row due tomorrow still waits: the gauge is read from the database on scrape.
        assert "eskertu_outbox_depth 1.0" in text
        assert _metric(bot, "eskertu_ticks_total", result="ok") >= 1
        assert _metric(bot, "eskertu_tick_duration_seconds_count") >= 1
        # The instance's registry is its own, not the process-wide default.
        assert REGISTRY.get_sample_value("eskertu_ticks_total", {"result": "ok"}) is None


async def _depth(bot: Instance, expected: int) -> bool:
    async with bot.svc.db.unit_of_work() as uow:
        return await uow.outbox.depth() == expected


async def test_ids_telegram_never_gives_get_400_and_a_log_line(
    botapi: BotApiServer, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    big = 2**63 - 1
    async with running_instances(botapi, database_url, 1, clock=FakeClock(START)) as (bot,):
        forged = botapi.send_text(USER, "/help")
        forged["message"]["from"]["id"] = big
        huge_update = {**botapi.send_text(USER, "/help"), "update_id": 2**63}
        for update in (forged, huge_update):
            assert await _post_raw(bot, json.dumps(update).encode()) == 400
        update = botapi.send_text(USER, "/help")
        assert await botapi.apost_update_to(update, bot.webhook, SECRET) == 200
        await botapi.wait_for_message(USER)
        assert _metric(bot, "eskertu_updates_received_total", result="malformed") == 2
        dropped = [
            r.getMessage() for r in caplog.records if "outside Telegram's range" in r.getMessage()
        ]
        assert any(f"message.from.id={big}" in line for line in dropped), dropped
        assert any(f"update_id={2**63}" in line for line in dropped), dropped
        assert not [r for r in caplog.records if r.exc_info]
        async with bot.svc.db.unit_of_work() as uow:
            ids = (await uow.session.scalars(select(ProcessedUpdateRow.update_id))).all()
        assert ids == [update["update_id"]]


async def test_the_webhook_listener_serves_the_dashboard_under_app(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(START)
    async with running_instances(
        botapi,
        database_url,
        1,
        clock=clock,
        webapp_url="https://bot.example.kz/app/",
        admin_ids=(USER,),
    ) as (bot,):
        fields = user_fields(USER, "Әсел", language_code="en", auth_date=clock.now())
        async with httpx.AsyncClient(base_url=bot.base, timeout=10) as client:
            assert (await client.get("/app/")).status_code == 200
            assert (await client.get("/app/view")).status_code == 401
            headers = {"Authorization": f"tma {sign(fields, botapi.token)}"}
            seen = await client.get("/app/view", headers=headers)
            assert seen.status_code == 200 and "data-point" in seen.text
        assert botapi.menu_button()["web_app"] == {"url": "https://bot.example.kz/app/"}
