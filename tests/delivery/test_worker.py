"""The worker over a real database (every engine), with a scripted sender and fake time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from scheduler.clock import FakeClock
from scheduler.delivery.outcomes import (
    Blocked,
    Migrated,
    Rejected,
    RetryAfter,
    Transient,
)
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.delivery.retry import RetryPolicy
from scheduler.delivery.worker import DeliveryWorker
from scheduler.presentation import Rendered
from scheduler.storage.outbox_repo import OutboxItem, OutboxState
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import MessageKind
from tests.delivery.fakes import START, FakeTime, ScriptedSender, enqueue, message, render_text
from tests.delivery.rows import active_subscribers, outbox_row, outbox_rows

NO_JITTER = RetryPolicy(base=2, jitter=0, max_attempts=3)


class Setup:
    def __init__(self, db: Database, **options: object) -> None:
        self.db = db
        self.clock = FakeClock(START)
        self.time = FakeTime()
        self.sender = ScriptedSender(self.time)
        self.limiter = RateLimiter(monotonic=self.time.monotonic, sleep=self.time.sleep)
        self.sent: list[tuple[int, int]] = []
        self.failed: list[tuple[int, str]] = []
        self.worker = self.make_worker("w1", **options)

    def make_worker(self, worker_id: str, **options: object) -> DeliveryWorker:
        settings: dict[str, object] = {"retry": NO_JITTER, "sleep": self.time.sleep}
        settings.update(options)
        return DeliveryWorker(
            self.db,
            self.clock,
            self.sender,
            settings.pop("render", render_text),  # type: ignore[arg-type]
            self.limiter,
            worker_id=worker_id,
            on_sent=lambda item, message_id: self.sent.append((item.id, message_id)),
            on_failed=lambda item, error: self.failed.append((item.id, error)),
            **settings,  # type: ignore[arg-type]
        )


async def subscribe(db: Database, *chat_ids: int) -> None:
    async with db.unit_of_work() as uow:
        for chat_id in chat_ids:
            await uow.subscriptions.subscribe(chat_id, "agency", "MF", START, None)


async def test_sends_each_due_row_once_and_marks_it_sent(db: Database) -> None:
    s = Setup(db)
    ids = await enqueue(db, [message(1), message(2), message(3, slot="-10")])
    assert await s.worker.drain_once() == 3
    assert sorted(d.chat_id for d in s.sender.calls) == [1, 2, 3]
    assert s.sender.calls[0].message.text == f"<b>T1/1</b> 0 #{ids[0]}"
    for row_id in ids:
        row = await outbox_row(db, row_id)
        assert row.state == OutboxState.SENT
        assert row.sent_at == START
        assert row.claimed_by is None
    assert sorted(message_id for _, message_id in s.sent) == [100, 101, 102]
    assert (await outbox_row(db, ids[0])).message_id in {100, 101, 102}
    assert await s.worker.drain_once() == 0
    assert len(s.sender.calls) == 3


async def test_rows_not_yet_due_wait(db: Database) -> None:
    s = Setup(db)
    later = replace(message(1), due_at=START + dt.timedelta(hours=1))
    await enqueue(db, [later])
    assert await s.worker.drain_once() == 0
    s.clock.advance(dt.timedelta(hours=1))
    assert await s.worker.drain_once() == 1


async def test_a_message_no_longer_needed_is_cancelled_unsent(db: Database) -> None:
    async def render(item: OutboxItem) -> Rendered | None:
        return None if item.chat_id == 2 else await render_text(item)

    s = Setup(db, render=render)
    ids = await enqueue(db, [message(1), message(2)])
    assert await s.worker.drain_once() == 1
    assert [d.chat_id for d in s.sender.calls] == [1]
    assert (await outbox_row(db, ids[1])).state == OutboxState.CANCELLED


async def test_a_chat_that_must_wait_does_not_hold_up_the_others(db: Database) -> None:
    s = Setup(db)
    await enqueue(db, [message(1, slot="-1"), message(1, slot="0"), message(2), message(3)])
    assert await s.worker.drain_once() == 4
    order = [d.chat_id for d in s.sender.calls]
    assert order == [1, 2, 3, 1]
    times = {d.chat_id: d.at for d in s.sender.calls[:3]}
    assert times[2] == times[1]
    assert s.sender.calls[3].at - times[1] >= 1.0


async def test_flood_control_pauses_everything_and_loses_nothing(db: Database) -> None:
    s = Setup(db, concurrency=1)
    s.sender.script[1] = [RetryAfter(7.0)]
    ids = await enqueue(db, [message(1), message(2), message(3)])
    assert await s.worker.drain_once() == 2
    first, *others = s.sender.calls
    assert first.chat_id == 1
    # Nothing went out during the pause Telegram asked for.
    assert all(d.at >= first.at + 7.0 for d in others)
    row = await outbox_row(db, ids[0])
    assert row.state == OutboxState.PENDING
    assert row.attempts == 0
    assert row.next_attempt_at == START + dt.timedelta(seconds=7)
    assert s.failed == []
    s.clock.advance(dt.timedelta(seconds=7))
    assert await s.worker.drain_once() == 1
    assert (await outbox_row(db, ids[0])).state == OutboxState.SENT
    assert [d.chat_id for d in s.sender.calls].count(1) == 2


async def test_a_long_flood_pause_puts_the_batch_back(db: Database) -> None:
    s = Setup(db, concurrency=1, max_hold=10.0)
    s.sender.script[1] = [RetryAfter(60.0)]
    ids = await enqueue(db, [message(1), message(2), message(3)])
    assert await s.worker.drain_once() == 0
    assert [d.chat_id for d in s.sender.calls] == [1]
    for row_id in ids:
        row = await outbox_row(db, row_id)
        assert row.state == OutboxState.PENDING
        assert row.attempts == 0
        assert row.next_attempt_at >= START + dt.timedelta(seconds=59)


async def test_transient_failures_back_off_then_give_up(db: Database) -> None:
    s = Setup(db)
    s.sender.script[1] = [Transient("Bad Gateway"), Transient("Timed out"), Transient("Boom")]
    s.sender.script[2] = [Transient("Bad Gateway")]
    one, two = await enqueue(db, [message(1), message(2)])
    assert await s.worker.drain_once() == 0
    row = await outbox_row(db, one)
    assert (row.state, row.attempts, row.last_error) == (OutboxState.PENDING, 1, "Bad Gateway")
    assert row.next_attempt_at == START + dt.timedelta(seconds=2)

    s.clock.advance(dt.timedelta(seconds=2))
    assert await s.worker.drain_once() == 1
    assert (await outbox_row(db, two)).state == OutboxState.SENT
    row = await outbox_row(db, one)
    assert (row.attempts, row.next_attempt_at) == (2, START + dt.timedelta(seconds=6))

    s.clock.advance(dt.timedelta(seconds=4))
    assert await s.worker.drain_once() == 0
    row = await outbox_row(db, one)
    assert (row.state, row.last_error) == (OutboxState.FAILED, "Boom")
    assert s.failed == [(one, "Boom")]
    s.clock.advance(dt.timedelta(hours=1))
    assert await s.worker.drain_once() == 0
    assert [d.chat_id for d in s.sender.calls].count(1) == 3


async def test_a_blocked_chat_is_failed_unsubscribed_and_its_other_rows_cancelled(
    db: Database,
) -> None:
    s = Setup(db, concurrency=1)
    await subscribe(db, 10, 11)
    s.sender.script[10] = [Blocked("Forbidden: bot was blocked by the user")]
    first, second, other = await enqueue(
        db, [message(10, "T1/1"), message(10, "T2/1"), message(11)]
    )
    assert await s.worker.drain_once() == 1
    assert [d.chat_id for d in s.sender.calls] == [10, 11]
    row = await outbox_row(db, first)
    assert (row.state, row.last_error) == (
        OutboxState.FAILED,
        "Forbidden: bot was blocked by the user",
    )
    assert (await outbox_row(db, second)).state == OutboxState.CANCELLED
    assert (await outbox_row(db, other)).state == OutboxState.SENT
    assert await active_subscribers(db) == {11}
    s.clock.advance(dt.timedelta(days=1))
    assert await s.worker.drain_once() == 0


async def test_a_migrated_group_takes_its_subscriptions_and_rows_along(db: Database) -> None:
    s = Setup(db, concurrency=1)
    await subscribe(db, -5, 20)
    s.sender.script[-5] = [Migrated(-1005)]
    first, second, other = await enqueue(
        db, [message(-5, "T1/1"), message(-5, "T2/1"), message(20)]
    )
    assert await s.worker.drain_once() == 3
    assert [d.chat_id for d in s.sender.calls].count(-1005) == 2
    assert [d.chat_id for d in s.sender.calls].count(-5) == 1
    for row_id in (first, second):
        row = await outbox_row(db, row_id)
        assert (row.state, row.chat_id) == (OutboxState.SENT, -1005)
    assert (await outbox_row(db, other)).chat_id == 20
    assert await active_subscribers(db) == {-1005, 20}
    async with db.unit_of_work() as uow:
        assert [sub.target for sub in await uow.subscriptions.of_chat(-1005)] == ["MF"]


async def test_a_migration_does_not_duplicate_what_the_new_chat_already_has(
    db: Database,
) -> None:
    s = Setup(db, concurrency=1)
    s.sender.script[-5] = [Migrated(-1005)]
    old, new = await enqueue(db, [message(-5, "T1/1"), message(-1005, "T1/1")])
    await s.worker.drain_once()
    assert [d.chat_id for d in s.sender.calls].count(-1005) == 1
    assert (await outbox_row(db, old)).state == OutboxState.CANCELLED
    assert (await outbox_row(db, new)).state == OutboxState.SENT


async def test_a_rejected_message_fails_at_once(db: Database) -> None:
    s = Setup(db)
    s.sender.script[1] = [Rejected("Bad Request: message is too long")]
    (row_id,) = await enqueue(db, [message(1)])
    assert await s.worker.drain_once() == 0
    row = await outbox_row(db, row_id)
    assert (row.state, row.last_error) == (OutboxState.FAILED, "Bad Request: message is too long")
    s.clock.advance(dt.timedelta(hours=1))
    assert await s.worker.drain_once() == 0
    assert len(s.sender.calls) == 1


async def test_errors_in_render_or_sender_are_retried_and_the_rest_goes_on(
    db: Database,
) -> None:
    async def render(item: OutboxItem) -> Rendered | None:
        if item.chat_id == 1 and item.attempts == 0:
            raise LookupError("plan not loaded")
        return await render_text(item)

    s = Setup(db, render=render)
    s.sender.script[2] = [ConnectionResetError("peer went away")]
    one, two, three = await enqueue(db, [message(1), message(2), message(3)])
    assert await s.worker.drain_once() == 1
    for row_id, error in ((one, "plan not loaded"), (two, "peer went away")):
        row = await outbox_row(db, row_id)
        assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
        assert error in (row.last_error or "")
    assert (await outbox_row(db, three)).state == OutboxState.SENT
    s.clock.advance(dt.timedelta(seconds=2))
    assert await s.worker.drain_once() == 2
    assert {r.state for r in await outbox_rows(db)} == {OutboxState.SENT}


async def test_a_group_over_its_minute_is_put_back_for_later(db: Database) -> None:
    s = Setup(db, max_hold=10.0)
    ids = await enqueue(db, [message(-7, f"T{n}/1") for n in range(25)])
    assert await s.worker.drain_once() == 20
    waiting = [await outbox_row(db, row_id) for row_id in ids[20:]]
    assert {(row.state, row.attempts) for row in waiting} == {(OutboxState.PENDING, 0)}
    assert all(row.next_attempt_at > START + dt.timedelta(seconds=30) for row in waiting)
    times = [d.at for d in s.sender.calls]
    assert times[19] - times[0] == pytest.approx(19.0, abs=0.1)


async def test_a_shared_limiter_holds_sends_of_two_workers_together(db: Database) -> None:
    s = Setup(db, batch=5)
    other = s.make_worker("w2", batch=5)
    await enqueue(db, [message(chat) for chat in range(1, 41)])
    sent = await s.worker.drain_once() + await other.drain_once()
    assert sent == 40
    times = sorted(d.at for d in s.sender.calls)
    assert times[30] - times[0] >= 1.0


def test_limits_default_to_telegrams() -> None:
    limits = Limits()
    assert (limits.total, limits.chat_interval, limits.group, limits.group_window) == (
        30,
        1.0,
        20,
        60.0,
    )


async def test_a_row_held_to_working_hours_goes_back_for_then_without_an_attempt(
    db: Database,
) -> None:
    morning = START + dt.timedelta(hours=13)
    kinds = {1: MessageKind.REMINDER, 2: MessageKind.ESCALATION, 3: MessageKind.OVERDUE}

    def hold(item: OutboxItem) -> dt.datetime | None:
        held = item.kind in (MessageKind.REMINDER, MessageKind.OVERDUE)
        return morning if held and setup.clock.now() < morning else None

    setup = Setup(db, hold=hold)
    ids = await enqueue(
        db, [replace(message(chat, slot=str(chat)), kind=kind) for chat, kind in kinds.items()]
    )
    assert await setup.worker.drain_once() == 1
    assert [d.chat_id for d in setup.sender.calls] == [2]
    rows = {r.id: r for r in await outbox_rows(db)}
    for held in (ids[0], ids[2]):
        row = rows[held]
        assert (row.state, row.attempts, row.next_attempt_at) == (OutboxState.PENDING, 0, morning)
        assert row.claimed_by is None
    assert rows[ids[1]].state == OutboxState.SENT

    setup.clock.set(morning - dt.timedelta(seconds=1))
    assert await setup.worker.drain_once() == 0
    setup.clock.set(morning)
    assert await setup.worker.drain_once() == 2
    assert sorted(d.chat_id for d in setup.sender.calls) == [1, 2, 3]
