"""Turning Telegram objects into the core's plain descriptions."""

from __future__ import annotations

from telegram import Chat, User

from scheduler.participants import ChatInfo, UserInfo


def user_info(user: User | None) -> UserInfo | None:
    if user is None:
        return None
    return UserInfo(user.id, user.first_name, user.last_name, user.username, user.language_code)


def chat_info(chat: Chat | None) -> ChatInfo | None:
    if chat is None:
        return None
    title = chat.title if chat.type != Chat.PRIVATE else chat.full_name
    return ChatInfo(id=chat.id, type=chat.type, title=title)
