"""The outbox repository: planned messages, claimed by one worker at a time, marked by outcome.

A message is planned (a row, unique per chat, control point and slot) before it is sent,
and marked sent only once Telegram has accepted it. Workers claim rows in one atomic
UPDATE … RETURNING; on PostgreSQL the candidate rows are picked with FOR UPDATE SKIP
LOCKED so that several instances never claim the same row. A claim is a lease: a row
still "sending" when its lease runs out belonged to a process that died, and goes back
to the queue. That is the only way a message can go out twice: the one in flight when
the process died.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.records import record
from scheduler.storage.tables import OutboxRow, table_of
from scheduler.storage.writes import changed_rows
from scheduler.vocabulary.messages import MessageKind


class OutboxState(enum.StrEnum):
    """Where a planned message is: pending → sending → sent, or failed, missed, cancelled."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"
    CANCELLED = "cancelled"


# States of a message that has not gone out yet.
UNSENT = (OutboxState.PENDING, OutboxState.SENDING)


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A message to plan: who gets it, for which occasion, and the facts to render it from."""

    chat_id: int
    control_point: str
    slot: str
    kind: MessageKind
    due_at: dt.datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    state: OutboxState = OutboxState.PENDING


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxItem(NewMessage):
    """A planned message as stored: its row id and how many sends were tried."""

    id: int
    attempts: int


def _item(row: Any) -> OutboxItem:
    return record(
        OutboxItem,
        row,
        kind=MessageKind(row.kind),
        payload=json.loads(row.payload),
        state=OutboxState(row.state),
    )


# Read for every reply to a message of the bot's: built once, so that each read only binds,
# and of the table's columns, since an item is built from them and not from a mapped object.
_OUTBOX = table_of(OutboxRow)
_BY_MESSAGE = select(_OUTBOX).where(
    _OUTBOX.c.chat_id == bindparam("chat"), _OUTBOX.c.message_id == bindparam("message")
)

_BY_IDS = select(_OUTBOX).where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
_BY_MESSAGES = select(_OUTBOX).where(
    tuple_(_OUTBOX.c.chat_id, _OUTBOX.c.message_id).in_(bindparam("pairs", expanding=True))
)


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        # Rows this unit of work planned; once it commits, the unit of work rings the bell.
        self.planned = 0

    @property
    def _dialect(self) -> str:
        return self._session.bind.dialect.name if self._session.bind is not None else "sqlite"

    async def enqueue(self, messages: Sequence[NewMessage], now: dt.datetime) -> int:
        """Plan messages; one already planned for the same chat, point and slot is left as is.

        Returns how many rows were new.
        """
        if not messages:
            return 0
        rows = [
            {
                "chat_id": m.chat_id,
                "control_point": m.control_point,
                "slot": m.slot,
                "kind": m.kind,
                "payload": json.dumps(m.payload, ensure_ascii=False, sort_keys=True),
                "due_at": m.due_at,
                "state": m.state,
                "attempts": 0,
                "next_attempt_at": m.due_at,
                "created_at": now,
            }
            for m in messages
        ]
        module: Any = postgresql if self._dialect == "postgresql" else sqlite
        # One statement, compiled once and executed with many parameter sets: SQLAlchemy
        # batches them into multi-row INSERTs itself, and RETURNING tells the new rows apart.
        stmt = (
            module.insert(OutboxRow)
            .on_conflict_do_nothing(index_elements=["chat_id", "control_point", "slot"])
            .returning(OutboxRow.id)
        )
        result = await self._session.execute(stmt, rows)
        inserted = len(result.all())
        self.planned += inserted
        return inserted

    async def claim(
        self,
        now: dt.datetime,
        worker: str,
        *,
        limit: int,
        lease: dt.timedelta,
        kinds: Sequence[MessageKind] | None = None,
    ) -> list[OutboxItem]:
        """Take up to ``limit`` due rows for ``worker``, oldest first, and mark them sending.

        Rows whose lease ran out go first, then the queue of pending rows. Each is its own
        condition on the queue index, read in its order (due time, then id), so a claim
        reads ``limit`` rows however long the queue: with one condition for both, the
        engines would sort every due row of a large wave at each claim.
        """
        stale = and_(OutboxRow.state == OutboxState.SENDING, OutboxRow.claimed_at < now - lease)
        ready = and_(OutboxRow.state == OutboxState.PENDING, OutboxRow.next_attempt_at <= now)
        claimed = await self._claim_where(stale, now, worker, limit, kinds)
        if len(claimed) < limit:
            claimed += await self._claim_where(ready, now, worker, limit - len(claimed), kinds)
        return sorted(claimed, key=lambda i: (i.due_at, i.id))

    async def _claim_where(
        self,
        condition: ColumnElement[bool],
        now: dt.datetime,
        worker: str,
        limit: int,
        kinds: Sequence[MessageKind] | None,
    ) -> list[OutboxItem]:
        candidates = select(OutboxRow.id).where(condition)
        if kinds is not None:
            candidates = candidates.where(OutboxRow.kind.in_(list(kinds)))
        # A materialised CTE picks the rows once. As a plain IN (subquery) PostgreSQL may
        # run the locking subquery again for each row it updates, and each run skips the
        # rows already taken, so the claim would grow past ``limit`` to every due row.
        picked = (
            candidates.order_by(OutboxRow.next_attempt_at, OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("picked")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        stmt = (
            update(OutboxRow)
            .where(OutboxRow.id.in_(select(picked.c.id)), condition)
            .values(state=OutboxState.SENDING, claimed_by=worker, claimed_at=now)
            .returning(OutboxRow)
            .execution_options(synchronize_session=False)
        )
        rows = (await self._session.execute(stmt)).scalars().all()
        return [_item(r) for r in rows]

    # Each mark is fenced by the claim: it takes only while the row is still "sending" for
    # the worker that marks it. A send slower than the lease lets another worker take the
    # row; the first worker's late outcome then changes nothing. Each returns whether it took.

    async def mark_sent(
        self, item_id: int, now: dt.datetime, message_id: int | None, *, by: str
    ) -> bool:
        return await self._finish(
            item_id, by, state=OutboxState.SENT, sent_at=now, message_id=message_id
        )

    async def mark_failed(self, item_id: int, error: str, *, by: str) -> bool:
        return await self._finish(item_id, by, state=OutboxState.FAILED, last_error=error[:1000])

    async def mark_cancelled(self, item_id: int, reason: str, *, by: str) -> bool:
        return await self._finish(
            item_id, by, state=OutboxState.CANCELLED, last_error=reason[:1000]
        )

    async def retry_later(
        self,
        item_id: int,
        at: dt.datetime,
        error: str | None,
        *,
        by: str,
        count_attempt: bool = True,
    ) -> bool:
        """Return the row to the queue for another attempt at ``at``.

        ``count_attempt=False`` puts it back without using up an attempt: the message was not
        tried (flood control paused the bot, or the chat's limits made it wait).
        """
        return await self._finish(
            item_id,
            by,
            state=OutboxState.PENDING,
            next_attempt_at=at,
            attempts=OutboxRow.attempts + (1 if count_attempt else 0),
            last_error=None if error is None else error[:1000],
        )

    async def release(self, item_ids: Sequence[int], *, by: str) -> int:
        """Give claimed rows back untouched, e.g. at a graceful shutdown; how many went back."""
        if not item_ids:
            return 0
        return await changed_rows(
            self._session,
            update(OutboxRow)
            .where(OutboxRow.id.in_(list(item_ids)), _held_by(by))
            .values(state=OutboxState.PENDING, claimed_by=None, claimed_at=None),
        )

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> list[int]:
        """A group became a supergroup: its unsent messages follow it to the new id.

        A message the new chat already has (same control point and slot) is cancelled
        instead, since the chat would otherwise get it twice (and the unique key refuses
        the move). Returns the ids of the rows that moved.
        """
        unsent = and_(OutboxRow.chat_id == old_chat_id, OutboxRow.state.in_(UNSENT))
        taken = {
            (point, slot)
            for point, slot in await self._session.execute(
                select(OutboxRow.control_point, OutboxRow.slot).where(
                    OutboxRow.chat_id == new_chat_id
                )
            )
        }
        duplicates = [
            row_id
            for row_id, point, slot in await self._session.execute(
                select(OutboxRow.id, OutboxRow.control_point, OutboxRow.slot).where(unsent)
            )
            if (point, slot) in taken
        ]
        if duplicates:
            await self._session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(duplicates))
                .values(
                    state=OutboxState.CANCELLED,
                    claimed_by=None,
                    claimed_at=None,
                    last_error=f"already planned for chat {new_chat_id}",
                )
            )
        moved = await self._session.execute(
            update(OutboxRow)
            .where(unsent)
            .values(chat_id=new_chat_id)
            .returning(OutboxRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(moved.scalars().all())

    async def cancel_pending_for_chat(self, chat_id: int, reason: str) -> int:
        changed = await changed_rows(
            self._session,
            update(OutboxRow)
            .where(OutboxRow.chat_id == chat_id, OutboxRow.state.in_(UNSENT))
            .values(state=OutboxState.CANCELLED, last_error=reason),
        )
        return changed

    async def depth(self, due_by: dt.datetime | None = None) -> int:
        """How many messages wait to be sent (of them, with ``due_by``, those due by then)."""
        query = select(func.count()).select_from(OutboxRow).where(OutboxRow.state.in_(UNSENT))
        if due_by is not None:
            query = query.where(OutboxRow.due_at <= due_by)
        return int(await self._session.scalar(query) or 0)

    async def find_by_message(self, chat_id: int, message_id: int) -> OutboxItem | None:
        """The planned message that Telegram delivered as ``message_id`` in ``chat_id``."""
        row = (
            await self._session.execute(_BY_MESSAGE, {"chat": chat_id, "message": message_id})
        ).first()
        return None if row is None else _item(row)

    async def by_ids(self, item_ids: Iterable[int]) -> dict[int, OutboxItem]:
        """``get`` of each of ``item_ids`` that exists, in one query per 500 ids."""
        wanted = sorted(set(item_ids))
        found: dict[int, OutboxItem] = {}
        for start in range(0, len(wanted), 500):
            rows = await self._session.execute(_BY_IDS, {"ids": wanted[start : start + 500]})
            found.update((row.id, _item(row)) for row in rows)
        return found

    async def find_by_messages(
        self, pairs: Iterable[tuple[int, int]]
    ) -> dict[tuple[int, int], OutboxItem]:
        """``find_by_message`` of each (chat, message id) pair, in one query per 500 pairs."""
        wanted = sorted(set(pairs))
        found: dict[tuple[int, int], OutboxItem] = {}
        for start in range(0, len(wanted), 500):
            rows = await self._session.execute(_BY_MESSAGES, {"pairs": wanted[start : start + 500]})
            for row in rows:
                found[(row.chat_id, row.message_id)] = _item(row)
        return found

    async def has_newer(self, item: OutboxItem) -> bool:
        """Whether a later reminder for the same chat and point is planned or sent already."""
        found = await self._session.scalar(
            select(OutboxRow.id)
            .where(
                OutboxRow.chat_id == item.chat_id,
                OutboxRow.control_point == item.control_point,
                OutboxRow.due_at > item.due_at,
                OutboxRow.state.in_([*UNSENT, OutboxState.SENT]),
            )
            .limit(1)
        )
        return found is not None

    async def told(
        self, chat_id: int, control_point: str, kinds: Sequence[MessageKind]
    ) -> list[OutboxItem]:
        """The messages of ``kinds`` about ``control_point`` planned for ``chat_id``."""
        rows = await self._session.scalars(
            select(OutboxRow).where(
                OutboxRow.chat_id == chat_id,
                OutboxRow.control_point == control_point,
                OutboxRow.kind.in_(list(kinds)),
            )
        )
        return [_item(r) for r in rows]

    async def latest_point_of_kind(self, kind: MessageKind) -> str | None:
        """The control point of the newest row of ``kind``, e.g. the latest plan change."""
        return await self._session.scalar(
            select(OutboxRow.control_point)
            .where(OutboxRow.kind == kind)
            .order_by(OutboxRow.id.desc())
            .limit(1)
        )

    async def was_sent(self, chat_id: int, control_point: str, kind: MessageKind) -> bool:
        """Whether a message of ``kind`` for ``control_point`` went, or is going, to the chat.

        A row still "sending" counts: Telegram may have shown it before the worker recorded it.
        """
        found = await self._session.scalar(
            select(OutboxRow.id)
            .where(
                OutboxRow.chat_id == chat_id,
                OutboxRow.control_point == control_point,
                OutboxRow.kind == kind,
                OutboxRow.state.in_([OutboxState.SENT, OutboxState.SENDING]),
            )
            .limit(1)
        )
        return found is not None

    async def chats_of(self, control_point: str) -> list[int]:
        rows = await self._session.scalars(
            select(OutboxRow.chat_id).where(OutboxRow.control_point == control_point).distinct()
        )
        return sorted(rows)

    async def get(self, item_id: int) -> OutboxItem | None:
        row = await self._session.get(OutboxRow, item_id)
        return None if row is None else _item(row)

    async def _finish(self, item_id: int, by: str, **values: Any) -> bool:
        changed = await changed_rows(
            self._session,
            update(OutboxRow)
            .where(OutboxRow.id == item_id, _held_by(by))
            .values(claimed_by=None, claimed_at=None, **values),
        )
        return bool(changed)


def _held_by(worker: str) -> ColumnElement[bool]:
    """The rows ``worker``'s claim still holds."""
    return and_(OutboxRow.state == OutboxState.SENDING, OutboxRow.claimed_by == worker)
