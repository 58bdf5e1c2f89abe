"""The PTB sender against the local Bot API: each Telegram answer becomes the right outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest
from telegram.error import RetryAfter as PtbRetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.delivery.telegram_sender import TelegramSender, retry_after_seconds, scrub
from scheduler.delivery.outcomes import (
    Blocked,
    Migrated,
    Rejected,
    RetryAfter,
    Sent,
    Transient,
)
from scheduler.presentation import Button, Rendered
from tests.delivery.botapi_support import TOKEN, bot_on_server

USER = 5001
TEXT = "<b>Мерзімі жақындады</b>: 2025 жылғы 15 наурыз — https://egov.kz"


async def test_sends_html_with_buttons_and_no_link_preview() -> None:
    async with bot_on_server() as (server, bot):
        server.private_chat(USER)
        buttons = ((Button("Орындалды", "done:12"), Button("Кейін", "later:12")),)
        outcome = await TelegramSender(bot).send(USER, Rendered(TEXT, buttons))
        assert isinstance(outcome, Sent)
        (stored,) = server.sent_messages(USER)
        assert stored["message_id"] == outcome.message_id
        assert stored["text"].startswith("Мерзімі жақындады: 2025 жылғы 15 наурыз")
        assert stored["entities"][0]["type"] == "bold"
        keyboard = stored["reply_markup"]["inline_keyboard"]
        assert [b["callback_data"] for b in keyboard[0]] == ["done:12", "later:12"]
        (call,) = server.calls(method="sendMessage")
        assert call.params["parse_mode"] == "HTML"
        assert call.params["link_preview_options"]["is_disabled"] is True


async def test_answers_become_outcomes(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns when it builds a RetryAfter unless this opt-in is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with bot_on_server(read_timeout=0.3) as (server, bot):
        sender = TelegramSender(bot)
        message = Rendered("Ескерту")
        server.private_chat(USER)
        server.group(-40, "Топ")
        new_group = server.migrate_group(-40, announce=False)

        server.fail_retry_after(3, chat_id=USER)
        assert await sender.send(USER, message) == RetryAfter(3.0)

        server.fail_blocked(USER, times=1)
        blocked = await sender.send(USER, message)
        assert isinstance(blocked, Blocked)
        assert "blocked by the user" in blocked.description.lower()

        assert await sender.send(-40, message) == Migrated(new_group.id)

        server.fail_server_error(502, chat_id=USER)
        assert isinstance(await sender.send(USER, message), Transient)
        server.fail_server_error(500, chat_id=USER)
        assert isinstance(await sender.send(USER, message), Transient)

        server.fail_timeout(1.0, takes_effect=False, chat_id=USER)
        timed_out = await sender.send(USER, message)
        assert isinstance(timed_out, Transient)
        assert "TimedOut" in timed_out.description

        missing = await sender.send(987654, message)
        assert isinstance(missing, Rejected)
        assert "chat not found" in missing.description.lower()

        too_long = await sender.send(USER, Rendered("ә" * 4097))
        assert isinstance(too_long, Rejected)
        assert "too long" in too_long.description.lower()

        assert isinstance(await sender.send(USER, message), Sent)
        assert len(server.sent_messages(USER)) == 1


async def test_error_texts_never_carry_the_token() -> None:
    async with bot_on_server() as (server, bot):
        server.private_chat(USER)
        leak = f"Bad Request: see https://api.telegram.org/bot{TOKEN}/sendMessage"
        server.fail_with(400, leak, chat_id=USER)
        outcome = await TelegramSender(bot).send(USER, Rendered("x"))
        assert isinstance(outcome, Rejected)
        assert TOKEN not in outcome.description
        assert TOKEN.split(":")[1] not in outcome.description
        assert "api.telegram.org/bot<token>/" in outcome.description


def test_scrub_masks_every_token_shape_and_keeps_other_text() -> None:
    text = f"{TOKEN} and 12:{'a' * 29} and 99:{'B_-' * 11}"
    assert scrub(text) == f"<token> and 12:{'a' * 29} and <token>"


@pytest.mark.parametrize("timedelta_mode", [False, True])
def test_retry_after_is_read_as_seconds_either_way(
    timedelta_mode: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if timedelta_mode:
        monkeypatch.setenv("PTB_TIMEDELTA", "true")
        whole, part = PtbRetryAfter(7), PtbRetryAfter(dt.timedelta(seconds=1.5))
    else:
        monkeypatch.delenv("PTB_TIMEDELTA", raising=False)
        # Without the opt-in PTB warns as it builds the error; reading it must not warn again.
        with pytest.warns(PTBDeprecationWarning):
            whole, part = PtbRetryAfter(7), PtbRetryAfter(dt.timedelta(seconds=1.5))
    assert retry_after_seconds(whole) == 7.0
    assert retry_after_seconds(part) == 1.5


@pytest.mark.parametrize(
    ("shape", "readable"), [("truncated", True), ("no_result", False), ("bad_result", False)]
)
async def test_a_send_telegram_accepted_is_sent_even_if_its_answer_cannot_be_read(
    shape: str, readable: bool, caplog: pytest.LogCaptureFixture
) -> None:
    async with bot_on_server() as (server, bot):
        server.private_chat(USER)
        server.fail_unreadable(shape, method="sendMessage")
        outcome = await TelegramSender(bot).send(USER, Rendered(TEXT))
        (stored,) = server.sent_messages(USER)
        # What could be read of the answer is kept: the message id, when it was there.
        assert outcome == Sent(stored["message_id"] if readable else None)
        assert f"chat {USER}" in caplog.text and "could not be read" in caplog.text
        assert TOKEN not in caplog.text
        # One warning says it; no error, no traceback.
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        # The next answer is read as usual.
        assert await TelegramSender(bot).send(USER, Rendered("келесі")) == Sent(
            stored["message_id"] + 1
        )


async def test_an_unreadable_error_answer_is_not_taken_for_a_send() -> None:
    async with bot_on_server() as (server, bot):
        server.private_chat(USER)
        server.fail_with(502, "<html>Bad Gateway", method="sendMessage")
        assert isinstance(await TelegramSender(bot).send(USER, Rendered(TEXT)), Transient)
        assert server.sent_messages(USER) == []


async def test_no_more_calls_than_the_request_allows_are_made_at_once_and_none_is_lost() -> None:
    # A pool timeout far shorter than the wait: waiting for a turn is not waiting for the pool.
    async with bot_on_server(pool=2, pool_timeout=0.05) as (server, bot):
        for chat in range(USER, USER + 6):
            server.private_chat(chat)
        server.add_latency(0.2, method="sendMessage")
        sender = TelegramSender(bot)
        outcomes = await asyncio.gather(
            *(sender.send(chat, Rendered(TEXT)) for chat in range(USER, USER + 6))
        )
        assert all(isinstance(o, Sent) for o in outcomes)
        calls = server.calls(method="sendMessage")
        assert sorted(c.chat_id for c in calls) == list(range(USER, USER + 6))
        # Each call held the server for its latency; no more than two overlapped.
        most = max(sum(o.received <= c.received < o.time for o in calls) for c in calls)
        assert most == 2
