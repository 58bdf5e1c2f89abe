"""What the security tests share: the real bot on a thread of its own, and what to look at.

Hypothesis drives synchronous test functions, so the bot runs on an event loop in a
background thread and a test talks to it through the local Bot API server (which has
synchronous waits) and through :meth:`BotThread.run` for database checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Coroutine, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import select

from sandbox.botapi.model import Call
from sandbox.botapi.server import BotApiServer
from scheduler.storage.tables import Base
from scheduler.storage.unit_of_work import Database
from tests.e2e.harness import RunningBot, running_bot

T = TypeVar("T")

HANDLER_ERROR = "error while handling an update"
# Calls whose failure would mean the bot produced something Telegram refuses.
OUTGOING = ("sendMessage", "editMessageText", "answerCallbackQuery", "sendDocument", "sendPhoto")
# Tables whose rows only an allowed action may change. The audit log grows with each
# refusal, and users, chats and processed updates record every visitor by design.
GUARDED_TABLES = (
    "memberships",
    "subscriptions",
    "status_updates",
    "outbox",
    "invites",
    "admins",
    "plan_versions",
    "plan_change_acks",
    "broadcasts",
    "calendar_overrides",
)


class BotThread:
    """``running_bot`` entered on a loop of its own thread; leave with ``close``."""

    def __init__(self, server: BotApiServer, database_url: str, **settings: Any) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._failure: BaseException | None = None
        self._bot: RunningBot | None = None
        self._thread = threading.Thread(
            target=self._main, args=(database_url, settings), name="eskertu-under-test"
        )

    @property
    def bot(self) -> RunningBot:
        assert self._bot is not None
        return self._bot

    def start(self, timeout: float = 30.0) -> BotThread:
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the bot did not start")
        if self._failure is not None:
            raise RuntimeError("the bot failed to start") from self._failure
        return self

    def _main(self, database_url: str, settings: dict[str, Any]) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve(database_url, settings))
        except BaseException as exc:  # reported to the test thread by start()
            self._failure = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve(self, database_url: str, settings: dict[str, Any]) -> None:
        self._stop = asyncio.Event()
        async with running_bot(self.server, database_url, **settings) as bot:
            self._bot = bot
            self._ready.set()
            await self._stop.wait()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        """Run ``coro`` on the bot's loop and return its result."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout)

    def close(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        if self._failure is not None:
            raise RuntimeError("the bot failed while stopping") from self._failure


@contextlib.contextmanager
def bot_thread(server: BotApiServer, database_url: str, **settings: Any) -> Iterator[BotThread]:
    runner = BotThread(server, database_url, **settings).start()
    try:
        yield runner
    finally:
        runner.close()


def buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def say(
    server: BotApiServer,
    user: int,
    text: str,
    chat: int | None = None,
    reply_to: dict[str, Any] | None = None,
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Send ``text`` and return the bot's first message to the chat after it."""
    mark = server.mark()
    server.send_text(user, text, chat=chat, reply_to=reply_to)
    return server.wait_for_message_sync(chat or user, since=mark, timeout=timeout)


def refused_calls(server: BotApiServer, since: int | None = None) -> list[Call]:
    """Outgoing calls the server refused: an unescaped echo or an oversized text shows here.

    An edit refused because the message already shows that text is left out: a second press
    of the same button asks for it, and the bot lets that refusal pass on purpose.
    """
    return [
        call
        for call in server.calls(method=OUTGOING, since=since)
        if call.status == 400
        and "not modified" not in str((call.response or {}).get("description"))
    ]


def handler_errors(records: Iterable[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.getMessage() == HANDLER_ERROR]


async def table_rows(db: Database, names: Iterable[str] = GUARDED_TABLES) -> dict[str, list[str]]:
    """Every row of the named tables, as sorted text, for before/after comparisons."""
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    out: dict[str, list[str]] = {}
    async with db.unit_of_work() as uow:
        for name in names:
            rows = (await uow.session.execute(select(tables[name]))).all()
            out[name] = sorted(repr(tuple(row)) for row in rows)
    return out


def quiet(server: BotApiServer, for_seconds: float = 0.05, timeout: float = 5.0) -> None:
    """Wait until the bot has made no call for ``for_seconds``: it finished answering."""
    deadline = time.monotonic() + timeout
    seen = server.mark()
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.01)
        now_mark = server.mark()
        if now_mark != seen:
            seen, since = now_mark, time.monotonic()
        elif time.monotonic() - since >= for_seconds:
            return
    raise TimeoutError("the bot kept calling the Bot API")
