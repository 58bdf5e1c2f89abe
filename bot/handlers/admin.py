"""Administrators' commands: invitations, members, the audit log, plan changes, broadcasts."""

from __future__ import annotations

import datetime as dt

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.handlers.common import (
    TELEGRAM_ID_MAX,
    command_args,
    echo,
    greet,
    keyboard,
    number_arg,
)
from bot.i18n.catalog import Translator
from bot.render import admin as render
from bot.render import table_problems
from bot.render.common import agency_label, long_date
from bot.services import Services
from scheduler.usecases import administration, broadcasts, calendar_days, plan_changes
from scheduler.usecases.administration import NotAdmin
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
        await message.reply_text(tr("invite.bad_role", role=echo(role), roles=", ".join(ROLES)))
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


def _rest(message_text: str, words: int) -> str:
    """The text after the command and its first ``words`` arguments, kept as typed."""
    parts = message_text.split(maxsplit=words + 1)
    return parts[words + 1] if len(parts) > words + 1 else ""


async def admin_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    result = await administration.admin_menu(
        svc.db, svc.clock, actor=user.id, configured=svc.settings.admin_ids, chat_id=message.chat.id
    )
    await message.reply_text(
        tr("admin.refused") if isinstance(result, NotAdmin) else tr("admin.menu")
    )


