"""Administrators' commands: invitations to join an agency."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.common import command_args, greet
from bot.render.common import agency_label, long_date
from scheduler.usecases.invites import ROLES, InviteRefusal, create_invite


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    agency = args[0].upper() if args else ""
    role = args[1].lower() if len(args) > 1 else "officer"
    result = await create_invite(
        svc.db,
        svc.clock,
        admin_id=user.id,
        admins=svc.settings.admin_ids,
        agencies=svc.plan.agency_codes(),
        agency=agency,
        role=role,
    )
    if result is InviteRefusal.NOT_ADMIN:
        await message.reply_text(tr("admin.refused"))
    elif result is InviteRefusal.UNKNOWN_AGENCY:
        await message.reply_text(
            tr("invite.usage", agencies=", ".join(svc.plan.agency_codes()), roles=", ".join(ROLES))
        )
    elif result is InviteRefusal.UNKNOWN_ROLE:
        await message.reply_text(tr("invite.bad_role", role=role, roles=", ".join(ROLES)))
    elif not isinstance(result, InviteRefusal):
        link = f"https://t.me/{context.bot.username}?start={result.token}"
        await message.reply_text(
            tr(
                "invite.created",
                agency=agency_label(svc.plan, result.agency, tr.language),
                role=tr(f"role.{result.role}"),
                link=link,
                expires=long_date(
                    result.expires_at.astimezone(svc.settings.tz).date(), tr.language
                ),
            )
        )
