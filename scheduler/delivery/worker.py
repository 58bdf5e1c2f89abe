"""The delivery worker: claims due outbox rows, sends them within the limits, records outcomes.

Each claimed row is rendered, sent once the rate limiter allows its chat, and its outcome is
written in a transaction of its own, so a crash loses at most the message in flight (its
lease runs out and another worker sends it again). A send Telegram accepted but the database
refused to record (locked, read-only, full) is kept in memory and recorded before anything
new is claimed, so a database fault the process survives sends nothing twice. While one chat
must wait, the worker sends to another chat of the batch instead of stalling; rows that would
wait long are put back for later without using up an attempt.

A row of a kind that keeps to working hours, due outside them, is put back for the next
working morning without using up an attempt (the ``hold`` port) and is not rendered.

Outcomes: Sent is marked sent; RetryAfter pauses the whole bot and puts the row back for
when the pause ends; Transient retries with backoff until the attempts run out; Blocked fails
the row, ends the chat's subscriptions and cancels its other unsent rows; Migrated moves the
chat's subscriptions and rows to the new id and sends there; Rejected fails the row.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from scheduler.clock import Clock
from scheduler.delivery.outcomes import (
    Blocked,
    Hold,
    Migrated,
    Outcome,
    Rejected,
    Render,
    RetryAfter,
    Sender,
    Sent,
    Transient,
)
from scheduler.delivery.ratelimit import Permit, RateLimiter, Sleep
from scheduler.delivery.retry import RetryPolicy
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.vocabulary.messages import MessageKind

log = logging.getLogger(__name__)

T = TypeVar("T")
SentHook = Callable[[OutboxItem, int | None], None]
FailedHook = Callable[[OutboxItem, str], None]

# A group that keeps migrating is not followed forever.
MAX_MIGRATIONS = 3
# Recording an outcome is retried this many times (e.g. SQLite busy) before the row is left
# to its lease.
RECORD_TRIES = 3


class DeliveryWorker:
    """Sends the outbox through a ``Sender``; several workers may share one database."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        sender: Sender,
        render: Render,
        limiter: RateLimiter,
        *,
        worker_id: str,
        batch: int = 50,
        lease: dt.timedelta = dt.timedelta(minutes=5),
        retry: RetryPolicy | None = None,
        concurrency: int = 4,
        poll_interval: float = 1.0,
        max_hold: float = 10.0,
        kinds: Sequence[MessageKind] | None = None,
        hold: Hold | None = None,
        on_sent: SentHook | None = None,
        on_failed: FailedHook | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if batch < 1 or concurrency < 1:
            raise ValueError("batch and concurrency must be at least 1")
        self._db = db
        self._clock = clock
        self._sender = sender
        self._render = render
        self._limiter = limiter
        self.worker_id = worker_id
        self._batch = batch
        self._lease = lease
        self._policy = retry or RetryPolicy()
        self._concurrency = concurrency
        self._poll_interval = poll_interval
        self._max_hold = max_hold
        self._kinds = None if kinds is None else list(kinds)
        self._hold = hold
        self._on_sent = on_sent
        self._on_failed = on_failed
        self._sleep = sleep
        self._wake = asyncio.Event()
        self._migrations: dict[int, int] = {}
        # Sends Telegram accepted whose outcome the database refused: row id -> (when, id).
        self._unrecorded: dict[int, tuple[dt.datetime, int | None]] = {}

    # -- entry points ----------------------------------------------------------------------

    def wake(self) -> None:
        """Something became due (a wave was planned): look at the outbox now."""
        self._wake.set()

    async def drain_once(self) -> int:
        """Send everything due now, including what falls due while sending; returns sent."""
        return await self._drain(None)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; then finish what is in flight and release the rest."""
        while not stop.is_set():
            self._wake.clear()
            try:
                await self._drain(stop)
            except Exception:
                log.exception("delivery cycle of %s failed; trying again", self.worker_id)
            if stop.is_set():
                break
            await _first_of(
                [self._wake.wait(), stop.wait()], within=self._poll_interval, sleep=None
            )
        if self._unrecorded:
            try:
                await self._record_unrecorded()
            except Exception:
                log.exception(
                    "stopping with sent rows %s unrecorded; they go out again after their lease",
                    sorted(self._unrecorded),
                )

    # -- one drain -------------------------------------------------------------------------

    async def _drain(self, stop: asyncio.Event | None) -> int:
        sent = 0
        while stop is None or not stop.is_set():
            # Claiming more while the database refuses to record what was sent would only
            # pile up messages that may go out twice.
            await self._record_unrecorded()
            claimed_at = self._clock.now()
            async with self._db.unit_of_work(background=True) as uow:
                items = await uow.outbox.claim(
                    claimed_at,
                    self.worker_id,
                    limit=self._batch,
                    lease=self._lease,
                    kinds=self._kinds,
                )
            if not items:
                break
            sent += await self._deliver_batch(items, claimed_at, stop)
        return sent

    async def _deliver_batch(
        self, items: list[OutboxItem], claimed_at: dt.datetime, stop: asyncio.Event | None
    ) -> int:
        queue = list(items)
        tasks: set[asyncio.Task[bool]] = set()
        sent = 0
        try:
            while queue or tasks:
                if stop is not None and stop.is_set():
                    break
                if queue and self._clock.now() - claimed_at > self._lease / 2:
                    # Held so long that the lease could run out under us: another worker
                    # would then send these too.
                    await self._release(queue)
                    queue.clear()
                    continue
                wait = math.inf
                if queue and len(tasks) < self._concurrency:
                    index, wait = self._pick(queue)
                    if wait <= 0:
                        item = queue.pop(index)
                        permit = self._limiter.record(item.chat_id)
                        tasks.add(asyncio.create_task(self._deliver(item, permit, queue)))
                        continue
                    if not math.isinf(wait) and wait > self._max_hold:
                        await self._defer_waiting(queue)
                        continue
                if not tasks and math.isinf(wait):
                    # Only chats with a send in flight elsewhere: look again shortly.
                    wait = self._poll_interval
                waiters: list[Awaitable[object]] = list(tasks)
                if stop is not None:
                    waiters.append(stop.wait())
                await _first_of(waiters, within=wait, sleep=self._sleep)
                sent += _harvest(tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise
        if tasks:
            await asyncio.wait(tasks)
            sent += _harvest(tasks)
        if queue:
            await self._release(queue)
        return sent

    def _pick(self, queue: list[OutboxItem]) -> tuple[int, float]:
        """The first item whose chat may receive now, else the one that waits least."""
        best, best_wait = 0, math.inf
        seen: dict[int, float] = {}
        for index, item in enumerate(queue):
            wait = seen.get(item.chat_id)
            if wait is None:
                wait = seen[item.chat_id] = self._limiter.delay_for(item.chat_id)
            if wait <= 0:
                return index, 0.0
            if wait < best_wait:
                best, best_wait = index, wait
        return best, best_wait

    async def _defer_waiting(self, queue: list[OutboxItem]) -> None:
        """Put back, for when their chat may send, the rows that would wait too long."""
        now = self._clock.now()
        later: list[tuple[OutboxItem, float]] = []
        for item in queue:
            wait = self._limiter.delay_for(item.chat_id)
            if not math.isinf(wait) and wait > self._max_hold:
                later.append((item, wait))
        if not later:
            return

        async def put_back(uow: UnitOfWork) -> None:
            for item, wait in later:
                at = now + dt.timedelta(seconds=wait)
                await uow.outbox.retry_later(
                    item.id,
                    at,
                    "waiting for sending limits",
                    by=self.worker_id,
                    count_attempt=False,
                )

        await self._record(put_back)
        deferred = {item.id for item, _ in later}
        queue[:] = [item for item in queue if item.id not in deferred]

    async def _release(self, items: list[OutboxItem]) -> None:
        ids = [item.id for item in items]

        async def release(uow: UnitOfWork) -> None:
            await uow.outbox.release(ids, by=self.worker_id)

        await self._record(release)

    # -- one message -----------------------------------------------------------------------

    async def _deliver(self, item: OutboxItem, permit: Permit, queue: list[OutboxItem]) -> bool:
        """Render, send and record one item; never raises, returns whether it was sent."""
        try:
            held = self._hold(item) if self._hold is not None else None
        except Exception:
            log.exception("deciding whether outbox row %s waits failed; it goes now", item.id)
            held = None
        if held is not None:
            permit.cancel()
            await self._mark(
                item,
                "hold",
                lambda uow: uow.outbox.retry_later(
                    item.id,
                    held,
                    f"outside working hours: held until {held.isoformat()}",
                    by=self.worker_id,
                    count_attempt=False,
                ),
            )
            return False
        try:
            rendered = await self._render(item)
        except Exception as exc:
            permit.cancel()
            log.exception("rendering outbox row %s failed", item.id)
            await self._retry(item, f"render failed: {type(exc).__name__}: {exc}")
            return False
        if rendered is None:
            permit.cancel()
            await self._mark(
                item,
                "cancellation",
                lambda uow: uow.outbox.mark_cancelled(
                    item.id, "no longer needed", by=self.worker_id
                ),
            )
            return False
        try:
            outcome: Outcome = await self._sender.send(item.chat_id, rendered)
        except Exception as exc:
            log.exception("sending outbox row %s raised", item.id)
            outcome = Transient(f"sender raised {type(exc).__name__}: {exc}")
        finally:
            permit.done()
        return await self._apply(item, outcome, queue)

    async def _apply(self, item: OutboxItem, outcome: Outcome, queue: list[OutboxItem]) -> bool:
        now = self._clock.now()
        match outcome:
            case Sent(message_id=message_id):
                recorded = await self._mark(
                    item,
                    "send",
                    lambda uow: uow.outbox.mark_sent(item.id, now, message_id, by=self.worker_id),
                )
                if recorded is None:
                    self._unrecorded[item.id] = (now, message_id)
                self._migrations.pop(item.id, None)
                self._hook(self._on_sent, item, message_id)
                return True
            case RetryAfter(seconds=seconds):
                self._limiter.pause_for(seconds)
                at = now + dt.timedelta(seconds=seconds)
                error = f"flood control: retry after {seconds:g} s"
                await self._mark(
                    item,
                    "pause",
                    lambda uow: uow.outbox.retry_later(
                        item.id, at, error, by=self.worker_id, count_attempt=False
                    ),
                )
            case Transient(description=description):
                await self._retry(item, description)
            case Blocked(description=description):
                await self._mark(
                    item, "failure", lambda uow: _blocked(uow, item, description, self.worker_id)
                )
                queue[:] = [other for other in queue if other.chat_id != item.chat_id]
                self._hook(self._on_failed, item, description)
            case Migrated(new_chat_id=new_chat_id):
                await self._migrate(item, new_chat_id, now, queue)
            case Rejected(description=description):
                await self._fail(item, description)
        return False

    async def _retry(self, item: OutboxItem, error: str) -> None:
        wait = self._policy.next_wait(item.attempts + 1)
        if wait is None:
            await self._fail(item, error)
            return
        at = self._clock.now() + dt.timedelta(seconds=wait)
        await self._mark(
            item,
            "retry",
            lambda uow: uow.outbox.retry_later(item.id, at, error, by=self.worker_id),
        )

    async def _fail(self, item: OutboxItem, error: str) -> None:
        await self._mark(
            item, "failure", lambda uow: uow.outbox.mark_failed(item.id, error, by=self.worker_id)
        )
        self._migrations.pop(item.id, None)
        self._hook(self._on_failed, item, error)

    async def _migrate(
        self, item: OutboxItem, new_chat_id: int, now: dt.datetime, queue: list[OutboxItem]
    ) -> None:
        old_chat_id = item.chat_id
        hops = self._migrations.get(item.id, 0) + 1
        if hops > MAX_MIGRATIONS or new_chat_id == old_chat_id:
            await self._fail(item, f"chat {old_chat_id} keeps migrating (to {new_chat_id})")
            return
        self._migrations[item.id] = hops

        async def move(uow: UnitOfWork) -> list[int]:
            await uow.subscriptions.move_chat(old_chat_id, new_chat_id, now)
            return await uow.outbox.move_chat(old_chat_id, new_chat_id)

        moved = await self._record(move)
        if moved is None:
            # Nothing was written: the row stays claimed and its lease brings it back.
            return
        log.info(
            "chat %s migrated to %s; %d unsent rows follow", old_chat_id, new_chat_id, len(moved)
        )
        follow = set(moved)
        kept: list[OutboxItem] = []
        if item.id in follow:
            kept.append(replace(item, chat_id=new_chat_id))
        for other in queue:
            if other.chat_id != old_chat_id:
                kept.append(other)
            elif other.id in follow:
                kept.append(replace(other, chat_id=new_chat_id))
        queue[:] = kept

    # -- plumbing --------------------------------------------------------------------------

    async def _record_unrecorded(self) -> None:
        """Record the sends the database refused before; raises while it still refuses."""
        if not self._unrecorded:
            return
        waiting = dict(self._unrecorded)
        lost = []
        async with self._db.unit_of_work(background=True) as uow:
            for item_id, (at, message_id) in waiting.items():
                if not await uow.outbox.mark_sent(item_id, at, message_id, by=self.worker_id):
                    lost.append(item_id)
        for item_id in waiting:
            self._unrecorded.pop(item_id, None)
        log.info("recorded %d sent rows the database had refused", len(waiting) - len(lost))
        for item_id in lost:
            _log_lost(item_id, self.worker_id, "send")

    async def _mark(
        self, item: OutboxItem, what: str, action: Callable[[UnitOfWork], Awaitable[bool]]
    ) -> bool | None:
        """Record an outcome of ``item`` (the ``what`` of it, for the log) through its claim.

        False when the claim no longer holds the row; None when the database refused.
        """
        taken = await self._record(action)
        if taken is False:
            _log_lost(item.id, self.worker_id, what)
        return taken

    async def _record(self, action: Callable[[UnitOfWork], Awaitable[T]]) -> T | None:
        """Run ``action`` in a transaction of its own, trying again if the database balks."""
        for attempt in range(1, RECORD_TRIES + 1):
            try:
                async with self._db.unit_of_work(background=True) as uow:
                    return await action(uow)
            except Exception:
                if attempt == RECORD_TRIES:
                    log.exception(
                        "recording a delivery outcome failed %d times; a sent row is recorded "
                        "later, any other waits for its lease to run out",
                        attempt,
                    )
                    return None
                log.warning("recording a delivery outcome failed; trying again", exc_info=True)
                await asyncio.sleep(0.05 * attempt)
        return None

    def _hook(
        self, hook: Callable[[OutboxItem, T], None] | None, item: OutboxItem, detail: T
    ) -> None:
        if hook is None:
            return
        try:
            hook(item, detail)
        except Exception:
            log.exception("a delivery hook failed")


def _log_lost(item_id: int, worker: str, what: str) -> None:
    log.warning(
        "outbox row %s is no longer held by %s: its lease ran out during the send and another "
        "worker took it, so this %s is not recorded",
        item_id,
        worker,
        what,
    )


async def _blocked(uow: UnitOfWork, item: OutboxItem, description: str, worker: str) -> bool:
    # The chat cannot be reached whoever holds the row: its subscriptions end either way.
    taken = await uow.outbox.mark_failed(item.id, description, by=worker)
    await uow.subscriptions.deactivate_chat(item.chat_id)
    await uow.outbox.cancel_pending_for_chat(item.chat_id, f"chat unreachable: {description}")
    return taken


def _harvest(tasks: set[asyncio.Task[bool]]) -> int:
    """Remove finished tasks and count how many of them sent their message."""
    finished = {task for task in tasks if task.done()}
    tasks -= finished
    return sum(1 for task in finished if not task.cancelled() and task.result())


async def _first_of(
    waiters: list[Awaitable[object]], *, within: float, sleep: Sleep | None
) -> None:
    """Return when any waiter finishes or ``within`` seconds pass (on ``sleep`` if given)."""
    own: list[asyncio.Future[Any]] = []
    pending: set[asyncio.Future[Any]] = set()
    for waiter in waiters:
        started: asyncio.Future[Any] = asyncio.ensure_future(waiter)
        if started is not waiter:
            own.append(started)
        pending.add(started)
    timer: float | None = None if math.isinf(within) else max(0.0, within)
    if sleep is not None and timer is not None:
        sleeper = asyncio.ensure_future(sleep(timer))
        own.append(sleeper)
        pending.add(sleeper)
        timer = None
    try:
        if pending:
            await asyncio.wait(pending, timeout=timer, return_when=asyncio.FIRST_COMPLETED)
        elif timer is not None:
            await asyncio.sleep(timer)
    finally:
        for helper in own:
            helper.cancel()
        if own:
            await asyncio.gather(*own, return_exceptions=True)
