"""Invitations: an administrator's deep link that makes a user a member of one agency.

Tokens carry 192 random bits and are stored only as a SHA-256 hash, so a copy of the
database does not let anyone join. By default a token works once and for 7 days.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.contacts import UserInfo
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.administration import check_admin

ROLES = ("coordinator", "officer")
TOKEN_BYTES = 24
DEFAULT_TTL = dt.timedelta(days=7)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Deep-link payloads are 1–64 characters of A–Z, a–z, 0–9, _ and -."""
    return 16 <= len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "_-") for c in text)


@dataclass(frozen=True)
class NewInvite:
    token: str
    invite_id: int
    agency: str
    role: str
    expires_at: dt.datetime


class InviteRefusal(enum.StrEnum):
    NOT_ADMIN = "not_admin"
    UNKNOWN_AGENCY = "unknown_agency"
    UNKNOWN_ROLE = "unknown_role"


async def create_invite(
    db: Database,
    clock: Clock,
    *,
    admin_id: int,
    admins: tuple[int, ...],
    agencies: list[str],
    agency: str,
    role: str,
    ttl: dt.timedelta = DEFAULT_TTL,
    max_uses: int = 1,
) -> NewInvite | InviteRefusal:
    """An invitation for ``agency``; refused (and recorded) unless an administrator asks."""
    now = clock.now()
    refusal = None
    if agency not in agencies:
        refusal = InviteRefusal.UNKNOWN_AGENCY
    elif role not in ROLES:
        refusal = InviteRefusal.UNKNOWN_ROLE
    async with db.unit_of_work() as uow:
        detail = {"agency": agency, "role": role}
        if not await check_admin(
            uow, actor=admin_id, configured=admins, action="invite.create", now=now, detail=detail
        ):
            return InviteRefusal.NOT_ADMIN
        if refusal is not None:
            return refusal
        token = secrets.token_urlsafe(TOKEN_BYTES)
        invite_id = await uow.members.add_invite(
            hash_token(token), agency, role, admin_id, now, now + ttl, max_uses
        )
        await uow.audit.record(
            at=now,
            user_id=admin_id,
            chat_id=None,
            action="invite.create",
            allowed=True,
            detail={"invite": invite_id, "agency": agency, "role": role, "max_uses": max_uses},
        )
        return NewInvite(token, invite_id, agency, role, now + ttl)


class JoinProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


@dataclass(frozen=True)
class JoinResult:
    agency: str | None = None
    role: str | None = None
    problem: JoinProblem | None = None

    @property
    def joined(self) -> bool:
        return self.problem is None


async def redeem_invite(db: Database, clock: Clock, *, token: str, user: UserInfo) -> JoinResult:
    """Make the user a member by the invite; a bad token is refused and recorded."""
    now = clock.now()
    async with db.unit_of_work() as uow:
        await uow.contacts.save_user(user, now)
        invite = await uow.members.find_invite(hash_token(token))
        problem: JoinProblem | None = None
        if invite is None:
            problem = JoinProblem.UNKNOWN
        elif invite.revoked_at is not None:
            problem = JoinProblem.REVOKED
        elif invite.expires_at <= now:
            problem = JoinProblem.EXPIRED
        elif invite.uses >= invite.max_uses or not await uow.members.use_invite(invite.id):
            problem = JoinProblem.USED
        detail = {"invite": invite.id if invite else None, "problem": problem}
        if problem is not None or invite is None:
            await uow.audit.record(
                at=now,
                user_id=user.id,
                chat_id=None,
                action="invite.redeem",
                allowed=False,
                detail=detail,
            )
            return JoinResult(problem=problem or JoinProblem.UNKNOWN)
        await uow.members.add(user.id, invite.agency, invite.role, now, invite.created_by)
        await uow.audit.record(
            at=now,
            user_id=user.id,
            chat_id=None,
            action="invite.redeem",
            allowed=True,
            detail={**detail, "agency": invite.agency, "role": invite.role},
        )
        return JoinResult(agency=invite.agency, role=invite.role)
