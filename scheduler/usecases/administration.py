"""Administrators and what only they may do: promote others, read the audit log, manage members.

An administrator is a user named in ADMIN_IDS or promoted by another administrator.
Every administrative action is written to the audit log; so is every refusal
(``Visit.refuse_unless_admin``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.refusals import Refusal
from scheduler.storage.audit_repo import AuditEntry
from scheduler.storage.members_repo import Member
from scheduler.usecases.core import Answer, Core, Visit, resolve_agency


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


@dataclass(frozen=True)
class AuditPage:
    """Entries of the audit log, newest first, with the names of the people in them.

    ``older`` and ``newer`` are where the neighbouring pages end (``newer`` None: the newest
    page; ``has_newer`` says whether there is one at all).
    """

    entries: tuple[AuditEntry, ...]
    names: Mapping[int, str]
    older: int | None = None
    newer: int | None = None
    has_newer: bool = False


async def _names(visit: Visit, entries: Sequence[AuditEntry]) -> dict[int, str]:
    return await visit.uow.contacts.names(e.user_id for e in entries if e.user_id is not None)


async def audit_log(
    core: Core, caller: Caller, *, limit: int = 10, upto: int | None = None
) -> Answer[AuditPage | Refusal]:
    """A page of the audit log: ``limit`` entries numbered ``upto`` or less (None: the newest)."""
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin("audit.read"):
            return visit.answer(refused)
        audit = visit.uow.audit
        entries = await audit.recent(limit, upto=upto)
        if not entries:
            return visit.answer(AuditPage((), {}))
        older = entries[-1].id - 1 if await audit.recent(1, upto=entries[-1].id - 1) else None
        newest = await audit.recent(1)
        has_newer = newest[0].id > entries[0].id
        newer = await audit.newer_start(entries[0].id, limit) if has_newer else None
        page = AuditPage(tuple(entries), await _names(visit, entries), older, newer, has_newer)
        return visit.answer(page)


async def audit_export(core: Core, caller: Caller) -> Answer[AuditPage | Refusal]:
    """The whole audit log, oldest first, for a file; taking it is itself recorded."""
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin("audit.export"):
            return visit.answer(refused)
        entries = await visit.uow.audit.everything()
        await visit.record("audit.export", {"entries": len(entries)})
        return visit.answer(AuditPage(tuple(entries), await _names(visit, entries)))


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
