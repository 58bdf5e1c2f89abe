"""Repository of plan drafts: changes of the plan waiting for their author's confirmation."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.records import record
from scheduler.storage.tables import PlanDraftRow
from scheduler.storage.writes import changed_rows

DRAFT = "draft"


@dataclass(frozen=True, slots=True)
class PlanDraft:
    id: int
    created_at: dt.datetime
    created_by: int
    chat_id: int
    source: str
    base_version: int | None
    document: str
    detail: Mapping[str, Any]
    state: str


class PlanDraftsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        by: int,
        chat_id: int,
        source: str,
        base_version: int | None,
        document: str,
        detail: Mapping[str, Any],
        now: dt.datetime,
    ) -> int:
        row = PlanDraftRow(
            created_at=now,
            created_by=by,
            chat_id=chat_id,
            source=source,
            base_version=base_version,
            document=document,
            detail=json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str),
            state=DRAFT,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def get(self, draft_id: int) -> PlanDraft | None:
        row = await self._session.get(PlanDraftRow, draft_id)
        return None if row is None else record(PlanDraft, row, detail=json.loads(row.detail))

    async def decide(self, draft_id: int, state: str, by: int, now: dt.datetime) -> bool:
        """Move a draft out of "draft", once: False when it was already decided."""
        changed = await changed_rows(
            self._session,
            update(PlanDraftRow)
            .where(PlanDraftRow.id == draft_id, PlanDraftRow.state == DRAFT)
            .values(state=state, decided_at=now, decided_by=by),
        )
        return bool(changed)
