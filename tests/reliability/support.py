"""What the reliability scenarios share: seeding chats, planning a broadcast, counting copies.

Copies are counted on the server's side: every message the bot's sends left in a chat is one
copy there, whatever the bot believes. The kind of a copy is read from its text (the broadcast and
its report have a header of their own), so a chat's copies of one message can be counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from sandbox.botapi import BotApiServer, Call
from scheduler.clock import FakeClock
from scheduler.participants import Caller, ChatInfo, UserInfo
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.broadcasts import Draft, confirm_broadcast, draft_broadcast
from scheduler.usecases.core import Core
from scheduler.vocabulary.subscriptions import Follow

BROADCAST_MARK = "📣"
REPORT_MARK = "📬"


def kind_of(text: str) -> str:
    """The kind of message a copy carries, told by its text."""
    if text.startswith(BROADCAST_MARK):
        return "broadcast"
    if text.startswith(REPORT_MARK):
        return "report"
    return f"reminder:{text}"


def successful_sends(server: BotApiServer, since: int | None = None) -> list[Call]:
    """The sends the server answered with success, in the order they finished."""
    return [c for c in server.calls("sendMessage", since=since) if c.ok and c.chat_id is not None]


def copies(server: BotApiServer, chats: Iterable[int]) -> Counter[tuple[int, str]]:
    """How many copies of each message kind every chat holds.

    Read from the chats themselves, not from the answers: a send whose answer was lost
    (dropped connection, timeout) still left its message in the chat.
    """
    return Counter(
        (chat, kind_of(str(message.get("text", ""))))
        for chat in chats
        for message in server.sent_messages(chat)
    )


def per_chat(found: Counter[tuple[int, str]], kind: str) -> Counter[int]:
    return Counter({chat: n for (chat, k), n in found.items() if k == kind})


async def save_chats(db: Database, private: Iterable[int], groups: Iterable[int] = ()) -> None:
    """Record chats as the bot does when it first sees them, so that "all" reaches them."""
    now = dt.datetime.now(dt.UTC)
    async with db.unit_of_work() as uow:
        for chat in private:
            await uow.contacts.save_chat(ChatInfo(chat, "private"), now)
        for chat in groups:
            await uow.contacts.save_chat(ChatInfo(chat, "group", f"Топ {chat}"), now)


async def subscribe(db: Database, chats: Iterable[int], agency: str, now: dt.datetime) -> None:
    async with db.unit_of_work() as uow:
        for chat in chats:
            await uow.subscriptions.subscribe(chat, Follow.AGENCY, agency, now, None)


async def broadcast_to_all(
    core: Core, admin: int, text: str, *, chat: int | None = None
) -> tuple[Draft, int]:
    """Draft a broadcast to every chat and confirm it, as /broadcast and its button do.

    The administrator writes from ``chat`` (their private chat by default), which the bot
    then knows, as it knows every chat that writes to it.
    """
    core = dataclasses.replace(core, admins=(admin,))
    where = ChatInfo(admin, "private", "Admin") if chat is None else ChatInfo(chat, "private")
    caller = Caller(UserInfo(admin, "Admin"), where)
    draft = await draft_broadcast(core, caller, audience="all", target="", text=text)
    assert isinstance(draft.result, Draft), draft
    planned = await confirm_broadcast(core, caller, broadcast_id=draft.result.id, send=True)
    assert isinstance(planned.result, int), planned
    return draft.result, planned.result


async def outbox(db: Database) -> list[OutboxRow]:
    async with db.unit_of_work() as uow:
        return list((await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def drained(db: Database, within: float) -> None:
    """Wait until no message waits to be sent."""
    deadline = time.monotonic() + within
    while True:
        async with db.unit_of_work() as uow:
            if await uow.outbox.depth() == 0:
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the outbox did not drain within {within:g} s")
        await asyncio.sleep(0.05)


async def sends_reach(server: BotApiServer, count: int, within: float) -> None:
    """Wait until the server has carried out ``count`` sends."""
    deadline = time.monotonic() + within
    while len(successful_sends(server)) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"fewer than {count} sends within {within:g} s")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def real_time(clock: FakeClock, step: float = 0.02) -> AsyncIterator[None]:
    """Let a fake clock, once set to the moment a scenario needs, run on with real time.

    Retries and leases are timed on the bot's clock, so it must move for them to come due.
    """
    stop = asyncio.Event()

    async def follow() -> None:
        last = time.monotonic()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), step)
            now = time.monotonic()
            clock.advance(dt.timedelta(seconds=now - last))
            last = now

    task = asyncio.create_task(follow())
    try:
        yield
    finally:
        stop.set()
        await task


@dataclass(frozen=True)
class LostAnswers:
    """Sends the server carried out while going down: their answers may never have left."""

    started: float
    stopped: float

    def covers(self, call: Call) -> bool:
        return self.started <= call.time <= self.stopped


def take_down(server: BotApiServer, seconds: float) -> LostAnswers:
    """An outage of ``seconds``, with the window in which answers may have been lost."""
    # The margin covers a send processed just before the stop whose answer was still queued.
    started = time.monotonic() - 0.05
    server.outage(seconds)
    return LostAnswers(started, time.monotonic())
