"""The bot's handlers, in the one order PTB tries them; the first match wins.

This list is the only place a handler is registered. Each feature under ``bot/features``
holds its handlers, the messages it renders, and the callback data its buttons carry.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.features.agenda import callbacks as agenda_callbacks
from bot.features.agenda import handlers as agenda
from bot.features.audit import callbacks as audit_callbacks
from bot.features.audit import handlers as audit
from bot.features.broadcasts import callbacks as broadcast_callbacks
from bot.features.broadcasts import handlers as broadcasts
from bot.features.browse import callbacks as browse_callbacks
from bot.features.browse import handlers as browse
from bot.features.calendar_days import handlers as calendar_days
from bot.features.callback_data import CallbackKind
from bot.features.dashboard import handlers as dashboard
from bot.features.events import handlers as events
from bot.features.extensions import callbacks as extension_callbacks
from bot.features.extensions import handlers as extensions
from bot.features.fallback import handlers as fallback
from bot.features.interim import handlers as interim
from bot.features.members import handlers as members
from bot.features.plan_changes import callbacks as plan_change_callbacks
from bot.features.plan_changes import handlers as plan_changes
from bot.features.reminders import callbacks as reminder_callbacks
from bot.features.reminders import handlers as reminders
from bot.features.replies import handlers as replies
from bot.features.reports import callbacks as report_callbacks
from bot.features.reports import handlers as reports
from bot.features.requests import Callback, answer_stale
from bot.features.reviews import callbacks as review_callbacks
from bot.features.reviews import handlers as reviews
from bot.features.start import callbacks as start_callbacks
from bot.features.start import handlers as start
from bot.features.status import callbacks as status_callbacks
from bot.features.status import handlers as status
from bot.features.subscriptions import callbacks as subscription_callbacks
from bot.features.subscriptions import handlers as subscriptions
from bot.features.telegram_io import ForeignIds

# Commands shown in Telegram's menu, in this order; each has a catalog key "menu.<name>".
MENU_COMMANDS = (
    "start",
    "help",
    "tasks",
    "task",
    "subscribe",
    "subscriptions",
    "unsubscribe",
    "due",
    "done",
    "status",
    "extend",
    "dashboard",
    "lang",
)


def on_press(kind: CallbackKind, callback: Callback) -> BaseHandler[Any, Any, Any]:
    """The handler of presses of the buttons whose callback data is of ``kind``."""
    return CallbackQueryHandler(callback, pattern=kind.pattern)


def build_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Every handler of the bot, in one visible, ordered list: the first match wins."""
    reply = filters.REPLY & ~filters.COMMAND & (filters.TEXT | filters.Document.ALL | filters.PHOTO)
    plan_files = (
        filters.Document.FileExtension("json")
        | filters.Document.FileExtension("xlsx")
        | filters.Document.FileExtension("csv")
        | filters.Document.FileExtension("docx")
    )
    return [
        # An update naming an id Telegram never gives goes no further.
        ForeignIds(),
        CommandHandler("start", start.start),
        CommandHandler("help", start.help_command),
        CommandHandler("lang", start.language_menu),
        CommandHandler("tasks", browse.tasks),
        CommandHandler("task", browse.task),
        CommandHandler("subscribe", subscriptions.subscribe_menu),
        CommandHandler("subscriptions", subscriptions.list_subscriptions),
        CommandHandler("unsubscribe", subscriptions.unsubscribe_menu),
        CommandHandler("done", status.done_command),
        CommandHandler("status", status.status_command),
        CommandHandler("due", agenda.due),
        CommandHandler("extend", extensions.extend),
        CommandHandler("ask", interim.ask),
        CommandHandler("asks", interim.asks),
        CommandHandler("invite", members.invite),
        CommandHandler("report", reports.report),
        CommandHandler("dashboard", dashboard.dashboard),
        CommandHandler("ics", reports.ics),
        CommandHandler("admin", members.admin_menu),
        CommandHandler("audit", audit.audit),
        CommandHandler("members", members.members),
        CommandHandler("removemember", members.remove_member),
        CommandHandler("promote", members.promote),
        CommandHandler("demote", members.demote),
        CommandHandler("revoke", members.revoke),
        CommandHandler("setdeadline", plan_changes.set_deadline),
        CommandHandler("setreports", plan_changes.set_reports),
        CommandHandler("setagencies", plan_changes.set_agencies),
        CommandHandler("acks", plan_changes.acknowledgements),
        CommandHandler("broadcast", broadcasts.broadcast),
        CommandHandler("workday", calendar_days.working_day),
        CommandHandler("dayoff", calendar_days.day_off),
        CommandHandler("officialday", calendar_days.official_day),
        CommandHandler("event", events.event),
        on_press(start_callbacks.LANGUAGE, start.language_chosen),
        on_press(browse_callbacks.PAGE, browse.tasks_page),
        on_press(browse_callbacks.OPEN, browse.task_button),
        on_press(subscription_callbacks.PICK_TASK, subscriptions.pick_task),
        on_press(subscription_callbacks.SUBSCRIBE, subscriptions.subscribe_chosen),
        on_press(subscription_callbacks.UNSUBSCRIBE, subscriptions.unsubscribe_chosen),
        on_press(status_callbacks.ANSWER, status.answer_button),
        on_press(status_callbacks.CLARIFY, status.clarify_button),
        on_press(status_callbacks.UNDO, status.undo),
        on_press(review_callbacks.ACCEPT, reviews.accept),
        on_press(review_callbacks.RETURN, reviews.return_for_rework),
        on_press(extension_callbacks.ASK, extensions.ask),
        on_press(extension_callbacks.APPROVE, extensions.approve),
        on_press(extension_callbacks.REFUSE, extensions.refuse),
        on_press(reminder_callbacks.SNOOZE, reminders.snooze),
        on_press(agenda_callbacks.PAGE, agenda.due_page),
        on_press(agenda_callbacks.PICK, agenda.picked),
        on_press(plan_change_callbacks.ACKNOWLEDGE, plan_changes.acknowledge),
        on_press(plan_change_callbacks.DECIDE, plan_changes.decide),
        on_press(broadcast_callbacks.BROADCAST, broadcasts.broadcast_decision),
        on_press(report_callbacks.PERIOD, reports.discipline_period),
        on_press(audit_callbacks.PAGE, audit.audit_page),
        MessageHandler(filters.ChatType.PRIVATE & plan_files, plan_changes.upload_plan),
        MessageHandler(reply, replies.reply_to_bot),
        MessageHandler(filters.COMMAND, fallback.unknown_command),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, agenda.typed_status
        ),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, fallback.private_text),
        # Any other button: an old message, or data no feature builds.
        CallbackQueryHandler(answer_stale),
    ]
