"""Administrators and what only they may do: promote others, read the audit log, manage members.

An administrator is a user named in ADMIN_IDS or promoted by another administrator.
Every administrative action is written to the audit log; so is every refusal
(``Visit.refuse_unless_admin``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.refusals import Refusal
from scheduler.storage.audit_repo import AuditEntry
from scheduler.storage.members_repo import Member
from scheduler.usecases.core import Answer, Core, resolve_agency


async def all_admins(core: Core) -> tuple[int, ...]:
    """Everyone who administers the bot: those in the settings, then the promoted."""
    async with core.db.unit_of_work() as uow:
        promoted = await uow.admins.promoted()
    return tuple(dict.fromkeys([*core.admins, *promoted]))


async def is_admin(core: Core, caller: Caller) -> Answer[bool]:
    """Whether the caller administers the bot (nothing is recorded either way)."""
    async with core.visit(caller) as visit:
        return visit.answer(await visit.caller_is_admin())


async def admin_menu(core: Core, caller: Caller) -> Answer[Refusal | None]:
    async with core.visit(caller) as visit:
        return visit.answer(await visit.refuse_unless_admin("admin.menu"))


async def promote(
    core: Core, caller: Caller, *, target: int, make_admin: bool
) -> Answer[bool | Refusal]:
    """Make ``target`` an administrator, or take that away; False when nothing changed."""
    action = "admin.promote" if make_admin else "admin.demote"
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin(action, {"target": target}):
            return visit.answer(refused)
        uow = visit.uow
        before = await core.is_admin(uow, target)
        if make_admin:
            await uow.admins.promote(target, caller.user_id or 0, visit.now)
            changed = not before
        else:
            changed = await uow.admins.demote(target)
        after = make_admin or target in core.admins
        await visit.record(action, {"target": target, "before": before, "after": after})
        return visit.answer(changed)


async def audit_log(
    core: Core, caller: Caller, *, limit: int = 20
) -> Answer[list[AuditEntry] | Refusal]:
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin("audit.read"):
            return visit.answer(refused)
        return visit.answer(await visit.uow.audit.recent(limit))


@dataclass(frozen=True)
class AgencyMembers:
    """The members of ``agency`` (the plan's code of the agency asked for)."""

    agency: str
    members: tuple[Member, ...]


async def agency_members(
    core: Core, caller: Caller, *, agency: str
) -> Answer[AgencyMembers | Refusal]:
    """The members of the agency ``agency`` names, as the administrator typed it."""
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin("members.read", {"agency": agency}):
            return visit.answer(refused)
        code = resolve_agency(core.runtime, agency)
        if isinstance(code, Refusal):
            return visit.answer(code)
        return visit.answer(AgencyMembers(code, tuple(await visit.uow.members.of_agency(code))))


async def remove_member(
    core: Core, caller: Caller, *, agency: str, user_id: int
) -> Answer[bool | Refusal]:
    """End ``user_id``'s membership of the agency ``agency`` names; False when there was none."""
    async with core.visit(caller) as visit:
        typed = {"agency": agency, "user": user_id}
        if refused := await visit.refuse_unless_admin("members.remove", typed):
            return visit.answer(refused)
        code = resolve_agency(core.runtime, agency)
        if isinstance(code, Refusal):
            return visit.answer(code)
        detail = {"agency": code, "user": user_id}
        removed = await visit.uow.members.remove(user_id, code)
        await visit.record("members.remove", {**detail, "before": removed, "after": False})
        return visit.answer(removed)


async def revoke_invite(core: Core, caller: Caller, *, invite_id: int) -> Answer[bool | Refusal]:
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin("invite.revoke", {"invite": invite_id}):
            return visit.answer(refused)
        revoked = await visit.uow.members.revoke_invite(invite_id, visit.now)
        await visit.record("invite.revoke", {"invite": invite_id, "revoked": revoked})
        return visit.answer(revoked)
