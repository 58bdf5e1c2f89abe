"""Repository of the audit log: administrative actions and refused attempts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.records import record
from scheduler.storage.tables import AuditRow


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user_id: int | None
    chat_id: int | None
    action: str
    allowed: bool
    detail: Mapping[str, Any]


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

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
        self._session.add(
            AuditRow(
                at=at,
                user_id=user_id,
                chat_id=chat_id,
                action=action,
                allowed=allowed,
                detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
            )
        )

    async def recent(self, limit: int = 20, *, allowed: bool | None = None) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if allowed is not None:
            query = query.where(AuditRow.allowed.is_(allowed))
        return [
            record(AuditEntry, r, detail=json.loads(r.detail))
            for r in await self._session.scalars(query)
        ]
