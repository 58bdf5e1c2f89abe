"""What the chat page shows of a message: the local Bot API's Message object, made plain.

Text stays text: the page draws it with its entities (bold, links, code …) into the page's
elements itself and never parses it as HTML, so nothing a person or the bot writes can become
markup. Times are shown on the sandbox's clock in the plan's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from bot.wording import long_date

# The reply preview quotes this many characters of the message replied to.
SNIPPET = 80


def file_url(file_id: str, *, inline: bool = False) -> str:
    """Where the page downloads a file the local Bot API holds."""
    return f"files/{quote(file_id, safe='')}" + ("?inline=1" if inline else "")


def _sender(message: Mapping[str, Any]) -> dict[str, Any]:
    sender = message.get("from") or {}
    name = " ".join(part for part in (sender.get("first_name"), sender.get("last_name")) if part)
    return {"id": sender.get("id"), "name": name, "bot": bool(sender.get("is_bot"))}


def _snippet(message: Mapping[str, Any]) -> str:
    text = str(message.get("text") or message.get("caption") or "")
    if not text:
        document = message.get("document") or {}
        text = str(document.get("file_name") or ("🖼" if message.get("photo") else ""))
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def _buttons(
    message: Mapping[str, Any], open_web_app: Callable[[str], str] | None
) -> list[list[dict[str, str]]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    shaped = []
    for row in rows:
        buttons = []
        for button in row:
            item = {"text": str(button.get("text", ""))}
            for action in ("callback_data", "url"):
                if action in button:
                    item[action] = str(button[action])
            web_app = button.get("web_app")
            if isinstance(web_app, Mapping) and open_web_app is not None:
                item["web_app"] = open_web_app(str(web_app.get("url", "")))
            buttons.append(item)
        shaped.append(buttons)
    return shaped


def _attachment(message: Mapping[str, Any]) -> dict[str, Any] | None:
    document = message.get("document")
    if document:
        return {
            "kind": "document",
            "name": document.get("file_name") or document.get("file_id"),
            "size": document.get("file_size", 0),
            "mime": document.get("mime_type", ""),
            "url": file_url(str(document["file_id"])),
        }
    photos = message.get("photo")
    if photos:
        largest = max(photos, key=lambda p: p.get("width", 0) * p.get("height", 0))
        return {
            "kind": "photo",
            "width": largest.get("width"),
            "height": largest.get("height"),
            "url": file_url(str(largest["file_id"]), inline=True),
            "download": file_url(str(largest["file_id"])),
        }
    return None


def message_view(
    message: Mapping[str, Any],
    *,
    viewer: int,
    tz: ZoneInfo,
    language: str,
    open_web_app: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The page's view of one message, as JSON-ready values; ``open_web_app`` makes the link
    a Mini App's button opens for the viewer."""
    sent = dt.datetime.fromtimestamp(int(message.get("date", 0)), dt.UTC).astimezone(tz)
    sender = _sender(message)
    reply = message.get("reply_to_message")
    text_key = "text" if "text" in message else "caption"
    entities_key = "entities" if text_key == "text" else "caption_entities"
    return {
        "id": message["message_id"],
        "sender": sender,
        "mine": sender["id"] == viewer,
        "time": sent.strftime("%H:%M"),
        "day": sent.date().isoformat(),
        "day_label": long_date(sent.date(), language),
        "text": str(message.get(text_key) or ""),
        "entities": list(message.get(entities_key) or []),
        "edited": "edit_date" in message,
        "reply_to": (
            {"id": reply["message_id"], "sender": _sender(reply)["name"], "text": _snippet(reply)}
            if reply
            else None
        ),
        "buttons": _buttons(message, open_web_app),
        "attachment": _attachment(message),
    }
