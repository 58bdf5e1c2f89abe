"""/audit: the audit log a page at a time, with buttons to older and newer pages;
/audit csv sends the whole log as a file."""

from __future__ import annotations

import asyncio

from bot.export.audit_csv import audit_csv
from bot.features.audit import callbacks, render
from bot.features.requests import Command, Press, button, command
from bot.features.telegram_io import edit_or_keep, keyboard, number_arg
from scheduler.refusals import Refusal
from scheduler.usecases import administration

PAGE_SIZE = 10
MAX_PAGE_SIZE = 25


@command
async def audit(request: Command) -> None:
    """/audit [N] shows the newest entries, N (at most 25) a page; /audit csv sends a file."""
    svc, args = request.svc, request.args
    if args and args[0].lower() == "csv":
        await _export(request)
        return
    asked = number_arg(args[0]) if args else None
    limit = min(asked, MAX_PAGE_SIZE) if asked else PAGE_SIZE
    answer = await administration.audit_log(request.core, request.caller, limit=limit)
    tz = svc.settings.tz
    await request.reply(answer, lambda page, tr: render.audit_page(page, svc.plan, tr, tz))


async def _export(request: Command) -> None:
    svc, chat = request.svc, request.update.effective_chat
    answer = await administration.audit_export(request.core, request.caller)
    tr, page = request.tr(answer), answer.result
    if isinstance(page, Refusal):
        await request.send(request.refusal_text(tr, page))
        return
    if chat is None:
        return
    content = await asyncio.to_thread(audit_csv, page, svc.plan, tr, svc.settings.tz)
    today = svc.runtime.today(svc.clock.now()).isoformat()
    await request.context.bot.send_document(
        chat.id,
        document=content,
        filename=f"eskertu-audit-{today}-{tr.language}.csv",
        caption=tr("audit.file_caption", count=len(page.entries)),
    )


@button(callbacks.PAGE)
async def audit_page(press: Press) -> None:
    upto = int(press.fields[0]) or None
    answer = await administration.audit_log(press.core, press.caller, limit=PAGE_SIZE, upto=upto)
    page = answer.result
    if isinstance(page, Refusal):
        await press.refuse(answer, page)
        return
    await press.query.answer()
    shown = render.audit_page(page, press.svc.plan, press.tr(answer), press.svc.settings.tz)
    await edit_or_keep(press.query, shown.text, keyboard(shown.buttons))
