"""Bot API methods about the bot itself: identity, updates, command menus, webhook, files.

Every function here runs with the state lock held.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import urlsplit

from sandbox.botapi.errors import ApiError, bad_request
from sandbox.botapi.state import BotState

MAX_UPDATES = 100
MAX_COMMANDS = 100
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_SCOPES_WITHOUT_CHAT = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
)
_SCOPES_WITH_CHAT = frozenset({"chat", "chat_administrators", "chat_member"})
_MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def get_me(state: BotState, params: dict[str, Any], seq: int) -> Any:
    me = state.bot.to_api()
    me.update(
        can_join_groups=True,
        can_read_all_group_messages=False,
        supports_inline_queries=False,
        can_connect_to_business=False,
        has_main_web_app=False,
    )
    return me


def begin_get_updates(state: BotState, params: dict[str, Any]) -> tuple[int, float]:
    """Confirm updates below ``offset`` and apply ``allowed_updates``.

    Returns the batch limit and the long-poll timeout in seconds.
    """
    if state.webhook.url:
        raise ApiError(409, WEBHOOK_CONFLICT)
    offset = params.get("offset")
    if isinstance(offset, int):
        state._confirm_updates(offset)
    allowed = params.get("allowed_updates")
    if isinstance(allowed, list):
        state.allowed_updates = [str(kind) for kind in allowed] or None
    limit = params.get("limit")
    limit = MAX_UPDATES if not isinstance(limit, int) else min(max(limit, 1), MAX_UPDATES)
    timeout = params.get("timeout")
    return limit, float(max(timeout, 0)) if isinstance(timeout, int) else 0.0


def _scope_key(state: BotState, scope: Any) -> str:
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope.get("type")
    normal: dict[str, Any] = {"type": kind}
    if kind in _SCOPES_WITH_CHAT:
        chat_id = state._resolve_chat_ref(scope.get("chat_id"))
        if chat_id is None:
            raise bad_request("chat not found")
        normal["chat_id"] = chat_id
        if kind == "chat_member":
            normal["user_id"] = scope.get("user_id")
    elif kind not in _SCOPES_WITHOUT_CHAT:
        raise bad_request("wrong bot command scope type specified")
    return json.dumps(normal, sort_keys=True)


def _language(params: dict[str, Any]) -> str:
    language = params.get("language_code") or ""
    if not isinstance(language, str) or (language and not _LANGUAGE_RE.fullmatch(language)):
        raise bad_request("invalid language code specified")
    return language


def commands_key(state: BotState, params: dict[str, Any]) -> tuple[str, str]:
    """The key command menus are stored under: (normalised scope, language code)."""
    return _scope_key(state, params.get("scope")), _language(params)


def set_my_commands(state: BotState, params: dict[str, Any], seq: int) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    cleaned = []
    for entry in commands:
        if not isinstance(entry, dict) or not _COMMAND_RE.fullmatch(str(entry.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = entry.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": entry["command"], "description": description})
    key = commands_key(state, params)
    if cleaned:
        state.commands[key] = cleaned
    else:
        state.commands.pop(key, None)
    return True


def get_my_commands(state: BotState, params: dict[str, Any], seq: int) -> Any:
    return copy.deepcopy(state.commands.get(commands_key(state, params), []))


def delete_my_commands(state: BotState, params: dict[str, Any], seq: int) -> Any:
    state.commands.pop(commands_key(state, params), None)
    return True


def web_app_url_ok(url: object) -> bool:
    """Telegram opens Mini Apps over https only; like its test environment, this server
    also takes plain http to this machine, where the sandbox serves the dashboard."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
    return bool(parts.hostname) and (parts.scheme == "https" or local)


def _menu_button(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {"type": "default"}
    if not isinstance(raw, dict) or raw.get("type") not in _MENU_BUTTON_TYPES:
        raise bad_request("can't parse menu button JSON object")
    if raw["type"] != "web_app":
        return {"type": raw["type"]}
    text, web_app = raw.get("text"), raw.get("web_app")
    if not isinstance(text, str) or not text or not isinstance(web_app, dict):
        raise bad_request("can't parse menu button JSON object")
    if not web_app_url_ok(web_app.get("url")):
        raise bad_request("BUTTON_URL_INVALID")
    return {"type": "web_app", "text": text, "web_app": {"url": web_app["url"]}}


def _menu_chat(state: BotState, params: dict[str, Any]) -> int | None:
    ref = params.get("chat_id")
    if ref in (None, ""):
        return None
    chat = state._chat_for_call(ref)
    if chat.type != "private":
        raise bad_request("chat_id must be a private chat")
    return chat.id


def set_chat_menu_button(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat_id = _menu_chat(state, params)
    button = _menu_button(params.get("menu_button"))
    if button["type"] == "default":
        state.menu_buttons.pop(chat_id, None)
    else:
        state.menu_buttons[chat_id] = button
    return True


def get_chat_menu_button(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat_id = _menu_chat(state, params)
    found = state.menu_buttons.get(chat_id) if chat_id is not None else None
    found = found or state.menu_buttons.get(None) or {"type": "commands"}
    return copy.deepcopy(found)


def set_webhook(state: BotState, params: dict[str, Any], seq: int) -> Any:
    url = params.get("url") or ""
    if not isinstance(url, str):
        raise bad_request("invalid webhook URL specified")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        state.updates.clear()
    state.webhook.url = url
    state.webhook.secret_token = secret if url else None
    max_connections = params.get("max_connections")
    state.webhook.max_connections = max_connections if isinstance(max_connections, int) else 40
    allowed = params.get("allowed_updates")
    if isinstance(allowed, list):
        state.webhook.allowed_updates = [str(kind) for kind in allowed]
    return True


def delete_webhook(state: BotState, params: dict[str, Any], seq: int) -> Any:
    if params.get("drop_pending_updates"):
        state.updates.clear()
    state.webhook.url = ""
    state.webhook.secret_token = None
    return True


def get_webhook_info(state: BotState, params: dict[str, Any], seq: int) -> Any:
    info: dict[str, Any] = {
        "url": state.webhook.url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if state.webhook.url:
        info["max_connections"] = state.webhook.max_connections
        if state.webhook.allowed_updates is not None:
            info["allowed_updates"] = list(state.webhook.allowed_updates)
    return info


def get_file(state: BotState, params: dict[str, Any], seq: int) -> Any:
    file_id = params.get("file_id")
    stored = state.files.get(file_id) if isinstance(file_id, str) else None
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.to_api()
