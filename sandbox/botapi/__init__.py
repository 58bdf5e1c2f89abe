"""A local Telegram Bot API server: the sandbox's Telegram, and the tests' and benchmarks'.

The bot talks to it over real HTTP on 127.0.0.1, exactly as it talks to api.telegram.org,
so the sandbox (``python -m bot demo``), the end-to-end tests and the benchmarks all run the
real bot without a token or a network::

    server = BotApiServer(token="123456:TEST-token")   # port=0: an ephemeral port
    server.start()                                     # serves from a thread of its own
    app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
    ...
    server.stop()                                      # start() again works, same port

``BotApiServer`` is also a (sync or async) context manager; the test suite's ``botapi``
fixture (``tests/conftest.py``) gives each test a fresh one.

Lifecycle and addresses
    ``BotApiServer(token="123456:TEST-token", *, host="127.0.0.1", port=0,
    bot_username="eskertu_test_bot", bot_first_name="Eskertu Test", rate_limit=False,
    clock=time.time)`` (``clock`` dates the messages, in seconds since the epoch);
    ``start() -> BotApiServer``, ``stop()``, ``outage(seconds)`` (down now, back on the
    same port later, without blocking), ``running``, ``port``, ``token``, ``bot``
    (the bot's User dict), ``base_url`` ("http://127.0.0.1:PORT/bot"), ``base_file_url``.

Methods answered (names are case-insensitive, as on Telegram)
    getMe, getUpdates (offset, limit, timeout long poll, allowed_updates; a newer poll ends
    an older one with 409; 409 while a webhook is set), sendMessage, sendDocument,
    sendPhoto, editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage,
    answerCallbackQuery, sendChatAction, setMyCommands, getMyCommands, deleteMyCommands,
    setWebhook, deleteWebhook, getWebhookInfo, getChat, getChatMember,
    getChatAdministrators, getChatMemberCount, getFile; files download from
    ``base_file_url``. A wrong token answers 401 "Unauthorized", an unknown method 404
    "Not Found". Parameters may come as a URL-encoded form, multipart form, JSON body or
    query string.

Errors Telegram always gives (400 "Bad Request: ..." unless noted)
    "chat not found" (unknown chat; a known user without a private chat gets 403 "bot
    can't initiate conversation with a user"), "message text is empty", "message is too
    long" (over 4096 characters counted with ``len()`` after HTML tags are removed and
    entities decoded), "BUTTON_DATA_INVALID" (callback_data not 1-64 UTF-8 bytes),
    "can't parse entities: ..." (HTML with an unknown, unclosed or mismatched tag; the
    tags Telegram allows are parsed into entities), "message is not modified: ...",
    "message to edit not found", "message to be replied not found", "query is too old
    ...". Markdown parse modes are not interpreted.

Users, chats and injected updates (each returns the queued update dict)
    ``user(id, first_name=None, *, last_name, username, language_code) -> UserInfo``;
    ``private_chat(user) -> ChatInfo``; ``group(chat_id, title="Group", *, type="group",
    admins=(), creator=None, members=(), username=None) -> ChatInfo`` (creator defaults to
    the first admin); ``set_member_status(chat, user, status)``; ``migrate_group(chat,
    new_chat_id=None, *, announce=True) -> ChatInfo``; ``chat(chat_id)``.
    ``send_text(user, text, chat=None, reply_to=None)``, ``send_command(user, "/start x",
    chat=None)``, ``press_button(user, message, callback_data, *, check=True)``,
    ``send_document(user, file_name, content, mime_type=..., reply_to=None, caption=None,
    *, chat=None, file_size="actual")`` (``file_size`` another number, or None to leave
    the field out of the update and of getFile's answer), ``send_photo(user, content,
    reply_to=None, caption=None, *, chat=None)``,
    ``send_raw_update(update, *, keep_id=False)``, ``pending_updates()``.
    ``post_update_to(update, url=None, secret_token=None) -> int`` (and the async
    ``apost_update_to``) POSTs an update to a webhook with Telegram's secret header.
    Users and chats may be passed as ``UserInfo``/``ChatInfo`` or plain ids.

Recording
    ``calls(method=None, chat_id=None, since=None) -> list[Call]`` (``Call``: seq, method,
    params, chat_id, received, time, status, response, ok, result), ``mark() -> int`` for
    ``since=``, ``clear_calls()``, ``sent_messages(chat_id, since=None)`` (the bot's
    messages with edits applied), ``messages(chat_id, since=None, from_bot=None)``,
    ``answered_callback(query_id) -> dict | None``, ``revision`` (grows with every message
    stored, edited or deleted), ``commands(scope=None,
    language_code="")``, ``webhook_info()``, ``file(file_id) -> StoredFile | None``,
    ``file_reads() -> list[FileRead]`` (each download: the bytes sent before it ended; a
    file goes out in 64 KiB chunks, so a client that stops reading shows as incomplete),
    ``violations(*, attempts=False) -> Violations`` (see ``sandbox.botapi.limits``).

Faults (each returns the ``FaultRule``; ``faults.remove(rule)`` / ``faults.clear()``)
    ``fail_retry_after(retry_after=1, ...)`` 429, ``fail_blocked(chat_id, ...)`` and
    ``fail_kicked(chat_id, ...)`` 403, ``fail_server_error(status=502, ...)``,
    ``fail_with(status, description, ...)``, ``fail_timeout(delay, *, drop=False,
    takes_effect=True, ...)``, ``fail_unreadable(shape="truncated", ...)`` (carried out,
    answered 200 with a body that cannot be read), ``add_latency(seconds, ...)``; all take
    ``method=`` (a name or several), ``chat_id=``, ``times=`` and ``duration=`` (seconds).
    ``rate_limit = True`` makes the server answer 429 itself to sends breaking the limits
    in ``limits``.

Waiting (from any thread or event loop)
    ``await wait_for_call(method, predicate=None, timeout=5.0, since=None) -> Call``,
    ``await wait_for_message(chat_id, predicate=None, timeout=5.0, since=None) -> dict``,
    and ``wait_for_call_sync`` / ``wait_for_message_sync``; they raise ``TimeoutError``.
"""

from sandbox.botapi.errors import ApiError
from sandbox.botapi.faults import FaultPlan, FaultRule
from sandbox.botapi.limits import Violations, count_violations
from sandbox.botapi.model import Call, ChatInfo, FileRead, StoredFile, UserInfo
from sandbox.botapi.params import UploadedFile
from sandbox.botapi.server import DEFAULT_TOKEN, BotApiServer

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "BotApiServer",
    "Call",
    "ChatInfo",
    "FaultPlan",
    "FaultRule",
    "FileRead",
    "StoredFile",
    "UploadedFile",
    "UserInfo",
    "Violations",
    "count_violations",
]
