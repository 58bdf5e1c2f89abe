"""/tasks and /task N: the plan with its live state, readable by anyone."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.common import command_args, echo, edit_or_keep, greet, keyboard, number_arg
from bot.render import browse as render
from bot.render.common import agency_label
from scheduler.delivery.outcomes import Button
from scheduler.usecases.browse import task_card, task_lines
from scheduler.usecases.subscriptions import memberships


async def tasks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    scope = "all"
    if not args:
        mine = await memberships(svc.db, user.id)
        if mine:
            scope = mine[0][0]
    elif args[0].lower() not in ("all", "барлығы", "все"):
        code = args[0].upper()
        if not svc.runtime.has_agency(code):
            await message.reply_text(
                tr(
                    "tasks.unknown_agency",
                    code=echo(args[0]),
                    known=", ".join(svc.plan.agency_codes()),
                )
            )
            return
        scope = code
    text, buttons = await _page(update, context, scope, 0)
    await message.reply_text(text, reply_markup=keyboard(buttons))


async def tasks_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    _, scope, page = [*query.data.split(":"), "", ""][:3]
    text, buttons = await _page(update, context, scope, number_arg(page) or 0)
    await query.answer()
    await edit_or_keep(query, text, keyboard(buttons))


async def _page(
    update: Update, context: ContextTypes.DEFAULT_TYPE, scope: str, page: int
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    svc, tr = await greet(update, context)
    runtime = svc.runtime
    if scope != "all" and runtime.has_agency(scope):
        numbers = runtime.tasks_of(scope)
        heading = tr("tasks.heading_agency", agency=agency_label(svc.plan, scope, tr.language))
        agency: str | None = scope
    else:
        scope, agency = "all", None
        numbers = [t.number for t in svc.plan.tasks]
        heading = tr("tasks.heading_all", count=len(numbers))
    lines = await task_lines(svc.db, runtime, numbers, runtime.today(svc.clock.now()), agency)
    return render.task_list(lines, svc.plan, tr, heading=heading, page=page, scope=scope)


async def task(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    _, tr = await greet(update, context)
    args = command_args(context)
    number = number_arg(args[0], prefixes="№#") if len(args) == 1 else None
    if number is None:
        await message.reply_text(tr("task.usage"))
        return
    await _send_card(update, context, number)


async def task_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    number = number_arg(query.data.partition(":")[2])
    if number is not None:
        await _send_card(update, context, number)


async def _send_card(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int) -> None:
    svc, tr = await greet(update, context)
    chat = update.effective_chat
    if chat is None:
        return
    runtime = svc.runtime
    card = await task_card(svc.db, runtime, number, runtime.today(svc.clock.now()))
    if card is None:
        text = tr("task.unknown", number=number, last=len(svc.plan.tasks))
    else:
        text = render.task_card(card, svc.plan, tr)
    await context.bot.send_message(chat.id, text)
