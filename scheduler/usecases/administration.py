"""Administrators and what only they may do: promote others, read the audit log, manage members.

An administrator is a user named in ADMIN_IDS or promoted by another administrator.
Every administrative action is written to the audit log; so is every refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.clock import Clock
from scheduler.storage.audit_repo import AuditEntry
from scheduler.storage.members_repo import Member
from scheduler.storage.unit_of_work import Database, UnitOfWork


@dataclass(frozen=True)
class NotAdmin:
    """The user is not an administrator; the attempt was recorded."""

    action: str


async def check_admin(
    uow: UnitOfWork,
    *,
    actor: int,
    configured: tuple[int, ...],
    action: str,
    now: dt.datetime,
    chat_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> bool:
    """Whether ``actor`` administers the bot; a refusal is recorded in the same transaction."""
    if actor in configured or await uow.admins.is_promoted(actor):
        return True
    await uow.audit.record(
        at=now, user_id=actor, chat_id=chat_id, action=action, allowed=False, detail=detail
    )
    return False


async def is_admin(db: Database, user_id: int, configured: tuple[int, ...]) -> bool:
    if user_id in configured:
        return True
    async with db.unit_of_work() as uow:
        return await uow.admins.is_promoted(user_id)


async def all_admins(db: Database, configured: tuple[int, ...]) -> tuple[int, ...]:
    async with db.unit_of_work() as uow:
        promoted = await uow.admins.promoted()
    return tuple(dict.fromkeys([*configured, *promoted]))


async def admin_only(
    db: Database,
    clock: Clock,
    *,
    actor: int,
    configured: tuple[int, ...],
    action: str,
    chat_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> NotAdmin | None:
    """A transaction of its own that refuses (and records) a non-administrator, or None."""
    async with db.unit_of_work() as uow:
        ok = await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action=action,
            now=clock.now(),
            chat_id=chat_id,
            detail=detail,
        )
    return None if ok else NotAdmin(action)


async def admin_menu(
    db: Database, clock: Clock, *, actor: int, configured: tuple[int, ...], chat_id: int
) -> bool | NotAdmin:
    refused = await admin_only(
        db, clock, actor=actor, configured=configured, action="admin.menu", chat_id=chat_id
    )
    return refused or True


async def promote(
    db: Database,
    clock: Clock,
    *,
    actor: int,
    configured: tuple[int, ...],
    target: int,
    make_admin: bool,
) -> bool | NotAdmin:
    """Make ``target`` an administrator, or take that away; False when nothing changed."""
    action = "admin.promote" if make_admin else "admin.demote"
    now = clock.now()
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action=action,
            now=now,
            detail={"target": target},
        ):
            return NotAdmin(action)
        before = target in configured or await uow.admins.is_promoted(target)
        if make_admin:
            await uow.admins.promote(target, actor, now)
            changed = not before
        else:
            changed = await uow.admins.demote(target)
        await uow.audit.record(
            at=now,
            user_id=actor,
            chat_id=None,
            action=action,
            allowed=True,
            detail={
                "target": target,
                "before": before,
                "after": make_admin or target in configured,
            },
        )
        return changed


async def audit_log(
    db: Database, clock: Clock, *, actor: int, configured: tuple[int, ...], limit: int = 20
) -> list[AuditEntry] | NotAdmin:
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow, actor=actor, configured=configured, action="audit.read", now=clock.now()
        ):
            return NotAdmin("audit.read")
        return await uow.audit.recent(limit)


async def agency_members(
    db: Database, clock: Clock, *, actor: int, configured: tuple[int, ...], agency: str
) -> list[Member] | NotAdmin:
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action="members.read",
            now=clock.now(),
            detail={"agency": agency},
        ):
            return NotAdmin("members.read")
        return await uow.members.of_agency(agency)


async def remove_member(
    db: Database,
    clock: Clock,
    *,
    actor: int,
    configured: tuple[int, ...],
    agency: str,
    user_id: int,
) -> bool | NotAdmin:
    now = clock.now()
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action="members.remove",
            now=now,
            detail={"agency": agency, "user": user_id},
        ):
            return NotAdmin("members.remove")
        removed = await uow.members.remove(user_id, agency)
        await uow.audit.record(
            at=now,
            user_id=actor,
            chat_id=None,
            action="members.remove",
            allowed=True,
            detail={"agency": agency, "user": user_id, "before": removed, "after": False},
        )
        return removed


async def revoke_invite(
    db: Database, clock: Clock, *, actor: int, configured: tuple[int, ...], invite_id: int
) -> bool | NotAdmin:
    now = clock.now()
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action="invite.revoke",
            now=now,
            detail={"invite": invite_id},
        ):
            return NotAdmin("invite.revoke")
        revoked = await uow.members.revoke_invite(invite_id, now)
        await uow.audit.record(
            at=now,
            user_id=actor,
            chat_id=None,
            action="invite.revoke",
            allowed=True,
            detail={"invite": invite_id, "revoked": revoked},
        )
        return revoked
