"""Members and rights: invitations, agency members, promoted administrators."""

from __future__ import annotations

from bot.features.members import render
from bot.features.requests import Command, command
from bot.features.telegram_io import TELEGRAM_ID_MAX, number_arg
from bot.wording import agency_codes
from scheduler.usecases import administration
from scheduler.usecases.invites import ROLES, create_invite


@command
async def invite(request: Command) -> None:
    args, svc = request.args, request.svc
    if not args:
        tr = await request.translator()
        agencies = agency_codes(svc.plan, svc.plan.agency_codes(), tr.language)
        departments = agency_codes(svc.plan, svc.plan.control_departments(), tr.language)
        await request.send(
            tr(
                "invite.usage",
                agencies=agencies,
                departments=departments or "—",
                roles=", ".join(ROLES),
            )
        )
        return
    role = args[1].lower() if len(args) > 1 else "officer"
    answer = await create_invite(svc.core, request.caller, agency=args[0], role=role)
    link = f"https://t.me/{request.context.bot.username}?start="
    await request.reply(
        answer, lambda created, tr: render.invite(created, link, svc.plan, tr, svc.settings.tz)
    )


@command
async def admin_menu(request: Command) -> None:
    answer = await administration.admin_menu(request.core, request.caller)
    await request.reply(answer, lambda _, tr: tr("admin.menu"))


@command
async def members(request: Command) -> None:
    plan = request.svc.plan
    if not request.args:
        tr = await request.translator()
        agencies = agency_codes(plan, plan.agency_codes(), tr.language)
        await request.send(tr("admin.agency_usage", agencies=agencies))
        return
    answer = await administration.agency_members(
        request.core, request.caller, agency=" ".join(request.args)
    )
    await request.reply(answer, lambda found, tr: render.members(found, plan, tr))


@command
async def remove_member(request: Command) -> None:
    args = request.args
    member = number_arg(args[1], limit=TELEGRAM_ID_MAX, signed=True) if len(args) == 2 else None
    if member is None:
        await request.say("admin.remove_usage")
        return
    answer = await administration.remove_member(
        request.core, request.caller, agency=args[0], user_id=member
    )
    await request.reply(
        answer, lambda removed, tr: tr("admin.removed" if removed else "admin.not_a_member")
    )


@command
async def promote(request: Command) -> None:
    await _promotion(request, make_admin=True)


@command
async def demote(request: Command) -> None:
    await _promotion(request, make_admin=False)


async def _promotion(request: Command, *, make_admin: bool) -> None:
    args = request.args
    target = number_arg(args[0], limit=TELEGRAM_ID_MAX) if len(args) == 1 else None
    if target is None:
        await request.say("admin.promote_usage")
        return
    answer = await administration.promote(
        request.core, request.caller, target=target, make_admin=make_admin
    )
    done = "admin.promoted" if make_admin else "admin.demoted"
    await request.reply(
        answer, lambda changed, tr: tr(done if changed else "admin.unchanged", user=args[0])
    )


@command
async def revoke(request: Command) -> None:
    args = request.args
    invite_id = number_arg(args[0]) if len(args) == 1 else None
    if invite_id is None:
        await request.say("admin.revoke_usage")
        return
    answer = await administration.revoke_invite(request.core, request.caller, invite_id=invite_id)
    await request.reply(
        answer, lambda revoked, tr: tr("admin.revoked" if revoked else "admin.revoke_unknown")
    )
