"""The fake Bot API server, driven by python-telegram-bot's own client over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import threading
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from sandbox.botapi import BotApiServer, UploadedFile, count_violations
from sandbox.botapi.formatting import parse_html

USER_ID = 4201
GROUP_ID = -3301


def _request(read_timeout: float | None = 5.0) -> HTTPXRequest:
    # Plain HTTP only: skipping certificate loading makes a client ~50 times cheaper to build.
    return HTTPXRequest(read_timeout=read_timeout, httpx_kwargs={"verify": False})


def _bot(server: BotApiServer, read_timeout: float | None = 5.0) -> Bot:
    return Bot(
        server.token,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
        request=_request(read_timeout),
        get_updates_request=_request(),
    )


@pytest.fixture
async def bot(botapi: BotApiServer) -> AsyncIterator[Bot]:
    async with _bot(botapi) as client:
        yield client


@pytest.fixture
def user_chat(botapi: BotApiServer) -> int:
    botapi.private_chat(botapi.user(USER_ID, "Айгүл", language_code="kk"))
    return USER_ID


def _keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"b{i}", callback_data=d)] for i, d in enumerate(data)]
    )


# -- identity and plain HTTP ---------------------------------------------------------------


async def test_get_me_describes_the_bot(bot: Bot, botapi: BotApiServer) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "eskertu_test_bot"
    assert me.can_join_groups is True
    assert botapi.calls("getMe")[0].status == 200


async def test_wrong_token_unknown_method_and_other_encodings(
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    async with httpx.AsyncClient() as client:
        wrong = await client.post(botapi.base_url + "999:nope/getMe")
        assert wrong.status_code == 401
        assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}

        unknown = await client.post(f"{botapi.base_url}{botapi.token}/sendTelepathy")
        assert unknown.status_code == 404
        assert unknown.json()["description"] == "Not Found"

        by_json = await client.post(
            f"{botapi.base_url}{botapi.token}/sendMessage",
            json={"chat_id": user_chat, "text": "123", "reply_markup": {"inline_keyboard": []}},
        )
        by_query = await client.get(
            f"{botapi.base_url}{botapi.token}/SENDMESSAGE",
            params={"chat_id": str(user_chat), "text": "456"},
        )
    assert by_json.json()["result"]["text"] == "123"
    assert by_query.json()["result"]["message_id"] == 2
    assert [c.method for c in botapi.calls(chat_id=user_chat)] == ["sendMessage"] * 2
    request = _request()
    try:
        with pytest.raises(InvalidToken):
            await Bot("999:nope", base_url=botapi.base_url, request=request).get_me()
    finally:
        await request.shutdown()


# -- sending and recording -----------------------------------------------------------------


async def test_send_message_returns_a_message_and_is_recorded(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    first = await bot.send_message(
        user_chat, "Мерзім: <b>ертең</b>", parse_mode="HTML", reply_markup=_keyboard("done:1")
    )
    second = await bot.send_message(
        user_chat, "123", reply_parameters=ReplyParameters(first.message_id)
    )

    assert (first.message_id, second.message_id) == (1, 2)
    assert first.text == "Мерзім: ертең"
    assert first.parse_entity(first.entities[0]) == "ертең"
    assert first.from_user is not None and first.from_user.id == 123456
    assert first.reply_markup == _keyboard("done:1")
    assert second.text == "123"
    assert second.reply_to_message is not None
    assert second.reply_to_message.message_id == 1

    call = botapi.calls("sendMessage", chat_id=user_chat)[0]
    assert call.params["chat_id"] == user_chat
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "b0", "callback_data": "done:1"}]]
    }
    assert call.ok and call.result["message_id"] == 1
    assert [m["text"] for m in botapi.sent_messages(user_chat)] == ["Мерзім: ертең", "123"]
    botapi.clear_calls()
    assert botapi.calls() == []


async def test_edits_apply_and_unchanged_edits_are_refused(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    sent = await bot.send_message(user_chat, "v1", reply_markup=_keyboard("a"))
    edited = await bot.edit_message_text(
        "v2", user_chat, sent.message_id, reply_markup=_keyboard("a")
    )
    assert isinstance(edited, Message)
    assert edited.text == "v2" and edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("v2", user_chat, sent.message_id, reply_markup=_keyboard("a"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(user_chat, sent.message_id, reply_markup=_keyboard("a"))
    await bot.edit_message_reply_markup(user_chat, sent.message_id, reply_markup=None)
    [current] = botapi.sent_messages(user_chat)
    assert current["text"] == "v2"
    assert "reply_markup" not in current
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", user_chat, 99)


async def test_document_upload_is_stored_and_downloadable(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    content = "Есеп\n".encode() + bytes(range(256))
    message = await bot.send_document(user_chat, content, filename="есеп.csv", caption="Апта")

    call = botapi.calls("sendDocument")[0]
    upload = call.params["document"]
    assert isinstance(upload, UploadedFile)
    assert upload.filename == "есеп.csv"
    assert upload.content == content
    assert message.document is not None
    assert message.document.file_name == "есеп.csv"
    assert message.document.file_size == len(content)
    assert message.caption == "Апта"
    stored = botapi.file(message.document.file_id)
    assert stored is not None and stored.content == content

    remote = await bot.get_file(message.document.file_id)
    assert bytes(await remote.download_as_bytearray()) == content
    again = await bot.send_document(user_chat, message.document.file_id)
    assert again.document is not None
    assert again.document.file_unique_id == message.document.file_unique_id


async def test_photo_upload_gives_photo_sizes(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + (640).to_bytes(4, "big")
        + (480).to_bytes(4, "big")
        + b"\x08\x02\x00\x00\x00"
    )
    message = await bot.send_photo(user_chat, png)
    assert [(p.width, p.height) for p in message.photo] == [(90, 68), (640, 480)]
    assert len({p.file_id for p in message.photo}) == 2


# -- updates -------------------------------------------------------------------------------


async def test_get_updates_confirms_with_offset(bot: Bot, botapi: BotApiServer) -> None:
    first = botapi.send_text(USER_ID, "сәлем")
    second = botapi.send_command(USER_ID, "/start invite_42")

    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
    command = updates[1].message
    assert command is not None and command.text == "/start invite_42"
    assert command.entities[0].type == "bot_command"
    assert command.parse_entity(command.entities[0]) == "/start"

    again = await bot.get_updates(offset=updates[0].update_id + 1)
    assert [u.update_id for u in again] == [second["update_id"]]
    assert await bot.get_updates(offset=updates[1].update_id + 1) == ()
    assert botapi.pending_updates() == []


async def test_long_poll_returns_when_an_update_arrives(
    bot: Bot,
    botapi: BotApiServer,
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.2)
    assert not poll.done()
    injector = threading.Thread(target=botapi.send_text, args=(USER_ID, "late"))
    injector.start()
    injector.join()
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates if u.message] == ["late"]
    assert time.monotonic() - started < 1.5


async def test_calls_since_a_mark_leave_out_a_poll_begun_before_it_and_survive_a_clear(
    bot: Bot, botapi: BotApiServer, user_chat: int
) -> None:
    await bot.send_message(user_chat, "before the mark")
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.2)
    mark = botapi.mark()
    await bot.send_message(user_chat, "after the mark")
    injector = threading.Thread(target=botapi.send_text, args=(user_chat, "ends the poll"))
    injector.start()
    injector.join()
    await asyncio.wait_for(poll, 2)
    # The poll finished after the mark, but was numbered before it.
    assert [c.method for c in botapi.calls(since=mark)] == ["sendMessage"]
    assert [c.params["text"] for c in botapi.calls(method="sendMessage", since=mark)] == [
        "after the mark"
    ]
    assert botapi.calls(since=botapi.mark()) == []
    botapi.clear_calls()
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.2)
    after_clear = botapi.mark()
    await bot.send_message(user_chat, "after the clear")
    assert [c.params["text"] for c in botapi.calls(since=after_clear)] == ["after the clear"]
    poll.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await poll


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2


async def test_a_newer_poll_ends_the_older_with_conflict(botapi: BotApiServer) -> None:
    async with _bot(botapi) as first, _bot(botapi) as second:
        older = asyncio.create_task(first.get_updates(timeout=3))
        await asyncio.sleep(0.1)
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await asyncio.wait_for(older, 2)


async def test_button_press_and_callback_answer(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    sent = await bot.send_message(user_chat, "Дайын ба?", reply_markup=_keyboard("yes", "no"))
    [message] = botapi.sent_messages(user_chat)
    with pytest.raises(ValueError, match="no button"):
        botapi.press_button(user_chat, message, "maybe")
    pressed = botapi.press_button(user_chat, message, "yes")

    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "yes"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.id == pressed["callback_query"]["id"]
    assert botapi.answered_callback(query.id) is None
    await bot.answer_callback_query(query.id, text="Қабылданды")
    assert botapi.answered_callback(query.id) == {"text": "Қабылданды"}
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.id)


async def test_webhook_settings_and_delivery(bot: Bot, botapi: BotApiServer) -> None:
    received: list[tuple[bytes, bytes]] = []

    async def receiver(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        received.append((head, await reader.readexactly(length)))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    hook = await asyncio.start_server(receiver, "127.0.0.1", 0)
    port = hook.sockets[0].getsockname()[1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        info = await bot.get_webhook_info()
        assert info.url == f"http://127.0.0.1:{port}/hook"
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        update = botapi.send_text(USER_ID, "via hook")
        assert await botapi.apost_update_to(update) == 200
    finally:
        hook.close()
        await hook.wait_closed()
    head, body = received[0]
    assert b"x-telegram-bot-api-secret-token: s3cret" in head.lower()
    assert Update.de_json(httpx.Response(200, content=body).json(), bot).message is not None
    await bot.delete_webhook()
    assert botapi.webhook_info()["url"] == ""
    assert len(await bot.get_updates()) == 1


async def test_injected_files_reach_the_bot(bot: Bot, botapi: BotApiServer) -> None:
    content = b"%PDF-1.4 fake"
    botapi.send_document(USER_ID, "жоспар.pdf", content, "application/pdf", caption="Жоспар")
    botapi.send_photo(USER_ID, b"\xff\xd8\xff\xc0\x00\x11\x08\x01\x00\x02\x00")

    document_update, photo_update = await bot.get_updates()
    message = document_update.message
    assert message is not None and message.document is not None
    assert (message.document.file_name, message.document.mime_type) == (
        "жоспар.pdf",
        "application/pdf",
    )
    assert message.caption == "Жоспар"
    remote = await bot.get_file(message.document.file_id)
    assert bytes(await remote.download_as_bytearray()) == content
    assert photo_update.message is not None
    assert photo_update.message.photo[-1].width == 512
    assert photo_update.message.photo[-1].height == 256


async def test_raw_updates_pass_unchanged(botapi: BotApiServer) -> None:
    hostile = {"message": {"message_id": "x", "text": ["not", "text"]}, "update_id": 999}
    first = botapi.send_raw_update(hostile)
    kept = botapi.send_raw_update({"update_id": 5000, "poll": {}}, keep_id=True)
    following = botapi.send_text(USER_ID, "after")
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{botapi.base_url}{botapi.token}/getUpdates")
    updates = response.json()["result"]
    assert updates[0] == {**hostile, "update_id": first["update_id"]}
    assert [u["update_id"] for u in updates] == [first["update_id"], 5000, 5001]
    assert kept["update_id"] == 5000 and following["update_id"] == 5001


async def test_delete_message(bot: Bot, botapi: BotApiServer, user_chat: int) -> None:
    sent = await bot.send_message(user_chat, "soon gone")
    await bot.delete_message(user_chat, sent.message_id)
    assert botapi.sent_messages(user_chat) == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(user_chat, sent.message_id)
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(user_chat, "dancing")


async def test_revision_grows_with_each_change_and_only_then(
    bot: Bot, botapi: BotApiServer, user_chat: int
) -> None:
    start = botapi.revision
    botapi.send_text(user_chat, "hello")
    assert botapi.revision == start + 1
    sent = await bot.send_message(user_chat, "v1")
    assert botapi.revision == start + 2
    await bot.edit_message_text("v2", user_chat, sent.message_id)
    assert botapi.revision == start + 3
    with pytest.raises(BadRequest):
        await bot.edit_message_text("v2", user_chat, sent.message_id)
    await bot.get_me()
    assert botapi.revision == start + 3
    await bot.delete_message(user_chat, sent.message_id)
    assert botapi.revision == start + 4


async def test_messages_are_dated_by_the_servers_clock() -> None:
    moment = dtm.datetime(2016, 6, 1, 3, 0, tzinfo=dtm.UTC).timestamp()
    with BotApiServer(clock=lambda: moment) as server:
        server.private_chat(server.user(USER_ID, "Айгүл"))
        injected = server.send_text(USER_ID, "hello")
        assert injected["message"]["date"] == int(moment)
        async with _bot(server) as client:
            sent = await client.send_message(USER_ID, "v1")
            edited = await client.edit_message_text("v2", USER_ID, sent.message_id)
        assert sent.date == dtm.datetime(2016, 6, 1, 3, 0, tzinfo=dtm.UTC)
        assert isinstance(edited, Message) and edited.edit_date == sent.date


# -- chats and members ---------------------------------------------------------------------


async def test_group_admins_and_members(bot: Bot, botapi: BotApiServer) -> None:
    botapi.group(GROUP_ID, "Жоба тобы", admins=[701, 702])
    botapi.send_text(703, "мен мүшемін", chat=GROUP_ID)

    assert (await bot.get_chat_member(GROUP_ID, 701)).status == "creator"
    assert (await bot.get_chat_member(GROUP_ID, 702)).status == "administrator"
    assert (await bot.get_chat_member(GROUP_ID, 703)).status == "member"
    botapi.user(704)
    assert (await bot.get_chat_member(GROUP_ID, 704)).status == "left"
    admins = await bot.get_chat_administrators(GROUP_ID)
    assert [(m.user.id, m.status) for m in admins] == [(701, "creator"), (702, "administrator")]
    chat = await bot.get_chat(GROUP_ID)
    assert (chat.type, chat.title) == ("group", "Жоба тобы")
    with pytest.raises(BadRequest, match="User not found"):
        await bot.get_chat_member(GROUP_ID, 999)


async def test_set_my_commands_per_language_and_scope(
    bot: Bot,
    botapi: BotApiServer,
) -> None:
    botapi.group(GROUP_ID, "G", admins=[701])
    kazakh = [BotCommand("start", "Бастау"), BotCommand("tasks", "Тапсырмалар")]
    russian = [BotCommand("start", "Начать")]
    await bot.set_my_commands(kazakh, language_code="kk")
    await bot.set_my_commands(russian, language_code="ru")
    await bot.set_my_commands([BotCommand("report", "Есеп")], scope=BotCommandScopeChat(GROUP_ID))

    assert await bot.get_my_commands(language_code="kk") == tuple(kazakh)
    assert await bot.get_my_commands(language_code="ru") == tuple(russian)
    assert await bot.get_my_commands() == ()
    assert botapi.commands({"type": "chat", "chat_id": GROUP_ID}) == [
        {"command": "report", "description": "Есеп"}
    ]
    await bot.delete_my_commands(language_code="ru")
    assert botapi.commands(language_code="ru") == []
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start!", "x")])


# -- errors Telegram always gives ----------------------------------------------------------


async def test_unknown_chat_and_unstarted_user(bot: Bot, botapi: BotApiServer) -> None:
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(777, "hello")
    botapi.user(778)
    with pytest.raises(Forbidden, match="bot can't initiate conversation"):
        await bot.send_message(778, "hello")


async def test_text_length_limits(bot: Bot, botapi: BotApiServer, user_chat: int) -> None:
    await bot.send_message(user_chat, "ә" * 4096)
    await bot.send_message(user_chat, "<b>" + "ә" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(user_chat, "ә" * 4097)
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(user_chat, "")
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(user_chat, "<i> </i>", parse_mode="HTML")
    assert len(botapi.sent_messages(user_chat)) == 2


async def test_callback_data_limit(bot: Bot, botapi: BotApiServer, user_chat: int) -> None:
    await bot.send_message(user_chat, "ok", reply_markup=_keyboard("я" * 32))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(user_chat, "too long", reply_markup=_keyboard("ok", "я" * 33))
    assert botapi.calls("sendMessage")[-1].response == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: BUTTON_DATA_INVALID",
    }


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("1 < 2", "Unclosed start tag at byte offset 2"),
        ('<span class="big">x</span>', 'Unsupported start tag "span"'),
    ],
)
async def test_invalid_html_is_refused(
    bot: Bot,
    user_chat: int,
    html: str,
    detail: str,
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(user_chat, html, parse_mode="HTML")
    assert caught.value.message.startswith("Can't parse entities: ")
    assert detail.lower() in caught.value.message.lower()


def test_html_parsing_gives_entities_in_utf16_units() -> None:
    text, entities = parse_html(
        '😀 <b>Сәлем</b> &lt;<a href="https://e.kz?a=1&amp;b=2">сілтеме</a>&gt; '
        '<pre><code class="language-python">x</code></pre><span class="tg-spoiler">s</span>'
    )
    assert text == "😀 Сәлем <сілтеме> xs"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "text_link", "offset": 10, "length": 7, "url": "https://e.kz?a=1&b=2"},
        {"type": "pre", "offset": 19, "length": 1, "language": "python"},
        {"type": "spoiler", "offset": 20, "length": 1},
    ]


# -- injected faults -----------------------------------------------------------------------


async def test_retry_after_fault(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without it PTB warns (an error under filterwarnings) when building RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    rule = botapi.fail_retry_after(7, method="sendMessage", chat_id=user_chat, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(user_chat, "x")
        assert caught.value.retry_after == dtm.timedelta(seconds=7)
    await bot.send_message(user_chat, "через")
    assert rule.hits == 2
    assert [c.status for c in botapi.calls("sendMessage")] == [429, 429, 200]
    assert botapi.calls("sendMessage")[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }


async def test_forbidden_faults(bot: Bot, botapi: BotApiServer, user_chat: int) -> None:
    botapi.group(GROUP_ID, "G", admins=[701])
    blocked = botapi.fail_blocked(user_chat)
    botapi.fail_kicked(GROUP_ID)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(user_chat, "x")
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was kicked from the group chat$"):
        await bot.send_message(GROUP_ID, "x")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(user_chat, "typing")
    botapi.faults.remove(blocked)
    await bot.send_message(user_chat, "unblocked")


async def test_group_migration(bot: Bot, botapi: BotApiServer) -> None:
    botapi.group(GROUP_ID, "Ескі топ", admins=[701])
    new_chat = botapi.migrate_group(GROUP_ID)
    assert new_chat.id == -1000000003301 and new_chat.type == "supergroup"
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(GROUP_ID, "x")
    assert caught.value.new_chat_id == new_chat.id
    moved = await bot.send_message(caught.value.new_chat_id, "жаңа")
    assert moved.chat.type == "supergroup" and moved.chat.title == "Ескі топ"
    assert (await bot.get_chat_member(new_chat.id, 701)).status == "creator"
    service = [u.message for u in await bot.get_updates() if u.message]
    assert [(m.migrate_to_chat_id, m.migrate_from_chat_id) for m in service] == [
        (new_chat.id, None),
        (None, GROUP_ID),
    ]


@pytest.mark.parametrize("status", [500, 502])
async def test_server_error_fault(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
    status: int,
) -> None:
    botapi.fail_server_error(status, method="sendMessage")
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(user_chat, "x")
    assert not isinstance(caught.value, TimedOut)
    assert botapi.calls("sendMessage")[0].status == status
    assert (await bot.send_message(user_chat, "y")).text == "y"


async def test_timeout_fault_keeps_the_effect(
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    botapi.fail_timeout(1.0, method="sendMessage")
    async with _bot(botapi, read_timeout=0.2) as impatient:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await impatient.send_message(user_chat, "maybe sent")
        assert time.monotonic() - started < 0.8
        # The message went out although its answer never came: the duplicate-send case.
        assert [m["text"] for m in botapi.sent_messages(user_chat)] == ["maybe sent"]
        call = await botapi.wait_for_call("sendMessage", timeout=2)
        assert call.status is None
        await impatient.send_message(user_chat, "next")


async def test_dropped_connection_fault(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
) -> None:
    botapi.fail_timeout(0, drop=True, takes_effect=False, method="sendMessage")
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(user_chat, "lost")
    assert not isinstance(caught.value, TimedOut)
    assert botapi.sent_messages(user_chat) == []


@pytest.mark.parametrize("shape", ["truncated", "no_result", "bad_result"])
async def test_unreadable_fault_carries_the_call_out(
    botapi: BotApiServer, user_chat: int, shape: str
) -> None:
    botapi.fail_unreadable(shape, method="sendMessage")
    url = f"{botapi.base_url}{botapi.token}/sendMessage"
    async with httpx.AsyncClient() as client:
        first = await client.post(url, json={"chat_id": user_chat, "text": "кім оқиды"})
        second = await client.post(url, json={"chat_id": user_chat, "text": "келесі"})
    assert first.status_code == 200
    body = first.content.decode()
    if shape == "truncated":
        assert body.startswith('{"ok": true, "result": {"message_id": 1')
        assert not body.endswith("}")
    else:
        assert isinstance(first.json(), dict) and first.json()["ok"] is True
        assert first.json().get("result") in (None, "sent")
    # The message was sent, and the call is recorded with the answer it would have had.
    assert [m["text"] for m in botapi.sent_messages(user_chat)] == ["кім оқиды", "келесі"]
    call = botapi.calls("sendMessage")[0]
    assert call.ok and call.result["message_id"] == 1
    assert second.json()["result"]["message_id"] == 2


async def test_a_document_may_state_a_wrong_size_or_none(
    bot: Bot, botapi: BotApiServer, user_chat: int
) -> None:
    content = b"x" * 300_000
    for declared in (None, 10):
        update = botapi.send_document(user_chat, "plan.json", content, file_size=declared)
        document = update["message"]["document"]
        assert document.get("file_size") == declared
        remote = await bot.get_file(document["file_id"])
        assert remote.file_size == declared
        assert bytes(await remote.download_as_bytearray()) == content
    reads = botapi.file_reads()
    assert [(r.size, r.sent, r.complete) for r in reads] == [(300_000, 300_000, True)] * 2


async def test_latency_is_added(bot: Bot, botapi: BotApiServer, user_chat: int) -> None:
    botapi.add_latency(0.3, method="sendChatAction", times=1)
    started = time.monotonic()
    await bot.send_chat_action(user_chat, "typing")
    assert time.monotonic() - started >= 0.3
    call = botapi.calls("sendChatAction")[0]
    assert call.time - call.received >= 0.3
    started = time.monotonic()
    await bot.send_chat_action(user_chat, "typing")
    assert time.monotonic() - started < 0.25


# -- limits --------------------------------------------------------------------------------


def test_violations_count_each_limit() -> None:
    steady = [(i * 1.0, 1) for i in range(5)]
    assert count_violations(steady).count == 0
    same_chat_burst = [(0.0, 1), (0.5, 1), (0.99, 1), (2.0, 1)]
    assert count_violations(same_chat_burst).per_chat == 2
    fan_out = [(i / 40, 100 + i) for i in range(40)]
    assert count_violations(fan_out).total_rate == 10
    group = [(i * 1.5, -5) for i in range(25)]
    result = count_violations(group)
    assert (result.per_group, result.per_chat, result.total_rate) == (5, 0, 0)


async def test_violations_of_a_real_burst(bot: Bot, botapi: BotApiServer) -> None:
    for chat_id in range(1, 4):
        botapi.private_chat(botapi.user(chat_id))
    await asyncio.gather(*(bot.send_message(1, f"m{i}") for i in range(3)))
    await bot.send_message(2, "once")
    await bot.edit_message_text("edited", 2, 1)
    found = botapi.violations()
    assert (found.per_chat, found.total_rate, found.per_group, found.sends) == (2, 0, 0, 4)


async def test_rate_enforcer_answers_429(
    bot: Bot,
    botapi: BotApiServer,
    user_chat: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    botapi.rate_limit = True
    await bot.send_message(user_chat, "first")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(user_chat, "second")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert botapi.violations().count == 0
    assert botapi.violations(attempts=True).per_chat == 1


# -- lifecycle -----------------------------------------------------------------------------


async def test_stop_and_start_on_the_same_port(botapi: BotApiServer, user_chat: int) -> None:
    url = botapi.base_url
    async with _bot(botapi, read_timeout=1) as client:
        await client.send_message(user_chat, "before")
        botapi.stop()
        assert not botapi.running
        with pytest.raises(NetworkError):
            await client.send_message(user_chat, "while down")
        botapi.start()
        assert botapi.base_url == url
        after = await client.send_message(user_chat, "after")
    assert after.message_id == 2
    assert [m["text"] for m in botapi.sent_messages(user_chat)] == ["before", "after"]


async def test_outage_comes_back_on_its_own(botapi: BotApiServer, user_chat: int) -> None:
    async with _bot(botapi, read_timeout=1) as client:
        botapi.outage(0.3)
        with pytest.raises(NetworkError):
            await client.send_message(user_chat, "while down")
        await asyncio.sleep(0.5)
        assert botapi.running
        assert (await client.send_message(user_chat, "back")).text == "back"


def test_context_manager_and_fixed_port() -> None:
    with BotApiServer() as first:
        port = first.port
    with BotApiServer(port=port) as second:
        response = httpx.post(f"{second.base_url}{second.token}/getMe")
        assert response.json()["result"]["username"] == "eskertu_test_bot"
        assert second.port == port


# -- a whole application -------------------------------------------------------------------


async def test_application_answers_start_through_polling(botapi: BotApiServer) -> None:
    botapi.group(GROUP_ID, "Топ", admins=[701])

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(" ".join(["Сәлем!", *(context.args or [])]))

    app = ApplicationBuilder().token(botapi.token).base_url(botapi.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            mark = botapi.mark()
            botapi.send_command(USER_ID, "/start invite_42")
            reply = await botapi.wait_for_message(USER_ID, since=mark)
            in_group_request = botapi.send_command(701, "/start@eskertu_test_bot", chat=GROUP_ID)
            in_group = await botapi.wait_for_message(GROUP_ID)
        finally:
            await app.updater.stop()
            await app.stop()
    assert reply["text"] == "Сәлем! invite_42"
    assert "reply_to_message" not in reply  # PTB quotes only outside private chats
    assert in_group["text"] == "Сәлем!"
    quoted = in_group["reply_to_message"]["message_id"]
    assert quoted == in_group_request["message"]["message_id"]
    assert botapi.pending_updates() == []
