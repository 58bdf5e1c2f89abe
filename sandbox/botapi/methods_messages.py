"""Bot API methods that send, edit and delete messages and answer callback queries.

Every function here runs with the state lock held and receives the decoded parameters and
the sequence number of the call (stored with each message the bot sends).
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.botapi.errors import bad_request
from sandbox.botapi.formatting import render_text
from sandbox.botapi.media import image_size, thumbnail_size
from sandbox.botapi.methods_bot import web_app_url_ok
from sandbox.botapi.model import ChatInfo, StoredFile, StoredMessage
from sandbox.botapi.params import UploadedFile
from sandbox.botapi.state import BotState

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
_BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "url",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "callback_game",
        "pay",
        "web_app",
        "copy_text",
    }
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _chat(state: BotState, params: dict[str, Any]) -> ChatInfo:
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    return state._chat_for_call(params["chat_id"])


def _check_button(button: Any, chat: ChatInfo) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = _BUTTON_ACTIONS.intersection(button)
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "web_app" in button:
        # Telegram opens a Mini App from an inline button only in a private chat.
        web_app = button["web_app"]
        if chat.type != "private":
            raise bad_request("BUTTON_TYPE_INVALID")
        if not isinstance(web_app, dict) or not web_app_url_ok(web_app.get("url")):
            raise bad_request("BUTTON_URL_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")


def _message_markup(markup: Any, chat: ChatInfo) -> dict[str, Any] | None:
    """Validate ``reply_markup``; return what a Message carries (only inline keyboards)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_button(button, chat)
    if not any(rows):
        return None
    return {"inline_keyboard": copy.deepcopy(rows)}


def _reply_to(state: BotState, chat: ChatInfo, params: dict[str, Any]) -> dict[str, Any] | None:
    reply = params.get("reply_parameters")
    if reply is None and params.get("reply_to_message_id") is not None:
        reply = {
            "message_id": params["reply_to_message_id"],
            "allow_sending_without_reply": params.get("allow_sending_without_reply", False),
        }
    if reply is None:
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
        raise bad_request("invalid reply parameters specified")
    target_chat = chat.id
    if reply.get("chat_id") is not None:
        resolved = state._resolve_chat_ref(reply["chat_id"])
        if resolved is None:
            raise bad_request("message to be replied not found")
        target_chat = resolved
    target = state._reply_target(target_chat, reply["message_id"])
    if target is None and not reply.get("allow_sending_without_reply"):
        raise bad_request("message to be replied not found")
    return target


