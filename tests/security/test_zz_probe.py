"""Temporary probe."""
from __future__ import annotations
import logging
import pytest
from tests.botapi.fixtures import botapi
from tests.botapi.server import BotApiServer
from tests.security.support import bot_thread, refused_calls, handler_errors, say

__all__ = ["botapi"]
DATA = ["undo:99999999999999999999", "undo:3000000000", "st:99999999999999999999:d", "st:3000000000:d",
        "cl:3000000000:p", "ack:99999999999999999999", "ack:3000000000", "bc:go:3000000000", "tasks:all:²", "tasks:all:99999999999999999999",
        "sub:t:²", "sub:t:99999999999999999999", "unsub:t:²", "sub:a:" + "Ж" * 30, "task:99999999999999999999", "lang:xx", "\x00\x01", "",
        "undo:١٢", "st:١٢:d"]

@pytest.mark.parametrize("admin", [False, True])
def test_probe(botapi: BotApiServer, database_url: str, caplog: pytest.LogCaptureFixture, admin: bool) -> None:
    caplog.set_level(logging.INFO)
    with bot_thread(botapi, database_url, admin_ids=(42,) if admin else ()) as bt:
        botapi.user(42, "U")
        msg = say(botapi, 42, "/help")
        for data in DATA:
            mark = botapi.mark()
            n = len(handler_errors(caplog.records))
            botapi.press_button(42, msg, data, check=False)
            try:
                botapi.wait_for_call_sync("answerCallbackQuery", since=mark, timeout=3)
            except TimeoutError:
                print("NO ANSWER", repr(data))
            for c in refused_calls(botapi, mark):
                print("REFUSED", repr(data), c.response)
            errs = handler_errors(caplog.records)[n:]
            if errs:
                print("ERROR", repr(data), repr(errs[-1].exc_info[1])[:200] if errs[-1].exc_info else None)
        for text in ["a\x00b", "x" * 10000]:
            mark = botapi.mark()
            n = len(handler_errors(caplog.records))
            try:
                say(botapi, 42, "/status 6 done " + text, timeout=3)
            except TimeoutError:
                print("NO REPLY", repr(text[:20]))
            errs = handler_errors(caplog.records)[n:]
            if errs:
                print("ERROR", repr(text[:20]), repr(errs[-1].exc_info[1])[:200] if errs[-1].exc_info else None)
        for name, content in [("a.json", b""), ("b.json", b"\xff\xfe\x00"), ("c.json", b"[" * 100000), ("d.json", b" " * 3_000_000), ("e.exe", b"MZ")]:
            mark = botapi.mark()
            n = len(handler_errors(caplog.records))
            botapi.send_document(42, name, content)
            try:
                m = botapi.wait_for_message_sync(42, since=mark, timeout=5)
                print("DOC", name, m["text"][:100])
            except TimeoutError:
                print("NO REPLY doc", name)
            errs = handler_errors(caplog.records)[n:]
            if errs:
                print("ERROR", name, repr(errs[-1].exc_info[1])[:200] if errs[-1].exc_info else None)
