"""Hostile input sent through the local Bot API to the real bot: it answers, and never breaks.

For any text, command, button data or file, the bot answers (a message, or an answer to
the button), Telegram never refuses what it sends (an unescaped echo would be a 400 "can't
parse entities", an unbounded one a 400 "message is too long"), no update reaches the error
handler, and /help still answers at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram.ext import CommandHandler

from bot.handlers import build_handlers
from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.storage.tables import StatusUpdateRow
from tests.e2e.harness import delivered
from tests.security.strategies import LONG, arguments, callback_data, hostile_text
from tests.security.support import (
    BotThread,
    bot_thread,
    buttons,
    handler_errors,
    quiet,
    refused_calls,
    say,
)

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, OFFICER, STRANGER = 9101, 9102, 9103
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# /ics quotes an unknown agency code back in full; see test_ics_quotes_a_long_code_in_full.
COMMANDS = sorted(
    name
    for handler in build_handlers()
    if isinstance(handler, CommandHandler)
    for name in handler.commands
    if name != "ics"
)


class Watch:
    """What must hold after every input: answered, nothing refused, no handler error."""

    def __init__(self, server: BotApiServer, caplog: pytest.LogCaptureFixture) -> None:
        self.server = server
        self.caplog = caplog

    def check(self, mark: int, what: object) -> None:
        quiet(self.server)
        assert refused_calls(self.server, since=mark) == [], what
        errors = handler_errors(self.caplog.records)
        assert errors == [], (what, [e.exc_info for e in errors])

    def message(self, user: int, text: str, chat: int | None = None) -> dict[str, Any]:
        mark = self.server.mark()
        reply = say(self.server, user, text, chat=chat)
        self.check(mark, text[:100])
        return reply

    def still_alive(self, user: int) -> None:
        assert "/task" in self.message(user, "/help")["text"]


@pytest.fixture
def watched(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def test_any_text_and_any_command_gets_an_answer(
    botapi: BotApiServer, database_url: str, watched: pytest.LogCaptureFixture
) -> None:
    watch = Watch(botapi, watched)
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)):
        for user in (ADMIN, STRANGER):
            botapi.user(user, f"User {user}")
            botapi.private_chat(user)

        @EXAMPLES
        @given(text=hostile_text)
        def free_text(text: str) -> None:
            watch.message(STRANGER, text)

        @EXAMPLES
        @given(
            user=st.sampled_from([ADMIN, STRANGER]),
            command=st.sampled_from(COMMANDS),
            args=arguments,
        )
        def commands(user: int, command: str, args: str) -> None:
            watch.message(user, f"/{command} {args}".rstrip())

        free_text()
        commands()
        watch.still_alive(STRANGER)


# Each of these once reached the error handler or made Telegram refuse the answer.
ONCE_BROKEN = (
    "/task",
    "/task abc",
    "/task 99999999999999999999",
    "/task ²",
    "/done",
    "/done ٦",
    "/status 6 maybe",
    "/status ² done",
    "/invite",
    "/invite МСМ " + "r" * 10_000,
    "/broadcast",
    "/setdeadline 6",
    "/setdeadline ² 2016 ж., 15-ші шілдеге",
    "/members XYZ",
    "/tasks " + "<b>" * 3_000,
    "/audit ²",
    "/revoke 99999999999999999999",
    "/revoke 3000000000",
    "/promote 99999999999999999999",
    "/removemember МСМ 99999999999999999999",
    "/broadcast task ² hello",
    "/report xlsx zz",
)
ONCE_BROKEN_BUTTONS = (
    "undo:99999999999999999999",
    "undo:3000000000",
    "st:3000000000:d",
    "cl:99999999999999999999:p:0",
    "ack:3000000000",
    "bc:go:3000000000",
    "tasks:all:²",
    "sub:t:²",
    "unsub:t:²",
)


def test_the_inputs_that_once_broke_the_bot(
    botapi: BotApiServer, database_url: str, watched: pytest.LogCaptureFixture
) -> None:
    watch = Watch(botapi, watched)
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)):
        for user in (ADMIN, STRANGER):
            botapi.user(user, f"User {user}")
            for text in ONCE_BROKEN:
                watch.message(user, text)
            under = watch.message(user, "/help")
            for data in ONCE_BROKEN_BUTTONS:
                mark = botapi.mark()
                botapi.press_button(user, under, data, check=False)
                botapi.wait_for_call_sync("answerCallbackQuery", since=mark)
                watch.check(mark, data)
        watch.still_alive(STRANGER)


def test_ics_answers_a_long_unknown_code(
    botapi: BotApiServer, database_url: str, watched: pytest.LogCaptureFixture
) -> None:
    watch = Watch(botapi, watched)
    with bot_thread(botapi, database_url):
        botapi.user(STRANGER, "Stranger")
        watch.message(STRANGER, "/ics " + LONG[0])


def test_forged_button_data_is_answered(
    botapi: BotApiServer, database_url: str, watched: pytest.LogCaptureFixture
) -> None:
    watch = Watch(botapi, watched)
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)):
        for user in (ADMIN, STRANGER):
            botapi.user(user, f"User {user}")
        under = {user: watch.message(user, "/tasks") for user in (ADMIN, STRANGER)}

        @EXAMPLES
        @given(user=st.sampled_from([ADMIN, STRANGER]), data=callback_data)
        def press(user: int, data: str) -> None:
            mark = botapi.mark()
            query = botapi.press_button(user, under[user], data, check=False)
            query_id = query["callback_query"]["id"]
            botapi.wait_for_call_sync(
                "answerCallbackQuery",
                lambda call: call.params.get("callback_query_id") == query_id,
                since=mark,
            )
            watch.check(mark, data)

        press()
        # The same page twice: Telegram refuses an edit that changes nothing.
        for _ in range(2):
            mark = botapi.mark()
            botapi.press_button(STRANGER, under[STRANGER], "tasks:all:1", check=False)
            botapi.wait_for_call_sync("answerCallbackQuery", since=mark)
            watch.check(mark, "tasks:all:1")
        watch.still_alive(STRANGER)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


FILES = [
    ("empty.json", b"", "application/json"),
    ("binary.json", bytes(range(256)) * 4, "application/json"),
    ("plan.json", b"{" + b" " * (3 * 1024 * 1024) + b"}", "application/json"),
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 1024, "application/x-msdownload"),
    ("no-extension", b"{}", "application/octet-stream"),
    ("<b>plan</b>.json", b"{}", "application/json"),
]


def test_odd_documents_and_photos_are_answered(
    botapi: BotApiServer, database_url: str, watched: pytest.LogCaptureFixture
) -> None:
    watch = Watch(botapi, watched)
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)) as runner:
        version = runner.bot.svc.core.plans.version
        for user in (ADMIN, STRANGER):
            botapi.user(user, f"User {user}")
            for name, content, mime in FILES:
                mark = botapi.mark()
                botapi.send_document(user, name, content, mime)
                answer = botapi.wait_for_message_sync(user, since=mark)
                watch.check(mark, name)
                if user == ADMIN and name == "plan.json":
                    assert "2097152" in answer["text"]
                if user == STRANGER:
                    assert "тек әкімшілерге" in answer["text"] or name != "plan.json"
            mark = botapi.mark()
            botapi.send_photo(user, _png(), caption="<b>" * 10)
            botapi.wait_for_message_sync(user, since=mark)
            watch.check(mark, "photo")

        @settings(EXAMPLES, max_examples=15)
        @given(content=st.binary(max_size=3000))
        def any_bytes_as_a_plan(content: bytes) -> None:
            mark = botapi.mark()
            botapi.send_document(ADMIN, "plan.json", content, "application/json")
            answer = botapi.wait_for_message_sync(ADMIN, since=mark)
            watch.check(mark, content[:40])
            assert "•" in answer["text"]  # a list of problems: refused

        any_bytes_as_a_plan()
        assert runner.bot.svc.core.plans.version == version
        watch.still_alive(ADMIN)


def _join(runner: BotThread, watch: Watch, user: int, agency: str) -> None:
    server = runner.server
    reply = watch.message(ADMIN, f"/invite {agency} officer")
    token = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert token is not None
    server.user(user, f"Officer {user}")
    watch.message(user, f"/start {token.group(1)}")
    menu = watch.message(user, "/subscribe")
    mark = server.mark()
    server.press_button(user, menu, f"sub:a:{agency}")
    server.wait_for_call_sync("editMessageText", since=mark)
    watch.check(mark, "subscribe")


def _reminder(runner: BotThread, clock: FakeClock, chat: int) -> dict[str, Any]:
    server = runner.server
    clock.set(dt.datetime(2016, 6, 30, 9, 0, 30, tzinfo=ALMATY))
    mark = server.mark()
    runner.run(run_tick(runner.bot.svc))
    runner.run(delivered(runner.bot))
    return server.wait_for_message_sync(
        chat, lambda m: "№6" in m.get("text", "") and "st:" in str(buttons(m)), since=mark
    )


async def _latest_status(runner: BotThread) -> StatusUpdateRow:
    async with runner.bot.svc.db.unit_of_work() as uow:
        row = await uow.session.scalar(
            select(StatusUpdateRow).order_by(StatusUpdateRow.id.desc()).limit(1)
        )
    assert row is not None
    return row


def test_a_status_reply_is_stored_exactly_as_written(
    botapi: BotApiServer, database_url: str, watched: pytest.LogCaptureFixture
) -> None:
    watch = Watch(botapi, watched)
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    with bot_thread(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as runner:
        botapi.user(ADMIN, "Admin")
        _join(runner, watch, OFFICER, "МСМ")
        reminder = _reminder(runner, clock, OFFICER)

        @EXAMPLES
        @given(text=hostile_text.filter(lambda t: not t.lstrip().startswith("/")))
        def reply(text: str) -> None:
            mark = botapi.mark()
            botapi.send_text(OFFICER, text, reply_to=reminder)
            answer = botapi.wait_for_message_sync(OFFICER, since=mark)
            watch.check(mark, text[:100])
            choices = [b for b in buttons(answer) if b.startswith("cl:")]
            if choices:
                # The bot could not tell the status and asked; the answer keeps the words.
                mark = botapi.mark()
                botapi.press_button(OFFICER, answer, choices[0])
                botapi.wait_for_message_sync(
                    OFFICER, lambda m: "undo:" in str(buttons(m)), since=mark
                )
                watch.check(mark, choices[0])
            else:
                assert "undo:" in str(buttons(answer)), answer["text"]
            stored = runner.run(_latest_status(runner))
            # Every character as written, but NUL, which PostgreSQL's text cannot hold.
            assert stored.text == text.replace("\x00", "\ufffd")
            assert stored.user_id == OFFICER and stored.agency == "МСМ"

        reply()
        # Markup, SQL and control characters, certainly among the examples, said outright.
        for text in (
            "<b>орындалды</b> & '; DROP TABLE status_updates; --",
            "орындалды\x00\x1b[31m",
        ):
            mark = botapi.mark()
            botapi.send_text(OFFICER, text, reply_to=reminder)
            botapi.wait_for_message_sync(OFFICER, lambda m: "undo:" in str(buttons(m)), since=mark)
            watch.check(mark, text)
            assert runner.run(_latest_status(runner)).text == text.replace("\x00", "\ufffd")
        watch.still_alive(OFFICER)
