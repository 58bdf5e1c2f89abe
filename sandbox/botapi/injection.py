"""Updates a test injects: what users say and press, shaped as Telegram delivers them."""

from __future__ import annotations

import copy
import re
import secrets
from typing import Any, Literal

from sandbox.botapi.formatting import utf16_len
from sandbox.botapi.methods_messages import photo_sizes
from sandbox.botapi.model import GROUP, SUPERGROUP, ChatInfo, UserInfo
from sandbox.botapi.state import BotState, CallbackQueryRecord

# A command is "/" plus up to 32 letters, digits or underscores, optionally "@botname",
# at the start of the text or after whitespace.
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


def command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entities Telegram attaches to ``text``."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group(0)),
        }
        for match in _COMMAND_RE.finditer(text)
    ]


def _sender_chat(state: BotState, user: UserInfo, chat_id: int | None) -> ChatInfo:
    """The chat a user writes in (their private chat by default), marking group membership."""
    if chat_id is None:
        return state._private_chat(user)
    chat = state.chats.get(chat_id)
    if chat is None:
        raise ValueError(f"chat {chat_id} does not exist; create it with group() first")
    if chat.is_group and chat.status_of(user.id) in ("left",):
        chat.statuses[user.id] = "member"
    return chat


def _reply_of(state: BotState, chat: ChatInfo, reply_to: dict[str, Any] | int | None) -> Any:
    if reply_to is None:
        return None
    message_id = reply_to["message_id"] if isinstance(reply_to, dict) else reply_to
    target = state._reply_target(chat.id, message_id)
    if target is None:
        raise ValueError(f"message {message_id} not found in chat {chat.id}")
    return target


def user_message(
    state: BotState,
    user_id: int,
    content: dict[str, Any],
    chat_id: int | None,
    reply_to: dict[str, Any] | int | None,
) -> dict[str, Any]:
    """Store a message from a user and queue the update that delivers it."""
    with state.lock:
        user = state._user(user_id)
        chat = _sender_chat(state, user, chat_id)
        body = dict(content)
        reply = _reply_of(state, chat, reply_to)
        if reply is not None:
            body["reply_to_message"] = reply
        message = state._store_message(chat, user, body, state.next_call_seq)
        return state._queue_update({"message": message})


def text_message(
    state: BotState,
    user_id: int,
    text: str,
    chat_id: int | None,
    reply_to: dict[str, Any] | int | None,
) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    entities = command_entities(text)
    if entities:
        content["entities"] = entities
    return user_message(state, user_id, content, chat_id, reply_to)


def file_message(
    state: BotState,
    user_id: int,
    kind: str,
    content: bytes,
    file_name: str | None,
    mime_type: str | None,
    chat_id: int | None,
    reply_to: dict[str, Any] | int | None,
    caption: str | None,
    reported_size: int | Literal["actual"] | None = "actual",
) -> dict[str, Any]:
    with state.lock:
        stored = state._store_file(kind, content, file_name, mime_type, reported_size)
        body: dict[str, Any] = {}
        if kind == "photo":
            body["photo"] = photo_sizes(state, stored, fresh=True)
        else:
            document: dict[str, Any] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                **stored.size_field(),
            }
            if file_name:
                document["file_name"] = file_name
            if mime_type:
                document["mime_type"] = mime_type
            body["document"] = document
        if caption:
            body["caption"] = caption
        return user_message(state, user_id, body, chat_id, reply_to)


def _has_button(message: dict[str, Any], callback_data: str) -> bool:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return any(button.get("callback_data") == callback_data for row in rows for button in row)


def button_press(
    state: BotState,
    user_id: int,
    message: dict[str, Any] | tuple[int, int],
    callback_data: str,
    check: bool,
) -> dict[str, Any]:
    """Queue a callback query for a button of a message the bot sent."""
    if isinstance(message, dict):
        chat_id, message_id = message["chat"]["id"], message["message_id"]
    else:
        chat_id, message_id = message
    with state.lock:
        user = state._user(user_id)
        stored = state._message(chat_id, message_id)
        if stored is None or not stored.from_bot:
            raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        if check and not _has_button(stored.data, callback_data):
            raise ValueError(f"message {message_id} has no button with data {callback_data!r}")
        query_id = secrets.token_hex(8)
        query = {
            "id": query_id,
            "from": user.to_api(),
            "message": copy.deepcopy(stored.data),
            "chat_instance": str(abs(chat_id) * 7919),
            "data": callback_data,
        }
        update = state._queue_update({"callback_query": query})
        state.callback_queries[query_id] = CallbackQueryRecord(update)
        return update


def migrate(state: BotState, chat_id: int, new_chat_id: int | None, announce: bool) -> ChatInfo:
    """Turn a group into a supergroup with a new id; the old id answers "migrate" from now on."""
    with state.lock:
        old = state.chats.get(chat_id)
        if old is None or old.type != GROUP:
            raise ValueError(f"chat {chat_id} is not a known basic group")
        target = new_chat_id if new_chat_id is not None else -(10**12) - abs(chat_id)
        new = ChatInfo(
            id=target,
            type=SUPERGROUP,
            title=old.title,
            creator=old.creator,
            admins=set(old.admins),
            statuses=dict(old.statuses),
            migrated_from=old.id,
        )
        state.chats[target] = new
        old.migrated_to = target
        if announce:
            sender = state.users.get(old.creator) if old.creator is not None else None
            mark = state.next_call_seq
            for chat, content in (
                (old, {"migrate_to_chat_id": target}),
                (new, {"migrate_from_chat_id": old.id}),
            ):
                message = state._store_message(chat, sender, content, mark)
                state._queue_update({"message": message})
        return copy.deepcopy(new)