async def audit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    asked = number_arg(args[0]) if args else None
    limit = min(asked, 50) if asked is not None else 20
    result = await administration.audit_log(
        svc.db, svc.clock, actor=user.id, configured=svc.settings.admin_ids, limit=limit
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
        return
    await message.reply_text(render.audit(result, tr, svc.settings.tz))


async def members(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    agency = args[0].upper() if args else ""
    if agency not in svc.plan.agency_codes():
        await message.reply_text(
            tr("admin.agency_usage", agencies=", ".join(svc.plan.agency_codes()))
        )
        return
    result = await administration.agency_members(
        svc.db, svc.clock, actor=user.id, configured=svc.settings.admin_ids, agency=agency
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
        return
    await message.reply_text(render.members(agency, result, tr))


async def remove_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    member = number_arg(args[1], limit=TELEGRAM_ID_MAX, signed=True) if len(args) == 2 else None
    if member is None:
        await message.reply_text(tr("admin.remove_usage"))
        return
    result = await administration.remove_member(
        svc.db,
        svc.clock,
        actor=user.id,
        configured=svc.settings.admin_ids,
        agency=args[0].upper(),
        user_id=member,
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
    else:
        await message.reply_text(tr("admin.removed" if result else "admin.not_a_member"))


async def promote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _promotion(update, context, make_admin=True)


async def demote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _promotion(update, context, make_admin=False)


async def _promotion(
    update: Update, context: ContextTypes.DEFAULT_TYPE, *, make_admin: bool
) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    target = number_arg(args[0], limit=TELEGRAM_ID_MAX) if len(args) == 1 else None
    if target is None:
        await message.reply_text(tr("admin.promote_usage"))
        return
    result = await administration.promote(
        svc.db,
        svc.clock,
        actor=user.id,
        configured=svc.settings.admin_ids,
        target=target,
        make_admin=make_admin,
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
    else:
        key = "admin.promoted" if make_admin else "admin.demoted"
        await message.reply_text(tr(key if result else "admin.unchanged", user=args[0]))


async def revoke(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    invite_id = number_arg(args[0]) if len(args) == 1 else None
    if invite_id is None:
        await message.reply_text(tr("admin.revoke_usage"))
        return
    result = await administration.revoke_invite(
        svc.db, svc.clock, actor=user.id, configured=svc.settings.admin_ids, invite_id=invite_id
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
    else:
        await message.reply_text(tr("admin.revoked" if result else "admin.revoke_unknown"))


async def _edit(update: Update, context: ContextTypes.DEFAULT_TYPE, field: str) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    value = _rest(message.text or "", 1)
    task = number_arg(args[0]) if args else None
    if task is None or not value.strip():
        await message.reply_text(tr(f"edit.usage.{field}"))
        return
    result = await plan_changes.edit_task(
        svc.db,
        svc.clock,
        svc.plans,
        actor=user.id,
        configured=svc.settings.admin_ids,
        field=field,
        task=task,
        value=value,
    )
    await _after_change(message, svc, tr, result)


async def set_deadline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _edit(update, context, "deadline")


async def set_reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _edit(update, context, "reports")


async def set_agencies(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _edit(update, context, "agencies")


async def upload_plan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A plan file (.json) or a plan table (.xlsx, .csv, .docx) in a private chat."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    svc, tr = await greet(update, context)
    document = message.document

    async def fetch() -> bytes:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())

    result = await plan_changes.upload_plan(
        svc.db,
        svc.clock,
        svc.plans,
        actor=user.id,
        configured=svc.settings.admin_ids,
        fetch=fetch,
        name=document.file_name or "plan.json",
        size=document.file_size or 0,
    )
    await _after_change(message, svc, tr, result)


async def _after_change(message: Message, svc: Services, tr: Translator, result: object) -> None:
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
    elif isinstance(result, plan_changes.Rejected) and result.coded:
        await message.reply_text(table_problems.rejected_table(result.coded, tr))
    elif isinstance(result, plan_changes.Rejected):
        await message.reply_text(render.rejected(result.problems, tr))
    elif isinstance(result, plan_changes.PlanChanged):
        svc.delivery.wake()
        await message.reply_text(render.changed(result, tr))


async def acknowledgements(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    result = await plan_changes.change_acknowledgements(
        svc.db, svc.clock, actor=user.id, configured=svc.settings.admin_ids
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
        return
    await message.reply_text(render.acknowledgements(result, tr, svc.settings.tz))


async def acknowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None or query.message is None:
        return
    svc, tr = await greet(update, context)
    version = number_arg(query.data.partition(":")[2])
    if version is None:
        await query.answer(tr.plain("error.stale_button"), show_alert=True)
        return
    fresh = await plan_changes.acknowledge_change(
        svc.db, svc.clock, version=version, chat_id=query.message.chat.id, user_id=user.id
    )
    await query.answer(tr.plain("change.acknowledged" if fresh else "change.already_acknowledged"))


async def broadcast(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    text = message.text or ""
    if not args:
        await message.reply_text(tr("broadcast.usage"))
        return
    if args[0].lower() == "all":
        audience, target, body = "all", "", _rest(text, 1)
    elif args[0].lower() == "task" and len(args) > 1:
        audience, target, body = "task", args[1], _rest(text, 2)
    else:
        audience, target, body = "agency", args[0].upper(), _rest(text, 1)
    result = await broadcasts.draft_broadcast(
        svc.db,
        svc.clock,
        svc.runtime,
        actor=user.id,
        configured=svc.settings.admin_ids,
        chat_id=message.chat.id,
        audience=audience,
        target=target,
        text=body,
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
    elif isinstance(result, broadcasts.BroadcastProblem):
        await message.reply_text(tr(f"broadcast.{result}"))
    else:
        preview = render.broadcast_preview(result, body, tr)
        await message.reply_text(preview.text, reply_markup=keyboard(preview.buttons))


async def broadcast_decision(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    svc, tr = await greet(update, context)
    _, decision, number = query.data.split(":")
    draft = number_arg(number)
    if draft is None:
        await query.answer(tr.plain("error.stale_button"), show_alert=True)
        return
    result = await broadcasts.confirm_broadcast(
        svc.db,
        svc.clock,
        svc.runtime,
        actor=user.id,
        configured=svc.settings.admin_ids,
        broadcast_id=draft,
        send=decision == "go",
    )
    if isinstance(result, NotAdmin):
        await query.answer(tr.plain("admin.refused"), show_alert=True)
        return
    if isinstance(result, broadcasts.BroadcastProblem):
        await query.answer(tr.plain(f"broadcast.{result}"), show_alert=True)
        return
    await query.answer()
    svc.delivery.wake()
    key = "broadcast.queued" if decision == "go" else "broadcast.cancelled"
    await query.edit_message_text(tr(key, copies=result))


async def _calendar_day(
    update: Update, context: ContextTypes.DEFAULT_TYPE, working: bool | None
) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    try:
        day = dt.date.fromisoformat(args[0]) if args and len(args[0]) == 10 else None
    except ValueError:
        day = None
    if day is None:
        await message.reply_text(tr("calendar.usage"))
        return
    result = await calendar_days.set_calendar_day(
        svc.db,
        svc.clock,
        svc.plans,
        svc.factory,
        actor=user.id,
        configured=svc.settings.admin_ids,
        day=day,
        working=working,
        note=_rest(message.text or "", 1),
    )
    if isinstance(result, NotAdmin):
        await message.reply_text(tr("admin.refused"))
        return
    state = "official" if result.after is None else ("working" if result.after else "off")
    await message.reply_text(
        tr(
            f"calendar.changed.{state}",
            day=long_date(result.day, tr.language),
            moved=result.moved_points,
        )
    )


async def working_day(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _calendar_day(update, context, True)


async def day_off(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _calendar_day(update, context, False)


async def official_day(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _calendar_day(update, context, None)
