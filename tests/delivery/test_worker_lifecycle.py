"""Workers that die, run side by side, stop gracefully or are woken: no message lost or doubled."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest

from scheduler.clock import FakeClock
from scheduler.delivery.outcomes import Outcome, Sent, Transient
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.delivery.worker import DeliveryWorker
from scheduler.presentation import Rendered
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.unit_of_work import Database, UnitOfWork
from tests.delivery.fakes import START, FakeTime, ScriptedSender, enqueue, message, render_text
from tests.delivery.rows import outbox_rows

LEASE = dt.timedelta(minutes=5)
UNLIMITED = Limits(total=1_000_000, chat_interval=0.0, group=1_000_000, guard=0.0)


class StuckSender:
    """Never answers: the process is about to die with a send in flight."""

    def __init__(self) -> None:
        self.started = asyncio.Event()

    async def send(self, chat_id: int, message: Rendered) -> Outcome:
        self.started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


def worker(
    db: Database,
    clock: FakeClock,
    sender: object,
    worker_id: str,
    time: FakeTime | None = None,
    **options: object,
) -> DeliveryWorker:
    time = time or FakeTime()
    limiter = RateLimiter(UNLIMITED, monotonic=time.monotonic, sleep=time.sleep)
    return DeliveryWorker(
        db,
        clock,
        sender,  # type: ignore[arg-type]
        render_text,
        limiter,
        worker_id=worker_id,
        lease=LEASE,
        sleep=time.sleep,
        **options,  # type: ignore[arg-type]
    )


async def test_rows_of_a_dead_worker_are_sent_by_another_after_the_lease(db: Database) -> None:
    clock = FakeClock(START)
    await enqueue(db, [message(chat) for chat in range(1, 21)])
    stuck = StuckSender()
    doomed = asyncio.create_task(worker(db, clock, stuck, "a", batch=8).drain_once())
    await asyncio.wait_for(stuck.started.wait(), 5)
    doomed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await doomed
    rows = await outbox_rows(db)
    assert sorted(Counter(r.state for r in rows).items()) == [
        (OutboxState.PENDING, 12),
        (OutboxState.SENDING, 8),
    ]
    assert {r.claimed_by for r in rows if r.state == OutboxState.SENDING} == {"a"}

    survivor = ScriptedSender()
    b = worker(db, clock, survivor, "b")
    assert await b.drain_once() == 12
    clock.advance(LEASE - dt.timedelta(seconds=1))
    assert await b.drain_once() == 0
    clock.advance(dt.timedelta(seconds=2))
    assert await b.drain_once() == 8
    assert Counter(d.chat_id for d in survivor.calls) == Counter(range(1, 21))
    assert {r.state for r in await outbox_rows(db)} == {OutboxState.SENT}


async def test_two_workers_on_two_connections_send_each_row_exactly_once(
    database_url: str,
) -> None:
    first, second = Database(create_engine(database_url)), Database(create_engine(database_url))
    try:
        await upgrade(first.engine)
        await enqueue(first, [message(chat) for chat in range(1, 501)])
        clock = FakeClock(START)
        ledger = ScriptedSender()

        class Counting:
            def __init__(self) -> None:
                self.count = 0

            async def send(self, chat_id: int, message: Rendered) -> Outcome:
                self.count += 1
                return await ledger.send(chat_id, message)

        senders = Counting(), Counting()
        workers = [
            worker(first, clock, senders[0], "left", batch=20),
            worker(second, clock, senders[1], "right", batch=20),
        ]
        sent = await asyncio.gather(*(w.drain_once() for w in workers))
        assert sum(sent) == 500
        assert Counter(d.chat_id for d in ledger.calls) == Counter(range(1, 501))
        # Both took part: the claims really raced.
        assert min(s.count for s in senders) > 0
        rows = await outbox_rows(first)
        assert {r.state for r in rows} == {OutboxState.SENT}
        assert {r.message_id for r in rows} == set(range(100, 600))
    finally:
        await first.close()
        await second.close()


async def test_a_graceful_stop_finishes_the_send_in_flight_and_releases_the_rest(
    db: Database,
) -> None:
    clock = FakeClock(START)
    await enqueue(db, [message(chat) for chat in range(1, 11)])
    stop = asyncio.Event()

    class StopsOnThird(ScriptedSender):
        async def send(self, chat_id: int, message: Rendered) -> Outcome:
            if len(self.calls) == 2:
                stop.set()
                await asyncio.sleep(0.01)
            return await super().send(chat_id, message)

    sender = StopsOnThird()
    w = worker(db, clock, sender, "w", batch=10, concurrency=1)
    await asyncio.wait_for(w.run(stop), 5)
    rows = await outbox_rows(db)
    assert [r.state for r in rows].count(OutboxState.SENT) == 3
    assert [r.state for r in rows].count(OutboxState.PENDING) == 7
    assert all(r.claimed_by is None and r.attempts == 0 for r in rows)
    assert len(sender.calls) == 3


async def test_run_sleeps_until_woken_or_stopped(db: Database) -> None:
    clock = FakeClock(START)
    sender = ScriptedSender()
    stop = asyncio.Event()
    w = worker(db, clock, sender, "w", poll_interval=60.0)
    running = asyncio.create_task(w.run(stop))
    await asyncio.sleep(0.05)
    await enqueue(db, [message(1), message(2)])
    await asyncio.sleep(0.05)
    assert sender.calls == []
    w.wake()
    for _ in range(100):
        if len(sender.calls) == 2:
            break
        await asyncio.sleep(0.02)
    assert sorted(d.chat_id for d in sender.calls) == [1, 2]
    stop.set()
    await asyncio.wait_for(running, 2)


async def test_run_survives_a_broken_database_cycle(db: Database) -> None:
    clock = FakeClock(START)
    sender = ScriptedSender()
    stop = asyncio.Event()
    w = worker(db, clock, sender, "w", poll_interval=0.02)
    await enqueue(db, [message(1)])
    real = db.unit_of_work
    failures = 0

    def flaky(*, background: bool = False) -> UnitOfWork:
        nonlocal failures
        if failures < 2:
            failures += 1
            raise OSError("database restarting")
        return real(background=background)

    db.unit_of_work = flaky  # type: ignore[method-assign]
    running = asyncio.create_task(w.run(stop))
    for _ in range(100):
        if sender.calls:
            break
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(running, 2)
    db.unit_of_work = real  # type: ignore[method-assign]
    assert [d.chat_id for d in sender.calls] == [1]


class SlowFirstSend:
    """The first send hangs until released and then ends with ``first``; the rest succeed."""

    def __init__(self, first: Outcome, ledger: ScriptedSender) -> None:
        self.first: Outcome | None = first
        self.ledger = ledger
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def send(self, chat_id: int, message: Rendered) -> Outcome:
        if self.first is None:
            return await self.ledger.send(chat_id, message)
        outcome, self.first = self.first, None
        self.started.set()
        await self.release.wait()
        return outcome


@pytest.mark.parametrize(
    "late", [Transient("TimedOut: no answer in time"), Sent(999)], ids=["failed", "sent"]
)
async def test_a_lease_run_out_mid_send_leaves_the_row_to_the_claim_that_holds_it(
    db: Database, late: Outcome, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(START)
    [row_id] = await enqueue(db, [message(1)])
    ledger = ScriptedSender()
    slow = SlowFirstSend(late, ledger)
    first = asyncio.create_task(worker(db, clock, slow, "a").drain_once())
    await asyncio.wait_for(slow.started.wait(), 5)
    # The send takes longer than the lease: another worker takes the row and sends it.
    clock.advance(LEASE + dt.timedelta(seconds=1))
    assert await worker(db, clock, ScriptedSender(calls=ledger.calls), "b").drain_once() == 1
    (taken,) = await outbox_rows(db)
    assert (taken.state, taken.message_id) == (OutboxState.SENT, 100)

    # The slow send ends at last; its outcome belongs to a claim that no longer holds the row.
    slow.release.set()
    await asyncio.wait_for(first, 5)
    (row,) = await outbox_rows(db)
    assert (row.id, row.state, row.message_id, row.attempts) == (row_id, OutboxState.SENT, 100, 0)
    assert row.sent_at == taken.sent_at
    assert "no longer held" in caplog.text
    # Nothing goes out again later, and the row keeps its one mark.
    clock.advance(dt.timedelta(hours=1))
    for name in ("a", "b"):
        assert await worker(db, clock, ledger, name).drain_once() == 0
    assert [d.chat_id for d in ledger.calls] == [1]


async def test_marks_are_taken_only_from_the_claim_that_holds_the_row(db: Database) -> None:
    clock = FakeClock(START)
    await enqueue(db, [message(chat) for chat in (1, 2, 3, 4, 5)])
    now = clock.now()
    async with db.unit_of_work() as uow:
        items = await uow.outbox.claim(now, "a", limit=5, lease=LEASE)
    ids = [item.id for item in items]
    async with db.unit_of_work() as uow:
        outbox = uow.outbox
        assert not await outbox.mark_sent(ids[0], now, 1, by="b")
        assert not await outbox.mark_failed(ids[1], "x", by="b")
        assert not await outbox.mark_cancelled(ids[2], "x", by="b")
        assert not await outbox.retry_later(ids[3], now, "x", by="b")
        assert await outbox.release(ids, by="b") == 0
    assert {r.state for r in await outbox_rows(db)} == {OutboxState.SENDING}
    async with db.unit_of_work() as uow:
        outbox = uow.outbox
        assert await outbox.mark_sent(ids[0], now, 1, by="a")
        assert await outbox.mark_failed(ids[1], "x", by="a")
        assert await outbox.mark_cancelled(ids[2], "x", by="a")
        assert await outbox.retry_later(ids[3], now, "x", by="a")
        assert await outbox.release(ids, by="a") == 1
        # A row already marked takes no second mark, even from the claim that marked it.
        assert not await outbox.mark_failed(ids[0], "late", by="a")
    states = [r.state for r in await outbox_rows(db)]
    assert states == [
        OutboxState.SENT,
        OutboxState.FAILED,
        OutboxState.CANCELLED,
        OutboxState.PENDING,
        OutboxState.PENDING,
    ]
