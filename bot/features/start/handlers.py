"""/start (with an invitation's deep link), /help and the choice of language."""

from __future__ import annotations

import dataclasses

from bot.features.requests import Command, Press, button, command
from bot.features.start import callbacks
from bot.features.telegram_io import is_group_admin
from bot.i18n.catalog import LANGUAGES, Catalog
from bot.wording import agency_label
from scheduler.presentation import Button, Rendered
from scheduler.refusals import Refusal
from scheduler.usecases.administration import is_admin
from scheduler.usecases.core import languages
from scheduler.usecases.invites import looks_like_token, redeem_invite
from scheduler.usecases.languages import choose_language


def _language_buttons(catalog: Catalog) -> tuple[tuple[Button, ...], ...]:
    """One button per language, each named in its own language."""
    return (
        tuple(
            Button(catalog.plain(lang, "language.self"), callbacks.LANGUAGE.build(lang))
            for lang in LANGUAGES
        ),
    )


@command
async def start(request: Command) -> None:
    svc, args = request.svc, request.args
    # /start is how someone who had blocked the bot comes back: always write it down.
    caller = dataclasses.replace(request.caller, returning=True)
    if args and looks_like_token(args[0]):
        answer = await redeem_invite(svc.core, caller, token=args[0])
        tr, joined = svc.tr(answer), answer.result
        if joined.joined and joined.agency and joined.role:
            agency = agency_label(svc.plan, joined.agency, tr.language)
            await request.send(tr("join.ok", agency=agency, role=tr(f"role.{joined.role}")))
        else:
            await request.send(tr(f"join.{joined.problem}"))
    else:
        tr = svc.tr(await languages(svc.core, caller))
        if args:
            await request.send(tr("join.unknown"))
    user = caller.user
    welcome = tr(
        "start.welcome",
        name=user.first_name if user else "",
        plan=svc.plan.title.in_language(tr.language),
    )
    await request.send(Rendered(welcome, _language_buttons(svc.catalog)))


@command
async def help_command(request: Command) -> None:
    answer = await is_admin(request.core, request.caller)
    tr = request.tr(answer)
    text = tr("help.text")
    if answer.result:
        text += "\n\n" + tr("help.admin")
    await request.send(text)


@command
async def language_menu(request: Command) -> None:
    tr = await request.translator()
    await request.send(Rendered(tr("lang.choose"), _language_buttons(request.svc.catalog)))


@button(callbacks.LANGUAGE)
async def language_chosen(press: Press) -> None:
    (language,) = press.fields
    group_admin = await is_group_admin(press.update, press.context)
    answer = await choose_language(
        press.core, press.caller, language=language, group_admin=group_admin
    )
    if isinstance(answer.result, Refusal):
        await press.refuse(answer, answer.result)
        return
    await press.query.answer()
    if press.query.message is not None:
        chosen = press.svc.translator(answer.result)
        await press.context.bot.send_message(press.query.message.chat.id, chosen("lang.chosen"))
