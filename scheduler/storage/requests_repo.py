"""Repository of what agencies and controllers ask of each other: extensions, interim reports,
and the reminders a chat put off (snoozes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.records import record
from scheduler.storage.tables import (
    ExtensionRequestRow,
    InterimAnswerRow,
    InterimRequestRow,
    SnoozeRow,
)
from scheduler.storage.writes import changed_rows


class ExtensionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class NewExtension:
    control_point: str
    task_number: int
    agency: str
    current_due: dt.date
    requested_due: dt.date
    reason: str
    late: bool
    by: int
    chat_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Extension(NewExtension):
    id: int
    at: dt.datetime
    state: ExtensionState
    decided_by: int | None
    decided_at: dt.datetime | None
    decision_reason: str


@dataclass(frozen=True, slots=True)
class InterimRequest:
    id: int
    task_number: int
    agency: str | None
    text: str
    by: int
    chat_id: int
    at: dt.datetime


class ExtensionsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, request: NewExtension, now: dt.datetime) -> int:
        row = ExtensionRequestRow(
            **dataclasses.asdict(request),
            at=now,
            state=ExtensionState.PENDING,
            decision_reason="",
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def get(self, request_id: int) -> Extension | None:
        row = await self._session.get(ExtensionRequestRow, request_id)
        return None if row is None else _extension(row)

    async def decide(
        self, request_id: int, state: ExtensionState, *, by: int, reason: str, now: dt.datetime
    ) -> bool:
        """Approve or refuse a pending request; False when it was decided already."""
        changed = await changed_rows(
            self._session,
            update(ExtensionRequestRow)
            .where(
                ExtensionRequestRow.id == request_id,
                ExtensionRequestRow.state == ExtensionState.PENDING,
            )
            .values(state=state, decided_by=by, decided_at=now, decision_reason=reason),
        )
        return changed == 1

    async def pending_for(self, control_point: str, agency: str) -> Extension | None:
        row = await self._session.scalar(
            select(ExtensionRequestRow)
            .where(
                ExtensionRequestRow.control_point == control_point,
                ExtensionRequestRow.agency == agency,
                ExtensionRequestRow.state == ExtensionState.PENDING,
            )
            .order_by(ExtensionRequestRow.id.desc())
            .limit(1)
        )
        return None if row is None else _extension(row)

    async def of_task(self, task_number: int, *, limit: int = 50) -> list[Extension]:
        """The latest requests for a new date of one task's items, newest first."""
        rows = await self._session.scalars(
            select(ExtensionRequestRow)
            .where(ExtensionRequestRow.task_number == task_number)
            .order_by(ExtensionRequestRow.at.desc(), ExtensionRequestRow.id.desc())
            .limit(limit)
        )
        return [_extension(r) for r in rows]

    async def counts(
        self, start: dt.datetime, end: dt.datetime
    ) -> dict[tuple[str, int], tuple[int, int]]:
        """By agency and task: requests made in ``[start, end)``, and how many were approved."""
        rows = await self._session.execute(
            select(
                ExtensionRequestRow.agency,
                ExtensionRequestRow.task_number,
                ExtensionRequestRow.state,
                func.count(),
            )
            .where(ExtensionRequestRow.at >= start, ExtensionRequestRow.at < end)
            .group_by(
                ExtensionRequestRow.agency,
                ExtensionRequestRow.task_number,
                ExtensionRequestRow.state,
            )
        )
        counts: dict[tuple[str, int], tuple[int, int]] = {}
        for agency, task, state, n in rows:
            asked, granted = counts.get((agency, task), (0, 0))
            approved = n if state == ExtensionState.APPROVED else 0
            counts[(agency, task)] = (asked + n, granted + approved)
        return counts


def _extension(row: ExtensionRequestRow) -> Extension:
    return record(Extension, row, state=ExtensionState(row.state))


class InterimRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, *, task: int, agency: str | None, text: str, by: int, chat_id: int, now: dt.datetime
    ) -> int:
        row = InterimRequestRow(
            task_number=task, agency=agency, text=text, by=by, chat_id=chat_id, at=now
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def get(self, request_id: int) -> InterimRequest | None:
        row = await self._session.get(InterimRequestRow, request_id)
        return None if row is None else record(InterimRequest, row)

    async def answer(self, request_id: int, agency: str, status_id: int, now: dt.datetime) -> bool:
        """Record the agency's answer; False when it had answered already."""
        answered = await self._session.scalar(
            select(InterimAnswerRow.id).where(
                InterimAnswerRow.request_id == request_id, InterimAnswerRow.agency == agency
            )
        )
        if answered is not None:
            return False
        self._session.add(
            InterimAnswerRow(
                request_id=request_id, agency=agency, status_update_id=status_id, at=now
            )
        )
        await self._session.flush()
        return True

    async def recent(self, tasks: Iterable[int] | None, limit: int = 20) -> list[InterimRequest]:
        """The latest requests, newest first; only of ``tasks`` unless None."""
        query = select(InterimRequestRow).order_by(InterimRequestRow.id.desc()).limit(limit)
        if tasks is not None:
            query = query.where(InterimRequestRow.task_number.in_(sorted(set(tasks))))
        return [record(InterimRequest, r) for r in await self._session.scalars(query)]

    async def answered(self, request_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        """Per request, the agencies that answered and the report each made."""
        ids = sorted(set(request_ids))
        rows = await self._session.execute(
            select(
                InterimAnswerRow.request_id,
                InterimAnswerRow.agency,
                InterimAnswerRow.status_update_id,
            ).where(InterimAnswerRow.request_id.in_(ids))
        )
        found: dict[int, dict[str, int]] = {}
        for request_id, agency, status_id in rows:
            found.setdefault(request_id, {})[agency] = status_id
        return found


@dataclass(frozen=True, slots=True)
class Snooze:
    chat_id: int
    control_point: str
    agency: str
    until: dt.date


class SnoozesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, snooze: Snooze, *, by: int, now: dt.datetime) -> None:
        self._session.add(SnoozeRow(**dataclasses.asdict(snooze), by=by, at=now))
        await self._session.flush()

    async def active(self, day: dt.date) -> list[Snooze]:
        """The snoozes that still hold on ``day``: their ``until`` is not earlier."""
        rows = await self._session.scalars(select(SnoozeRow).where(SnoozeRow.until >= day))
        return [Snooze(r.chat_id, r.control_point, r.agency, r.until) for r in rows]
