"""Changing the plan in chat: /setdeadline, /setreports, /setagencies, an uploaded plan file,
and the acknowledgements of the change notices (/acks and the «acknowledged» button).
"""

from __future__ import annotations

from bot.features.plan_changes import callbacks, render
from bot.features.requests import Command, Press, button, command
from bot.features.telegram_io import number_arg, rest_of
from scheduler.refusals import Refusal
from scheduler.usecases import plan_changes
from scheduler.usecases.core import Answer


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
    task = number_arg(request.args[0]) if request.args else None
    if task is None or not value.strip():
        await request.say(f"edit.usage.{field}")
        return
    answer = await plan_changes.edit_task(
        request.core, request.caller, field=field, task=task, value=value
    )
    await _answer(request, answer)


@command
async def upload_plan(request: Command) -> None:
    """A plan file sent in a private chat: a new plan from an administrator."""
    document = request.message.document
    if document is None:
        return

    async def fetch() -> bytes:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())

    answer = await plan_changes.upload_plan(
        request.core,
        request.caller,
        fetch=fetch,
        name=document.file_name or "plan.json",
        size=document.file_size or 0,
    )
    await _answer(request, answer)


async def _answer(
    request: Command, answer: Answer[plan_changes.PlanChanged | plan_changes.Rejected | Refusal]
) -> None:
    tr, result = request.tr(answer), answer.result
    await request.send(
        request.refusal_text(tr, result)
        if isinstance(result, Refusal)
        else render.outcome(result, tr)
    )


@command
async def acknowledgements(request: Command) -> None:
    answer = await plan_changes.change_acknowledgements(request.core, request.caller)
    tz = request.svc.settings.tz
    await request.reply(answer, lambda acks, tr: render.acknowledgements(acks, tr, tz))


@button(callbacks.ACKNOWLEDGE)
async def acknowledge(press: Press) -> None:
    version = int(press.fields[0])
    answer = await plan_changes.acknowledge_change(press.core, press.caller, version=version)
    fresh = answer.result
    if isinstance(fresh, Refusal):
        await press.refuse(answer, fresh)
        return
    key = "change.acknowledged" if fresh else "change.already_acknowledged"
    await press.query.answer(press.tr(answer).plain(key))
