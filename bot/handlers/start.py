"""/start (with an invitation's deep link), /help and the choice of language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.convert import chat_info, user_info
from bot.handlers.common import command_args, greet, is_group_admin, keyboard
from bot.i18n.catalog import LANGUAGES, Catalog
from bot.render.common import agency_label
from scheduler.delivery.outcomes import Button
from scheduler.usecases.administration import is_admin
from scheduler.usecases.contacts import choose_language
from scheduler.usecases.invites import looks_like_token, redeem_invite


def _language_buttons(catalog: Catalog) -> tuple[tuple[Button, ...], ...]:
    """One button per language, each named in its own language."""
    return (
        tuple(Button(catalog.plain(lang, "language.self"), f"lang:{lang}") for lang in LANGUAGES),
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    # /start is how someone who had blocked the bot comes back: always write it down.
    svc, tr = await greet(update, context, force=True)
    args = command_args(context)
    if args:
        info = user_info(user)
        if not looks_like_token(args[0]) or info is None:
            await message.reply_text(tr("join.unknown"))
        else:
            result = await redeem_invite(svc.db, svc.clock, token=args[0], user=info)
            if result.joined and result.agency and result.role:
                await message.reply_text(
                    tr(
                        "join.ok",
                        agency=agency_label(svc.plan, result.agency, tr.language),
                        role=tr(f"role.{result.role}"),
                    )
                )
            else:
                await message.reply_text(tr(f"join.{result.problem}"))
    await message.reply_text(
        tr("start.welcome", name=user.first_name, plan=svc.plan.title.in_language(tr.language)),
        reply_markup=keyboard(_language_buttons(svc.catalog)),
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    svc, tr = await greet(update, context)
    text = tr("help.text")
    user = update.effective_user
    if user is not None and await is_admin(svc.db, user.id, svc.settings.admin_ids):
        text += "\n\n" + tr("help.admin")
    await message.reply_text(text)


async def language_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    svc, tr = await greet(update, context)
    await message.reply_text(
        tr("lang.choose"), reply_markup=keyboard(_language_buttons(svc.catalog))
    )


async def language_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    svc, tr = await greet(update, context)
    language = query.data.partition(":")[2]
    user, chat = user_info(update.effective_user), chat_info(update.effective_chat)
    if language not in LANGUAGES or user is None or chat is None:
        await query.answer(tr.plain("error.stale_button"), show_alert=True)
        return
    if chat.is_group and not await is_group_admin(update, context):
        await query.answer(tr.plain("lang.group_admin_only"), show_alert=True)
        return
    await choose_language(svc.db, svc.clock, user=user, chat=chat, language=language)
    new_tr = svc.catalog.for_language(language)
    await query.answer()
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, new_tr("lang.chosen"))
