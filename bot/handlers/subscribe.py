"""/subscribe, /subscriptions and /unsubscribe: which reminders reach this chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.convert import chat_info, user_info
from bot.handlers.common import edit_or_keep, greet, is_group_admin, keyboard
from bot.i18n.catalog import Translator
from bot.render.common import agency_label
from bot.services import Services
from scheduler.delivery.outcomes import Button
from scheduler.storage.subscriptions_repo import AGENCY, TASK
from scheduler.usecases.subscriptions import (
    Target,
    change_subscription,
    chat_subscriptions,
    memberships,
)

TASKS_PER_ROW = 6


async def subscribe_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc, tr = await greet(update, context)
    mine = await memberships(svc.db, user.id)
    rows: list[tuple[Button, ...]] = [
        (Button(f"🏛 {agency_label(svc.plan, code, tr.language)}"[:60], f"sub:a:{code}"),)
        for code, _ in mine
    ]
    rows.append((Button(tr.plain("subscribe.pick_task"), "subt"),))
    text = tr("subscribe.menu") if mine else tr("subscribe.menu_no_agency")
    await message.reply_text(text, reply_markup=keyboard(rows))


async def pick_task(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    svc, tr = await greet(update, context)
    numbers = [t.number for t in svc.plan.tasks]
    rows = [
        tuple(Button(f"№{n}", f"sub:t:{n}") for n in numbers[i : i + TASKS_PER_ROW])
        for i in range(0, len(numbers), TASKS_PER_ROW)
    ]
    await query.answer()
    await edit_or_keep(query, tr("subscribe.which_task"), keyboard(rows))


async def subscribe_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _change(update, context, subscribe=True)


async def unsubscribe_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _change(update, context, subscribe=False)


async def _change(update: Update, context: ContextTypes.DEFAULT_TYPE, *, subscribe: bool) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    svc, tr = await greet(update, context)
    parts = query.data.split(":", 2)
    user, chat = user_info(update.effective_user), chat_info(update.effective_chat)
    if len(parts) != 3 or parts[1] not in ("a", "t") or user is None or chat is None:
        await query.answer(tr.plain("error.stale_button"), show_alert=True)
        return
    target = Target(AGENCY if parts[1] == "a" else TASK, parts[2])
    result = await change_subscription(
        svc.db,
        svc.clock,
        svc.runtime,
        user=user,
        chat=chat,
        target=target,
        subscribe=subscribe,
        is_group_admin=await is_group_admin(update, context),
    )
    await query.answer()
    await edit_or_keep(query, tr(f"subscribe.{result}", target=_target_label(svc, target, tr)))


def _target_label(svc: Services, target: Target, tr: Translator) -> str:
    if target.kind == AGENCY:
        return agency_label(svc.plan, target.value, tr.language)
    return tr.plain("subscribe.task_label", number=target.value)


async def list_subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    svc, tr = await greet(update, context)
    subs = await chat_subscriptions(svc.db, chat.id)
    if not subs:
        await message.reply_text(tr("subscriptions.none"))
        return
    lines = [tr("subscriptions.heading")]
    lines += [f"• {_target_label(svc, Target(s.kind, s.target), tr)}" for s in subs]
    await message.reply_text("\n".join(lines))


async def unsubscribe_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    svc, tr = await greet(update, context)
    subs = await chat_subscriptions(svc.db, chat.id)
    if not subs:
        await message.reply_text(tr("subscriptions.none"))
        return
    rows = [
        (
            Button(
                f"✖️ {_target_label(svc, Target(s.kind, s.target), tr)}"[:60],
                f"unsub:{'a' if s.kind == AGENCY else 't'}:{s.target}",
            ),
        )
        for s in subs
    ]
    await message.reply_text(tr("unsubscribe.menu"), reply_markup=keyboard(rows))
