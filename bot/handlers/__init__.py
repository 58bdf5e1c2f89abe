"""The bot's handlers, in the order PTB tries them."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.handlers import admin, browse, events, fallback, reports, start, status, subscribe

# Commands shown in Telegram's menu, in this order; each has a catalog key "menu.<name>".
MENU_COMMANDS = (
    "start",
    "help",
    "tasks",
    "task",
    "subscribe",
    "subscriptions",
    "unsubscribe",
    "done",
    "status",
    "lang",
)


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
        CommandHandler("start", start.start),
        CommandHandler("help", start.help_command),
        CommandHandler("lang", start.language_menu),
        CommandHandler("tasks", browse.tasks),
        CommandHandler("task", browse.task),
        CommandHandler("subscribe", subscribe.subscribe_menu),
        CommandHandler("subscriptions", subscribe.list_subscriptions),
        CommandHandler("unsubscribe", subscribe.unsubscribe_menu),
        CommandHandler("done", status.done_command),
        CommandHandler("status", status.status_command),
        CommandHandler("invite", admin.invite),
        CommandHandler("report", reports.report),
        CommandHandler("ics", reports.ics),
        CommandHandler("admin", admin.admin_menu),
        CommandHandler("audit", admin.audit),
        CommandHandler("members", admin.members),
        CommandHandler("removemember", admin.remove_member),
        CommandHandler("promote", admin.promote),
        CommandHandler("demote", admin.demote),
        CommandHandler("revoke", admin.revoke),
        CommandHandler("setdeadline", admin.set_deadline),
        CommandHandler("setreports", admin.set_reports),
        CommandHandler("setagencies", admin.set_agencies),
        CommandHandler("acks", admin.acknowledgements),
        CommandHandler("broadcast", admin.broadcast),
        CommandHandler("workday", admin.working_day),
        CommandHandler("dayoff", admin.day_off),
        CommandHandler("officialday", admin.official_day),
        CommandHandler("event", events.event),
        CallbackQueryHandler(start.language_chosen, pattern=r"^lang:"),
        CallbackQueryHandler(browse.tasks_page, pattern=r"^tasks:"),
        CallbackQueryHandler(browse.task_button, pattern=r"^task:\d+$"),
        CallbackQueryHandler(subscribe.pick_task, pattern=r"^subt$"),
        CallbackQueryHandler(subscribe.subscribe_chosen, pattern=r"^sub:"),
        CallbackQueryHandler(subscribe.unsubscribe_chosen, pattern=r"^unsub:"),
        CallbackQueryHandler(status.status_button, pattern=r"^(st|cl):\d+:[a-z]$"),
        CallbackQueryHandler(status.undo, pattern=r"^undo:\d+$"),
        CallbackQueryHandler(admin.acknowledge, pattern=r"^ack:\d+$"),
        CallbackQueryHandler(admin.broadcast_decision, pattern=r"^bc:(go|no):\d+$"),
        MessageHandler(filters.ChatType.PRIVATE & plan_files, admin.upload_plan),
        MessageHandler(reply, status.reply_to_bot),
        MessageHandler(filters.COMMAND, fallback.unknown_command),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, fallback.private_text),
        CallbackQueryHandler(fallback.stale_button),
    ]
