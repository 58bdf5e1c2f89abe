"""The table of Bot API methods the server answers, looked up case-insensitively."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.botapi import methods_bot, methods_chats, methods_messages
from sandbox.botapi.state import BotState

Handler = Callable[[BotState, dict[str, Any], int], Any]

GET_UPDATES = "getUpdates"


def _unsupported_long_poll(state: BotState, params: dict[str, Any], seq: int) -> Any:
    # getUpdates waits asynchronously; the endpoint answers it without this table entry.
    raise NotImplementedError(GET_UPDATES)


_HANDLERS: dict[str, Handler] = {
    "getMe": methods_bot.get_me,
    GET_UPDATES: _unsupported_long_poll,
    "setMyCommands": methods_bot.set_my_commands,
    "getMyCommands": methods_bot.get_my_commands,
    "deleteMyCommands": methods_bot.delete_my_commands,
    "setWebhook": methods_bot.set_webhook,
    "deleteWebhook": methods_bot.delete_webhook,
    "getWebhookInfo": methods_bot.get_webhook_info,
    "setChatMenuButton": methods_bot.set_chat_menu_button,
    "getChatMenuButton": methods_bot.get_chat_menu_button,
    "getFile": methods_bot.get_file,
    "sendMessage": methods_messages.send_message,
    "sendDocument": methods_messages.send_document,
    "sendPhoto": methods_messages.send_photo,
    "editMessageText": methods_messages.edit_message_text,
    "editMessageCaption": methods_messages.edit_message_caption,
    "editMessageReplyMarkup": methods_messages.edit_message_reply_markup,
    "deleteMessage": methods_messages.delete_message,
    "answerCallbackQuery": methods_messages.answer_callback_query,
    "sendChatAction": methods_messages.send_chat_action,
    "getChat": methods_chats.get_chat,
    "getChatMember": methods_chats.get_chat_member,
    "getChatAdministrators": methods_chats.get_chat_administrators,
    "getChatMemberCount": methods_chats.get_chat_member_count,
}
_BY_LOWER = {name.lower(): (name, handler) for name, handler in _HANDLERS.items()}


def lookup(method: str) -> tuple[str, Handler] | None:
    """The canonical name and handler of ``method`` (Telegram ignores case), or None."""
    return _BY_LOWER.get(method.lower())
