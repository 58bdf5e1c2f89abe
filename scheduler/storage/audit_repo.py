"""Repository of the audit log: administrative actions and refused attempts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.records import record
from scheduler.storage.tables import AuditRow, table_of


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user_id: int | None
    chat_id: int | None
    action: str
    allowed: bool
    detail: Mapping[str, Any]


# An entry is written at once rather than left to the session's flush at commit: most
# use cases write one, and the ORM's bookkeeping of a new object cost more than the insert.
_INSERT = insert(table_of(AuditRow))


class AuditRepository:
    """Writes each entry at once, or, once ``hold`` was called, keeps them for ``flush``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._held: list[dict[str, Any]] | None = None

    def hold(self) -> None:
        """Keep the entries recorded from now on until ``flush``, to write them in one statement:
        for a unit of work that records many (each insert costs more than its row)."""
        if self._held is None:
            self._held = []

    async def flush(self) -> None:
        """Write the entries held, in the order they were recorded; the unit calls this before
        it commits."""
        held, self._held = self._held, None
        if held:
            await self._session.execute(_INSERT, held)

    async def record(
        self,
        *,
        at: dt.datetime,
        user_id: int | None,
        chat_id: int | None,
        action: str,
        allowed: bool,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        row = {
            "at": at,
            "user_id": user_id,
            "chat_id": chat_id,
            "action": action,
            "allowed": allowed,
            "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
        }
        if self._held is not None:
            self._held.append(row)
        else:
            await self._session.execute(_INSERT, row)

    async def recent(
        self, limit: int = 20, *, allowed: bool | None = None, upto: int | None = None
    ) -> list[AuditEntry]:
        """The newest ``limit`` entries, newest first; only those numbered ``upto`` or less."""
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if allowed is not None:
            query = query.where(AuditRow.allowed.is_(allowed))
        if upto is not None:
            query = query.where(AuditRow.id <= upto)
        return [_entry(r) for r in await self._session.scalars(query)]

    async def newer_start(self, after: int, limit: int) -> int | None:
        """Where the page before one ending at ``after`` starts: the ``limit``-th entry after it
        (None when fewer follow: that page is the newest)."""
        ids = await self._session.scalars(
            select(AuditRow.id).where(AuditRow.id > after).order_by(AuditRow.id).limit(limit + 1)
        )
        found = list(ids)
        return found[limit - 1] if len(found) > limit else None

    async def everything(self) -> list[AuditEntry]:
        """The whole log, oldest first."""
        return [
            _entry(r) for r in await self._session.scalars(select(AuditRow).order_by(AuditRow.id))
        ]


def _entry(row: AuditRow) -> AuditEntry:
    return record(AuditEntry, row, detail=json.loads(row.detail))
