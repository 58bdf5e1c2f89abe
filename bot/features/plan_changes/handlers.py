"""Changing the plan in chat: /setdeadline, /setreports, /setagencies, an uploaded plan file,
each previewed with buttons that put it in force or drop it, and the acknowledgements of the
change notices (/acks and the «acknowledged» button).
"""

from __future__ import annotations

from bot.features.plan_changes import callbacks, render
from bot.features.requests import Command, Press, button, command
from bot.features.telegram_io import edit_or_keep, number_arg, read_document, rest_of
from scheduler.refusals import Refusal, Why
from scheduler.usecases import plan_changes, plan_drafts, plan_edits
from scheduler.usecases.core import Answer
from scheduler.usecases.plan_drafts import Proposal
from scheduler.usecases.plan_edits import Rejected


@command
async def set_deadline(request: Command) -> None:
    await _edit(request, "deadline")


@command
async def set_reports(request: Command) -> None:
    await _edit(request, "reports")


@command
async def set_agencies(request: Command) -> None:
    await _edit(request, "agencies")


async def _edit(request: Command, field: str) -> None:
    value = rest_of(request.message.text or "", 1)
    task = number_arg(request.args[0], prefixes="№#") if request.args else None
    if task is None or not value.strip():
        await request.say(f"edit.usage.{field}")
        return
    answer = await plan_edits.edit_task(
        request.core, request.caller, field=field, task=task, value=value
    )
    await reply_proposal(request, answer)


@command
async def upload_plan(request: Command) -> None:
    """A plan file sent in a private chat: a new plan from an administrator, to confirm."""
    document = request.message.document
    if document is None:
        return

    async def fetch(limit: int) -> bytes:
        return await read_document(document, limit)

    answer = await plan_edits.upload_plan(
        request.core,
        request.caller,
        fetch=fetch,
        name=document.file_name or "plan.json",
        size=document.file_size,
    )
    await reply_proposal(request, answer)


async def reply_proposal(request: Command, answer: Answer[Proposal | Rejected | Refusal]) -> None:
    """The preview of the draft with its buttons, or why there is none."""
    tr, result, plan = request.tr(answer), answer.result, request.svc.plan
    if isinstance(result, Refusal):
        await request.send(request.refusal_text(tr, result))
    elif isinstance(result, Rejected):
        await request.send(render.rejected(result, plan, tr))
    else:
        await request.send(render.preview(result, plan, tr))


@button(callbacks.DECIDE)
async def decide(press: Press) -> None:
    """A press under a preview: put the draft in force, or drop it."""
    apply, draft = press.fields[0] == callbacks.APPLY, int(press.fields[1])
    answer = await plan_drafts.decide_draft(press.core, press.caller, draft_id=draft, apply=apply)
    result = answer.result
    if isinstance(result, Refusal):
        await press.refuse(answer, result)
        if result.why is Why.STALE_DRAFT:
            await edit_or_keep(press.query, press.refusal_text(press.tr(answer), result))
        return
    await press.query.answer()
    await edit_or_keep(press.query, render.decided(result, press.tr(answer)))


@command
async def acknowledgements(request: Command) -> None:
    answer = await plan_changes.change_acknowledgements(request.core, request.caller)
    tz = request.svc.settings.tz
    await request.reply(answer, lambda acks, tr: render.acknowledgements(acks, tr, tz))


@button(callbacks.ACKNOWLEDGE)
async def acknowledge(press: Press) -> None:
    version = int(press.fields[0])
    answer = await plan_changes.acknowledge_change(press.core, press.caller, version=version)
    if isinstance(answer.result, Refusal):
        await press.refuse(answer, answer.result)
        return
    await press.query.answer(press.tr(answer).plain("change.acknowledged"))
