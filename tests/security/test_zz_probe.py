"""Temporary probe."""
from __future__ import annotations
import logging
import pytest
from tests.botapi.fixtures import botapi
from tests.botapi.server import BotApiServer
from tests.security.support import bot_thread, refused_calls, handler_errors, say

__all__ = ["botapi"]
INPUTS = [
    "/task", "/task abc", "/task 99999999999999999999", "/task ²", "/task ١٢",
    "/done", "/done ²", "/done 99999999999999999999", "/status 6 maybe", "/status ² done",
    "/invite", "/invite МСМ " + "r" * 10000, "/broadcast", "/setdeadline 6", "/members XYZ",
    "/tasks " + "X" * 10000, "/audit ²", "/revoke 99999999999999999999", "/revoke ²",
    "/promote 99999999999999999999", "/promote ²", "/removemember МСМ 99999999999999999999",
    "/removemember МСМ ²", "/ics " + "Q" * 10000, "/report xlsx zz", "/start " + "a" * 64,
    "/setdeadline 99999999999999999999 2016 ж., 15-ші шілдеге", "/setdeadline ² x",
    "/broadcast task 99999999999999999999 hi", "/broadcast " + "<b>" * 3000,
    "x" * 10000, "<b>unclosed", "'; DROP TABLE status_updates; --", "\x00\x01\x1b[31m",
    "/acks", "/workday 2016-02-30", "/tasks <b>", "/invite <b> <i>",
]

@pytest.mark.parametrize("admin", [False, True])
def test_probe(botapi: BotApiServer, database_url: str, caplog: pytest.LogCaptureFixture, admin: bool) -> None:
    caplog.set_level(logging.INFO)
    with bot_thread(botapi, database_url, admin_ids=(42,) if admin else ()) as bt:
        botapi.user(42, "U")
        for text in INPUTS:
            mark = botapi.mark()
            try:
                say(botapi, 42, text, timeout=3)
            except TimeoutError:
                print("NO REPLY", repr(text[:60]))
            for c in refused_calls(botapi, mark):
                print("REFUSED", repr(text[:60]), c.response)
            errs = handler_errors(caplog.records)
            if errs:
                print("ERROR", repr(text[:60]), errs[-1].exc_info[1] if errs[-1].exc_info else None)
                caplog.clear()
