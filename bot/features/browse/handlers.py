"""/tasks and /task N: the plan with its live state, readable by anyone."""

from __future__ import annotations

from bot.features.browse import callbacks, render
from bot.features.requests import Command, Press, Request, button, command
from bot.features.telegram_io import edit_or_keep, keyboard, number_arg
from bot.i18n.catalog import Translator
from bot.wording import agency_label
from scheduler.presentation import Rendered
from scheduler.refusals import Refusal
from scheduler.usecases.browse import ALL, MINE, TaskList, task_card, task_list

# What /tasks accepts for the whole plan, besides "all".
ALL_WORDS = ("all", "барлығы", "все")


@command
async def tasks(request: Command) -> None:
    args = request.args
    if not args:
        scope = MINE
    elif args[0].lower() in ALL_WORDS:
        scope = ALL
    else:
        scope = " ".join(args)
    answer = await task_list(request.core, request.caller, scope=scope)
    await request.reply(answer, lambda found, tr: _page(request, tr, found, 0))


@button(callbacks.PAGE)
async def tasks_page(press: Press) -> None:
    scope, page = press.fields
    answer = await task_list(press.core, press.caller, scope=scope)
    if isinstance(answer.result, Refusal):
        # The agency left the plan since the list was sent: show the whole plan instead.
        answer = await task_list(press.core, press.caller, scope=ALL)
    await press.query.answer()
    if isinstance(answer.result, TaskList):
        shown = _page(press, press.tr(answer), answer.result, number_arg(page) or 0)
        await edit_or_keep(press.query, shown.text, keyboard(shown.buttons))


def _page(request: Request, tr: Translator, found: TaskList, page: int) -> Rendered:
    plan = request.svc.plan
    if found.agency is not None:
        heading = tr("tasks.heading_agency", agency=agency_label(plan, found.agency, tr.language))
    else:
        heading = tr("tasks.heading_all", count=len(found.lines))
    scope = found.agency or ALL
    text, buttons = render.task_list(found.lines, plan, tr, heading=heading, page=page, scope=scope)
    return Rendered(text, buttons)


@command
async def task(request: Command) -> None:
    args = request.args
    number = number_arg(args[0], prefixes="№#") if len(args) == 1 else None
    if number is None:
        await request.say("task.usage")
        return
    await _send_card(request, number)


@button(callbacks.OPEN)
async def task_button(press: Press) -> None:
    await press.query.answer()
    number = number_arg(press.fields[0])
    if number is not None:
        await _send_card(press, number)


async def _send_card(request: Request, number: int) -> None:
    chat = request.update.effective_chat
    if chat is None:
        return
    svc = request.svc
    answer = await task_card(svc.core, request.caller, number)
    tr, card = svc.tr(answer), answer.result
    text = (
        request.refusal_text(tr, card)
        if isinstance(card, Refusal)
        else render.task_card(card, svc.plan, tr)
    )
    await request.context.bot.send_message(chat.id, text)
