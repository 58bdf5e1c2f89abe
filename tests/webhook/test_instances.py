"""Three instances behind one webhook address, sharing one PostgreSQL schema.

The test plays the load balancer: it posts each update to one instance in turn, and some
twice (Telegram's redelivery, landing on another instance). Every command is answered
once; a reminder wave planned from any instance reaches each chat once; and when one
instance dies holding claimed messages, the others send them once its lease runs out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.tables import OutboxRow, ProcessedUpdateRow
from tests.webhook.instances import SECRET, Instance, crash_delivery, running_instances, wait_until

ALMATY = ZoneInfo("Asia/Almaty")
LEASE = 5
USERS = list(range(8001, 8031))
WAVE_CHATS = list(range(9001, 9041))
AGENCY = "МСМ"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


async def test_three_instances_answer_once_deliver_once_and_take_over(
    botapi: BotApiServer, database_url: str
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_instances(
        botapi, database_url, 3, clock=clock, outbox_lease_seconds=LEASE
    ) as instances:
        await _every_command_is_answered_once(botapi, instances)
        await _the_wave_reaches_each_chat_once_despite_a_crash(botapi, instances, clock)


async def _every_command_is_answered_once(botapi: BotApiServer, instances: list[Instance]) -> None:
    updates = [botapi.send_text(user, "/help") for user in USERS]
    posts = []
    redelivered = 0
    for index, update in enumerate(updates):
        posts.append(botapi.apost_update_to(update, instances[index % 3].webhook, SECRET))
        if index % 4 == 0:
            # Telegram sends it again, and the balancer picks another instance.
            posts.append(botapi.apost_update_to(update, instances[(index + 1) % 3].webhook, SECRET))
            redelivered += 1
    assert set(await asyncio.gather(*posts)) == {200}

    for user in USERS:
        await botapi.wait_for_message(user, timeout=20)
    # Each instance handles its queue in order: once a last command is answered by each,
    # everything posted before it has been handled too.
    for number, instance in enumerate(instances):
        last = botapi.send_text(8100 + number, "/help")
        assert await botapi.apost_update_to(last, instance.webhook, SECRET) == 200
        await botapi.wait_for_message(8100 + number, timeout=20)

    assert {user: len(botapi.sent_messages(user)) for user in USERS} == dict.fromkeys(USERS, 1)
    accepted = sum(_metric(i, "accepted") for i in instances)
    duplicates = sum(_metric(i, "duplicate") for i in instances)
    assert (accepted, duplicates) == (len(USERS) + 3, redelivered)
    # The load was spread: every instance took some.
    assert all(_metric(i, "accepted") > 0 for i in instances)
    async with instances[0].svc.db.unit_of_work() as uow:
        claimed = (await uow.session.scalars(select(ProcessedUpdateRow.update_id))).all()
    assert {u["update_id"] for u in updates} <= set(claimed)


async def _the_wave_reaches_each_chat_once_despite_a_crash(
    botapi: BotApiServer, instances: list[Instance], clock: FakeClock
) -> None:
    first, _, doomed = instances
    for chat in WAVE_CHATS:
        botapi.private_chat(chat)
    async with first.svc.db.unit_of_work() as uow:
        for chat in WAVE_CHATS:
            await uow.subscriptions.subscribe(chat, "agency", AGENCY, clock.now(), None)

    # Sends take a while, so the wave is still going when the doomed instance dies; and
    # that instance's own limiter holds what it claims, so none of it is in flight then.
    botapi.add_latency(0.05, method="sendMessage")
    doomed.limiter.pause_for(9.0)

    # The day a control point of the agency is due, at 09:00: every instance ticks at once.
    clock.set(dt.datetime(2016, 6, 30, 9, 0, 30, tzinfo=ALMATY))
    results = await asyncio.gather(*(run_tick(i.svc) for i in instances))
    planned = [r.planned for r in results]
    assert sorted(planned)[:2] == [0, 0] and max(planned) > 0
    for instance in instances:
        instance.svc.delivery.wake()
    total = max(planned)

    worker = doomed.svc.delivery.worker_id
    await wait_until(lambda: _claimed_by(first, worker), what="a claim by the doomed instance")
    await crash_delivery(doomed)
    held = await _claimed_by(first, worker)
    assert held > 0

    # The others send everything else, and leave the dead instance's rows alone while its
    # lease lasts.
    await wait_until(lambda: _unsent_is(first, held), within=60, what="the rest of the wave")
    await asyncio.sleep(1.5)
    rows = await _rows(first)
    unsent = [r for r in rows if r.state in (OutboxState.PENDING, OutboxState.SENDING)]
    assert len(unsent) == held
    assert {(r.state, r.claimed_by) for r in unsent} == {(OutboxState.SENDING, worker)}

    # Once the lease has run out, they take them over.
    botapi.faults.clear()
    clock.advance(dt.timedelta(seconds=LEASE + 1))
    await wait_until(lambda: _unsent_is(first, 0), within=20, what="the takeover")

    rows = await _rows(first)
    sent = [r for r in rows if r.state == OutboxState.SENT]
    assert len(sent) == total
    expected = Counter(r.chat_id for r in sent)
    assert set(expected) == set(WAVE_CHATS)
    for chat in WAVE_CHATS:
        texts = [m["text"] for m in botapi.sent_messages(chat)]
        # Exactly one copy of each planned reminder, and no other.
        assert len(texts) == expected[chat], chat
        assert len(set(texts)) == len(texts), chat
    # The instances' metrics add up to what was sent, kind by kind.
    for kind, count in Counter(r.kind for r in sent).items():
        counted = [
            i.metrics.registry.get_sample_value("eskertu_reminders_sent_total", {"kind": kind})
            or 0.0
            for i in instances
        ]
        assert sum(counted) == count, kind


def _metric(instance: Instance, result: str) -> float:
    value = instance.metrics.registry.get_sample_value(
        "eskertu_updates_received_total", {"result": result}
    )
    return 0.0 if value is None else value


async def _claimed_by(instance: Instance, worker: str) -> int:
    rows = await _rows(instance)
    return sum(1 for r in rows if r.state == OutboxState.SENDING and r.claimed_by == worker)


async def _unsent_is(instance: Instance, count: int) -> bool:
    rows = await _rows(instance)
    return sum(1 for r in rows if r.state in (OutboxState.PENDING, OutboxState.SENDING)) == count


async def _rows(instance: Instance) -> list[OutboxRow]:
    async with instance.svc.db.unit_of_work() as uow:
        return list((await uow.session.scalars(select(OutboxRow))).all())
