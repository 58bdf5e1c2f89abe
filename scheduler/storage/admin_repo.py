"""Repositories of the administration: promoted administrators, plan versions, broadcasts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.records import record
from scheduler.storage.tables import (
    AdminRow,
    BroadcastRow,
    OutboxRow,
    PlanChangeAckRow,
    PlanVersionRow,
)
from scheduler.storage.writes import changed_rows, insert_once, upsert


class AdminsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def promoted(self) -> list[int]:
        rows = await self._session.scalars(
            select(AdminRow.user_id).where(AdminRow.active.is_(True)).order_by(AdminRow.user_id)
        )
        return list(rows)

    async def is_promoted(self, user_id: int) -> bool:
        row = await self._session.get(AdminRow, user_id)
        return row is not None and row.active

    async def promote(self, user_id: int, by: int, now: dt.datetime) -> None:
        await upsert(
            self._session,
            AdminRow,
            {"user_id": user_id, "promoted_by": by, "promoted_at": now, "active": True},
            key=["user_id"],
        )

    async def demote(self, user_id: int) -> bool:
        changed = await changed_rows(
            self._session,
            update(AdminRow)
            .where(AdminRow.user_id == user_id, AdminRow.active.is_(True))
            .values(active=False),
        )
        return bool(changed)


@dataclass(frozen=True, slots=True)
class PlanVersion:
    id: int
    created_at: dt.datetime
    created_by: int | None
    source: str
    file_hash: str | None
    document: str
    summary: str


def _version(row: PlanVersionRow) -> PlanVersion:
    return record(PlanVersion, row)


class VersionConflict(Exception):
    """Another change made from the same version was put in force first."""


class PlanVersionsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def latest(self) -> PlanVersion | None:
        row = await self._session.scalar(
            select(PlanVersionRow).order_by(PlanVersionRow.id.desc()).limit(1)
        )
        return None if row is None else _version(row)

    async def latest_id(self) -> int | None:
        return await self._session.scalar(select(func.max(PlanVersionRow.id)))

    async def latest_from_file(self) -> PlanVersion | None:
        row = await self._session.scalar(
            select(PlanVersionRow)
            .where(PlanVersionRow.file_hash.is_not(None))
            .order_by(PlanVersionRow.id.desc())
            .limit(1)
        )
        return None if row is None else _version(row)

    async def add(
        self,
        *,
        document: str,
        source: str,
        now: dt.datetime,
        by: int | None,
        file_hash: str | None = None,
        summary: str = "",
        based_on: int | None = None,
    ) -> int:
        """The new version's id; :class:`VersionConflict` when ``based_on`` was already built on
        (the unit of work must then roll back)."""
        row = PlanVersionRow(
            created_at=now,
            created_by=by,
            source=source,
            file_hash=file_hash,
            document=document,
            summary=summary,
            based_on=based_on,
        )
        self._session.add(row)
        try:
            await self._session.flush()
        except IntegrityError:
            raise VersionConflict(based_on) from None
        return row.id

    async def exists(self, version_id: int) -> bool:
        found = await self._session.scalar(
            select(PlanVersionRow.id).where(PlanVersionRow.id == version_id)
        )
        return found is not None

    async def acknowledge(
        self, version_id: int, chat_id: int, user_id: int, now: dt.datetime
    ) -> bool:
        """Record a chat's acknowledgement; False when the chat had already acknowledged."""
        return await insert_once(
            self._session,
            PlanChangeAckRow,
            {"version_id": version_id, "chat_id": chat_id, "user_id": user_id, "at": now},
            key=["version_id", "chat_id"],
        )

    async def acknowledgements(self, version_id: int) -> list[tuple[int, int, dt.datetime]]:
        rows = await self._session.execute(
            select(PlanChangeAckRow.chat_id, PlanChangeAckRow.user_id, PlanChangeAckRow.at)
            .where(PlanChangeAckRow.version_id == version_id)
            .order_by(PlanChangeAckRow.at)
        )
        return [(r[0], r[1], r[2]) for r in rows]


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    created_by: int
    chat_id: int
    audience: str
    target: str
    text: str
    state: str


def _broadcast(row: BroadcastRow) -> Broadcast:
    return record(Broadcast, row)


class BroadcastsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, *, by: int, chat_id: int, audience: str, target: str, text: str, now: dt.datetime
    ) -> int:
        row = BroadcastRow(
            created_by=by,
            created_at=now,
            chat_id=chat_id,
            audience=audience,
            target=target,
            text=text,
            state="draft",
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._session.get(BroadcastRow, broadcast_id)
        return None if row is None else _broadcast(row)

    async def move(
        self, broadcast_id: int, from_state: str, to_state: str, now: dt.datetime
    ) -> bool:
        """Change the state only from ``from_state``, so a double press acts once."""
        values: dict[str, object] = {"state": to_state}
        if to_state == "sending":
            values["confirmed_at"] = now
        if to_state == "reported":
            values["reported_at"] = now
        changed = await changed_rows(
            self._session,
            update(BroadcastRow)
            .where(BroadcastRow.id == broadcast_id, BroadcastRow.state == from_state)
            .values(**values),
        )
        return bool(changed)

    async def sending(self) -> list[Broadcast]:
        rows = await self._session.scalars(
            select(BroadcastRow).where(BroadcastRow.state == "sending").order_by(BroadcastRow.id)
        )
        return [_broadcast(r) for r in rows]

    async def delivery_counts(self, control_point: str) -> dict[str, int]:
        """Outbox rows of one broadcast by state, with blocked chats told apart from failures."""
        rows = await self._session.execute(
            select(OutboxRow.state, OutboxRow.last_error).where(
                OutboxRow.control_point == control_point
            )
        )
        counts: dict[str, int] = {}
        for state, error in rows:
            key = state
            reason = error or ""
            if (state == "failed" and reason.startswith("Forbidden")) or (
                state == "cancelled" and reason.startswith("chat unreachable")
            ):
                key = "blocked"
            counts[key] = counts.get(key, 0) + 1
        return counts
