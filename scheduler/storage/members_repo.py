"""Repository of agency memberships and the invitations that grant them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.chat_range import EVERY_CHAT, ChatRange
from scheduler.storage.records import record
from scheduler.storage.tables import InviteRow, MembershipRow, UserRow, table_of
from scheduler.storage.writes import changed_rows, upsert


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    agency: str
    role: str
    name: str | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class Invite:
    id: int
    agency: str
    role: str
    created_by: int
    expires_at: dt.datetime
    max_uses: int
    uses: int
    revoked_at: dt.datetime | None


# Read on every status report: built once, so that each read only binds the user's id, and
# on the table's plain columns, which spares the ORM's handling of each execution.
_MEMBERSHIPS = table_of(MembershipRow).c
_OF_USER = (
    select(_MEMBERSHIPS.user_id, _MEMBERSHIPS.agency, _MEMBERSHIPS.role)
    .where(_MEMBERSHIPS.user_id == bindparam("user"), _MEMBERSHIPS.active.is_(True))
    .order_by(_MEMBERSHIPS.id)
)
_AGENCIES_OF_USERS = select(_MEMBERSHIPS.user_id, _MEMBERSHIPS.agency).where(
    _MEMBERSHIPS.user_id.in_(bindparam("users", expanding=True)), _MEMBERSHIPS.active.is_(True)
)


class MembersRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, user_id: int, agency: str, role: str, now: dt.datetime, by: int | None
    ) -> None:
        await upsert(
            self._session,
            MembershipRow,
            {
                "user_id": user_id,
                "agency": agency,
                "role": role,
                "active": True,
                "created_at": now,
                "created_by": by,
            },
            key=["user_id", "agency"],
            keep=["created_at", "created_by"],
        )

    async def remove(self, user_id: int, agency: str) -> bool:
        changed = await changed_rows(
            self._session,
            update(MembershipRow)
            .where(
                MembershipRow.user_id == user_id,
                MembershipRow.agency == agency,
                MembershipRow.active.is_(True),
            )
            .values(active=False),
        )
        return bool(changed)

    async def of_user(self, user_id: int) -> list[Member]:
        rows = await self._session.execute(_OF_USER, {"user": user_id})
        return [Member(*row) for row in rows]

    async def agencies_of(self, user_ids: Iterable[int]) -> dict[int, frozenset[str]]:
        """The agencies each of ``user_ids`` is an active member of (none: not in the answer)."""
        ids = sorted(set(user_ids))
        found: dict[int, set[str]] = {}
        for start in range(0, len(ids), 500):
            rows = await self._session.execute(
                _AGENCIES_OF_USERS, {"users": ids[start : start + 500]}
            )
            for user_id, agency in rows:
                found.setdefault(user_id, set()).add(agency)
        return {user_id: frozenset(codes) for user_id, codes in found.items()}

    async def with_role(
        self, agencies: Iterable[str], role: str, *, users: ChatRange = EVERY_CHAT
    ) -> list[Member]:
        """The active members of any of ``agencies`` who hold ``role``, of ``users`` (whose
        private chats have the users' ids)."""
        codes = sorted(set(agencies))
        if not codes:
            return []
        rows = await self._session.execute(
            select(MembershipRow.user_id, MembershipRow.agency, MembershipRow.role).where(
                MembershipRow.agency.in_(codes),
                MembershipRow.role == role,
                MembershipRow.active.is_(True),
                users.where(MembershipRow.user_id),
            )
        )
        return [Member(*row) for row in rows]

    async def of_agency(self, agency: str) -> list[Member]:
        rows = await self._session.execute(
            select(
                MembershipRow.user_id,
                MembershipRow.agency,
                MembershipRow.role,
                UserRow.first_name,
                UserRow.username,
            )
            .join(UserRow, UserRow.id == MembershipRow.user_id, isouter=True)
            .where(MembershipRow.agency == agency, MembershipRow.active.is_(True))
            .order_by(MembershipRow.role, MembershipRow.id)
        )
        return [Member(*row) for row in rows]

    async def add_invite(
        self,
        token_hash: str,
        agency: str,
        role: str,
        by: int,
        now: dt.datetime,
        expires_at: dt.datetime,
        max_uses: int,
    ) -> int:
        row = InviteRow(
            token_hash=token_hash,
            agency=agency,
            role=role,
            created_by=by,
            created_at=now,
            expires_at=expires_at,
            max_uses=max_uses,
            uses=0,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def find_invite(self, token_hash: str) -> Invite | None:
        row = await self._session.scalar(
            select(InviteRow).where(InviteRow.token_hash == token_hash).with_for_update()
        )
        return None if row is None else _invite(row)

    async def use_invite(self, invite_id: int) -> bool:
        """Count one use, unless another use took the last one first."""
        changed = await changed_rows(
            self._session,
            update(InviteRow)
            .where(InviteRow.id == invite_id, InviteRow.uses < InviteRow.max_uses)
            .values(uses=InviteRow.uses + 1),
        )
        return bool(changed)

    async def revoke_invite(self, invite_id: int, now: dt.datetime) -> bool:
        changed = await changed_rows(
            self._session,
            update(InviteRow)
            .where(InviteRow.id == invite_id, InviteRow.revoked_at.is_(None))
            .values(revoked_at=now),
        )
        return bool(changed)

    async def invites(self, *, active_at: dt.datetime | None = None) -> list[Invite]:
        query = select(InviteRow).order_by(InviteRow.id)
        if active_at is not None:
            query = query.where(
                InviteRow.revoked_at.is_(None),
                InviteRow.expires_at > active_at,
                InviteRow.uses < InviteRow.max_uses,
            )
        return [_invite(r) for r in await self._session.scalars(query)]


def _invite(row: InviteRow) -> Invite:
    return record(Invite, row)
