"""Bot API methods that describe chats and their members.

Every function here runs with the state lock held.
"""

from __future__ import annotations

from typing import Any

from sandbox.botapi.errors import bad_request
from sandbox.botapi.model import ChatInfo, UserInfo
from sandbox.botapi.state import BotState

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}


def member_object(chat: ChatInfo, user: UserInfo, bot_id: int) -> dict[str, Any]:
    """The ChatMember object for ``user`` in ``chat``."""
    if user.id == bot_id and user.id not in chat.admins:
        status = "member"
    else:
        status = chat.status_of(user.id)
    member: dict[str, Any] = {"status": status, "user": user.to_api()}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(_ADMIN_RIGHTS)
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _chat(state: BotState, params: dict[str, Any]) -> ChatInfo:
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    return state._chat_for_call(params["chat_id"])


def _known_user(state: BotState, user_id: Any) -> UserInfo:
    if user_id == state.bot.id:
        return state.bot
    user = state.users.get(user_id) if isinstance(user_id, int) else None
    if user is None:
        raise bad_request("user not found")
    return user


def get_chat(state: BotState, params: dict[str, Any], seq: int) -> Any:
    return _chat(state, params).full_info()


def get_chat_member(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat = _chat(state, params)
    user = _known_user(state, params.get("user_id"))
    return member_object(chat, user, state.bot.id)


def get_chat_administrators(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat = _chat(state, params)
    if not chat.is_group:
        raise bad_request("there are no administrators in the private chat")
    ids = ([chat.creator] if chat.creator is not None else []) + sorted(chat.admins)
    seen: list[int] = []
    for user_id in ids:
        if user_id not in seen:
            seen.append(user_id)
    return [member_object(chat, _known_user(state, uid), state.bot.id) for uid in seen]


def get_chat_member_count(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat = _chat(state, params)
    if not chat.is_group:
        return 2
    present = {uid for uid, status in chat.statuses.items() if status == "member"}
    present |= chat.admins
    if chat.creator is not None:
        present.add(chat.creator)
    present.add(state.bot.id)
    return len(present)
