"""A send Telegram accepted while the database refused to record it is not sent again.

Before the worker kept such sends, the row stayed "sending" until its lease ran out and then
went out a second time, though the process never died.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from scheduler.clock import FakeClock
from scheduler.delivery.outcomes import Outcome
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.delivery.worker import DeliveryWorker
from scheduler.presentation import Rendered
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.unit_of_work import Database, UnitOfWork
from tests.delivery.fakes import START, ScriptedSender, enqueue, message, render_text
from tests.delivery.rows import outbox_rows

LEASE = dt.timedelta(seconds=30)


class RefusingDatabase:
    """The database, refusing every unit of work while ``refusing`` is set."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.refusing = False

    def unit_of_work(self, *, background: bool = False) -> UnitOfWork:
        if self.refusing:
            raise OSError("database is locked")
        return self._db.unit_of_work(background=background)


async def test_a_refused_record_of_a_send_is_kept_and_written_before_new_claims(
    db: Database,
) -> None:
    ids = await enqueue(db, [message(chat) for chat in (1, 2, 3)])
    flaky = RefusingDatabase(db)

    class LockedAfterSending(ScriptedSender):
        async def send(self, chat_id: int, message: Rendered) -> Outcome:
            outcome = await super().send(chat_id, message)
            if len(self.calls) == 1:
                flaky.refusing = True
            return outcome

    clock = FakeClock(START)
    sender = LockedAfterSending()
    worker = DeliveryWorker(
        flaky,  # type: ignore[arg-type]
        clock,
        sender,
        render_text,
        RateLimiter(Limits(total=1000, chat_interval=0.0, group=1000)),
        worker_id="w",
        batch=1,
        lease=LEASE,
    )
    with pytest.raises(OSError, match="database is locked"):
        await worker.drain_once()
    assert [d.chat_id for d in sender.calls] == [1]  # nothing more was claimed or sent
    first = (await outbox_rows(db))[0]
    assert (first.id, first.state) == (ids[0], OutboxState.SENDING)

    flaky.refusing = False
    clock.advance(LEASE * 2)  # the lease alone would hand the row out again
    assert await worker.drain_once() == 2
    assert Counter(d.chat_id for d in sender.calls) == Counter({1: 1, 2: 1, 3: 1})
    rows = await outbox_rows(db)
    assert [(r.state, r.message_id) for r in rows] == [
        (OutboxState.SENT, 100),
        (OutboxState.SENT, 101),
        (OutboxState.SENT, 102),
    ]
    assert rows[0].sent_at is not None and rows[0].sent_at.replace(tzinfo=dt.UTC) == START