def _text(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    raw = params.get("text")
    if not isinstance(raw, str) or not raw:
        raise bad_request("message text is empty")
    text, entities = render_text(raw, params.get("parse_mode"), params.get("entities"))
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text, entities


def _caption(params: dict[str, Any]) -> dict[str, Any]:
    raw = params.get("caption")
    if raw is None or raw == "":
        return {}
    text, entities = render_text(str(raw), params.get("parse_mode"), params.get("caption_entities"))
    if len(text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    content: dict[str, Any] = {"caption": text}
    if entities:
        content["caption_entities"] = entities
    return content


def _finish(
    state: BotState, chat: ChatInfo, params: dict[str, Any], content: dict[str, Any], seq: int
) -> dict[str, Any]:
    markup = _message_markup(params.get("reply_markup"), chat)
    reply = _reply_to(state, chat, params)
    if reply is not None:
        content["reply_to_message"] = reply
    if markup is not None:
        content["reply_markup"] = markup
    return state._store_message(chat, state.bot, content, seq)


def send_message(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat = _chat(state, params)
    text, entities = _text(params)
    content: dict[str, Any] = {"text": text}
    if entities:
        content["entities"] = entities
    return _finish(state, chat, params, content, seq)


def _input_file(state: BotState, value: Any, kind: str) -> tuple[StoredFile, bool]:
    """The stored file a send names, and whether it was uploaded with this call."""
    if isinstance(value, UploadedFile):
        stored = state._store_file(kind, value.content, value.filename, value.mime_type)
        return stored, True
    if isinstance(value, str) and value:
        existing = state.files.get(value)
        if existing is not None:
            return existing, False
        raise bad_request("wrong file identifier/HTTP URL specified")
    raise bad_request(f"there is no {kind} in the request")


def send_document(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat = _chat(state, params)
    stored, _ = _input_file(state, params.get("document"), "document")
    document: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        **stored.size_field(),
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    content = {"document": document, **_caption(params)}
    return _finish(state, chat, params, content, seq)


def photo_sizes(state: BotState, stored: StoredFile, fresh: bool) -> list[dict[str, Any]]:
    """The PhotoSize list of a photo: a thumbnail (for new uploads) and the full image."""
    width, height = image_size(stored.content)
    full = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": width,
        "height": height,
        "file_size": len(stored.content),
    }
    if not fresh:
        return [full]
    thumb = state._store_file("photo", stored.content, stored.file_name, stored.mime_type)
    thumb_width, thumb_height = thumbnail_size(width, height)
    small = {
        "file_id": thumb.file_id,
        "file_unique_id": thumb.file_unique_id,
        "width": thumb_width,
        "height": thumb_height,
        "file_size": len(stored.content),
    }
    return [small, full]


def send_photo(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat = _chat(state, params)
    stored, fresh = _input_file(state, params.get("photo"), "photo")
    content = {"photo": photo_sizes(state, stored, fresh), **_caption(params)}
    return _finish(state, chat, params, content, seq)


def _editable(state: BotState, params: dict[str, Any]) -> StoredMessage:
    if params.get("inline_message_id") is not None:
        raise bad_request("MESSAGE_ID_INVALID")
    chat = _chat(state, params)
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    stored = state._message(chat.id, message_id)
    if stored is None:
        raise bad_request("message to edit not found")
    if not stored.from_bot:
        raise bad_request("message can't be edited")
    return stored


def _apply_edit(state: BotState, stored: StoredMessage, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` (None removes a field) unless they change nothing."""
    data = stored.data
    if all(data.get(key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    data["edit_date"] = int(state.clock())
    state.revision += 1
    return copy.deepcopy(data)


def edit_message_text(state: BotState, params: dict[str, Any], seq: int) -> Any:
    stored = _editable(state, params)
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    text, entities = _text(params)
    # Without reply_markup Telegram removes the inline keyboard the message had.
    markup = _message_markup(params.get("reply_markup"), _chat(state, params))
    changes = {"text": text, "entities": entities or None, "reply_markup": markup}
    return _apply_edit(state, stored, changes)


def edit_message_caption(state: BotState, params: dict[str, Any], seq: int) -> Any:
    stored = _editable(state, params)
    if "text" in stored.data:
        raise bad_request("there is no caption in the message to edit")
    caption = _caption(params)
    markup = _message_markup(params.get("reply_markup"), _chat(state, params))
    changes = {
        "caption": caption.get("caption"),
        "caption_entities": caption.get("caption_entities"),
        "reply_markup": markup,
    }
    return _apply_edit(state, stored, changes)


def edit_message_reply_markup(state: BotState, params: dict[str, Any], seq: int) -> Any:
    stored = _editable(state, params)
    markup = _message_markup(params.get("reply_markup"), _chat(state, params))
    return _apply_edit(state, stored, {"reply_markup": markup})


def delete_message(state: BotState, params: dict[str, Any], seq: int) -> Any:
    chat = _chat(state, params)
    message_id = params.get("message_id")
    stored = state._message(chat.id, message_id) if isinstance(message_id, int) else None
    if stored is None:
        raise bad_request("message to delete not found")
    stored.deleted = True
    state.revision += 1
    return True


def answer_callback_query(state: BotState, params: dict[str, Any], seq: int) -> Any:
    query_id = params.get("callback_query_id")
    record = state.callback_queries.get(query_id) if isinstance(query_id, str) else None
    if record is None or record.answer is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    fields = ("text", "show_alert", "url", "cache_time")
    answer: dict[str, Any] = {key: params[key] for key in fields if key in params}
    record.answer = answer
    return True


def send_chat_action(state: BotState, params: dict[str, Any], seq: int) -> Any:
    _chat(state, params)
    if params.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True
