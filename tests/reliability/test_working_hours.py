"""A backlog that outlasts the working day: nudges wait for Monday, the rest goes out now.

The real bot (``build_application``) on the injected clock. Telegram fails every send of
Friday morning's wave; by the time it answers again it is Friday evening. The overdue
nudges are then held to Monday 09:00 without using up an attempt, while the escalation
of the same wave and an administrator's broadcast go out at once. On Monday morning each
nudge goes out once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from zoneinfo import ZoneInfo

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import MessageKind
from tests.e2e.harness import running_bot
from tests.reliability.support import broadcast_to_all, outbox, save_chats, subscribe

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN = 62_100
OFFICERS = list(range(62_001, 62_006))
RELAXED = Limits(total=1000, chat_interval=0.0, group=10_000)
FRIDAY_WAVE = dt.datetime(2016, 7, 1, 9, 0, 30, tzinfo=ALMATY)
FRIDAY_EVENING = dt.datetime(2016, 7, 1, 19, 0, tzinfo=ALMATY)
MONDAY_MORNING = dt.datetime(2016, 7, 4, 9, 0, tzinfo=ALMATY)


async def _rows_until(db: Database, done: object, within: float = 10.0) -> list[OutboxRow]:
    deadline = time.monotonic() + within
    while True:
        rows = await outbox(db)
        if done(rows):  # type: ignore[operator]
            return rows
        if time.monotonic() > deadline:
            raise TimeoutError([(r.id, r.kind, r.state, r.attempts) for r in rows])
        await asyncio.sleep(0.05)


def _texts(server: BotApiServer, chat: int) -> list[str]:
    return [str(m.get("text", "")) for m in server.sent_messages(chat)]


async def test_nudges_wait_for_the_next_working_morning_and_escalations_do_not(
    botapi: BotApiServer, database_url: str
) -> None:
    for chat in (ADMIN, *OFFICERS):
        botapi.user(chat, f"User {chat}")
        botapi.private_chat(chat)
    down = botapi.fail_server_error(502, method="sendMessage", times=None)
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    async with running_bot(
        botapi, database_url, clock=clock, limiter=RateLimiter(RELAXED), admin_ids=(ADMIN,)
    ) as bot:
        svc = bot.svc
        await save_chats(svc.db, [ADMIN, *OFFICERS])
        await subscribe(svc.db, OFFICERS, "МСМ", clock.now())
        clock.set(FRIDAY_WAVE)
        result = await run_tick(svc)
        assert result.planned > len(OFFICERS)
        # Every row of the wave was tried once and failed; its retry is due on the bot's clock.
        wave = await _rows_until(svc.db, lambda rows: all(r.attempts == 1 for r in rows))
        kinds = Counter(r.kind for r in wave)
        assert kinds[MessageKind.OVERDUE] >= len(OFFICERS) and kinds[MessageKind.ESCALATION] >= 1
        assert not any(_texts(botapi, chat) for chat in (ADMIN, *OFFICERS))

        clock.set(FRIDAY_EVENING)
        botapi.faults.remove(down)
        await broadcast_to_all(svc.core, ADMIN, "Дүйсенбі күнгі кеңес 10:00-де")
        svc.delivery.wake()

        def settled(rows: list[OutboxRow]) -> bool:
            return all(
                r.state == OutboxState.SENT
                if r.kind in (MessageKind.ESCALATION, MessageKind.BROADCAST)
                else r.next_attempt_at > clock.now()
                for r in rows
            )

        evening = await _rows_until(svc.db, settled)
        held = [r for r in evening if r.kind == MessageKind.OVERDUE]
        monday = MONDAY_MORNING.astimezone(dt.UTC)
        assert {(r.state, r.next_attempt_at, r.attempts) for r in held} == {
            (OutboxState.PENDING, monday, 1)
        }
        # The escalation reached the administrator, the broadcast everyone; no nudge went.
        for chat in OFFICERS:
            assert [t for t in _texts(botapi, chat) if not t.startswith("📣")] == [], chat
            assert len(_texts(botapi, chat)) == 1
        assert len(_texts(botapi, ADMIN)) == kinds[MessageKind.ESCALATION] + 1

        clock.set(MONDAY_MORNING + dt.timedelta(seconds=5))
        svc.delivery.wake()
        ids = {r.id for r in held}
        await _rows_until(
            svc.db,
            lambda rows: all(r.state == OutboxState.SENT for r in rows if r.id in ids),
        )
        for chat in OFFICERS:
            nudges = [t for t in _texts(botapi, chat) if not t.startswith("📣")]
            mine = [r for r in held if r.chat_id == chat]
            assert len(nudges) == len(mine) == len(set(nudges)), (chat, nudges)
