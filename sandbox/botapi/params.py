"""Decoding of Bot API call parameters into Python values, per parameter name.

Clients send every value as a string (form fields) or as JSON. Telegram types parameters by
name, so the decoding is by name too: a ``text`` of ``"123"`` stays a string while a
``chat_id`` of ``"123"`` becomes an int and a ``reply_markup`` holding a JSON string becomes
a dict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sandbox.botapi.errors import bad_request


@dataclass(frozen=True)
class UploadedFile:
    """A file sent in a multipart request part."""

    filename: str
    content: bytes
    mime_type: str


RawValue = str | int | float | bool | list[Any] | dict[str, Any] | UploadedFile | None

INT_PARAMS = frozenset(
    {
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
        "from_chat_id",
        "until_date",
        "width",
        "height",
        "duration",
    }
)
BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "has_spoiler",
        "disable_content_type_detection",
        "only_if_banned",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "reply_parameters",
        "link_preview_options",
        "media",
        "menu_button",
    }
)
# Parameters that name a chat: an integer id or an "@username".
CHAT_PARAMS = frozenset({"chat_id", "from_chat_id"})


def _to_int(name: str, value: RawValue) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise bad_request(f"invalid {name} specified")
    try:
        return int(value)
    except ValueError:
        raise bad_request(f"invalid {name} specified") from None


def _to_bool(value: RawValue) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def _to_json(name: str, value: RawValue) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        if name == "reply_markup":
            raise bad_request("can't parse reply keyboard markup JSON object") from None
        raise bad_request(f"can't parse {name} JSON object") from None


def _chat_ref(value: RawValue) -> int | str:
    if isinstance(value, str) and value.startswith("@"):
        return value
    return _to_int("chat_id", value)


def decode_params(raw: dict[str, RawValue]) -> dict[str, Any]:
    """Typed parameters, with ``attach://name`` references replaced by the uploaded parts."""
    decoded: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, str) and value.startswith("attach://"):
            attached = raw.get(value.removeprefix("attach://"))
            if isinstance(attached, UploadedFile):
                decoded[name] = attached
                continue
        if value is None or isinstance(value, UploadedFile):
            decoded[name] = value
        elif name in CHAT_PARAMS:
            decoded[name] = _chat_ref(value)
        elif name in INT_PARAMS:
            decoded[name] = _to_int(name, value)
        elif name in BOOL_PARAMS:
            decoded[name] = _to_bool(value)
        elif name in JSON_PARAMS:
            decoded[name] = _to_json(name, value)
        else:
            decoded[name] = value
    return decoded
