"""Invitations: an administrator's deep link that makes a user a member of one agency.

A coordinator or an officer joins a responsible agency; a controller joins a controlling
department, one that some task's "control" column names.

Tokens carry 192 random bits and are stored only as a SHA-256 hash, so a copy of the
database does not let anyone join. By default a token works once and for 7 days.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.refusals import Refusal, Why
from scheduler.usecases.core import Answer, Core, resolve_agency
from scheduler.vocabulary.roles import Role

ROLES = tuple(Role)
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


async def create_invite(
    core: Core,
    caller: Caller,
    *,
    agency: str,
    role: str,
    ttl: dt.timedelta = DEFAULT_TTL,
    max_uses: int = 1,
) -> Answer[NewInvite | Refusal]:
    """An invitation for the agency ``agency`` names; refused (and recorded) unless an
    administrator asks."""
    plan = core.runtime.plan
    departments = plan.control_departments()
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin(
            "invite.create", {"agency": agency, "role": role}
        ):
            return visit.answer(refused)
        code = resolve_agency(core.runtime, agency)
        if isinstance(code, Refusal):
            return visit.answer(code)
        agency, detail = code, {"agency": code, "role": role}
        if role not in ROLES:
            return visit.answer(Refusal.of(Why.UNKNOWN_ROLE, role=role, roles=", ".join(ROLES)))
        if role == Role.CONTROLLER and agency not in departments:
            return visit.answer(
                Refusal.of(Why.NOT_A_CONTROLLING_DEPARTMENT, code=agency, known=departments)
            )
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now, admin = visit.now, caller.user_id or 0
        invite_id = await visit.uow.members.add_invite(
            hash_token(token), agency, role, admin, now, now + ttl, max_uses
        )
        await visit.record("invite.create", {"invite": invite_id, **detail, "max_uses": max_uses})
        return visit.answer(NewInvite(token, invite_id, agency, role, now + ttl))


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


async def redeem_invite(core: Core, caller: Caller, *, token: str) -> Answer[JoinResult]:
    """Make the caller a member by the invite; a bad token is refused and recorded."""
    async with core.visit(caller) as visit:
        uow, now = visit.uow, visit.now
        user = caller.user
        invite = await uow.members.find_invite(hash_token(token)) if user else None
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
        if problem is not None or invite is None or user is None:
            await visit.record("invite.redeem", detail, allowed=False)
            return visit.answer(JoinResult(problem=problem or JoinProblem.UNKNOWN))
        await uow.members.add(user.id, invite.agency, invite.role, now, invite.created_by)
        await visit.record(
            "invite.redeem", {**detail, "agency": invite.agency, "role": invite.role}
        )
        return visit.answer(JoinResult(agency=invite.agency, role=invite.role))
