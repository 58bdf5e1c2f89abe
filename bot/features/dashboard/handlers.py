"""/dashboard answers with a button that opens the dashboard in Telegram.

Telegram allows a Mini App's inline button only in a private chat; in a group the reply
says so, and points to the private chat and the menu button. The dashboard checks who
opens it by itself (initData), so the button is only a way in, not a permission.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.constants import ChatType

from bot.features.requests import Command, command
from scheduler.refusals import Refusal
from scheduler.usecases.dashboard import dashboard_offer


@command
async def dashboard(request: Command) -> None:
    url = request.svc.settings.webapp_url
    answer = await dashboard_offer(request.core, request.caller)
    tr, result = request.tr(answer), answer.result
    if not url:
        await request.message.reply_text(tr("dashboard.not_configured"))
        return
    if request.message.chat.type != ChatType.PRIVATE:
        await request.message.reply_text(tr("dashboard.private_only"))
        return
    if isinstance(result, Refusal):
        await request.message.reply_text(request.refusal_text(tr, result))
        return
    button = InlineKeyboardButton(tr.plain("dashboard.button"), web_app=WebAppInfo(url))
    await request.message.reply_text(
        tr("dashboard.opens"), reply_markup=InlineKeyboardMarkup([[button]])
    )
