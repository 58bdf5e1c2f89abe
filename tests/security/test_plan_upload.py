"""Broken plan files uploaded by an administrator: refused with their places, old plan kept."""

from __future__ import annotations

import html
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.features.plan_changes.problems import problem_line
from sandbox.botapi.model import FileRead
from sandbox.botapi.server import BotApiServer
from scheduler.plan import PlanError, parse_plan
from scheduler.storage.tables import AuditRow
from scheduler.uploads import TooLarge, read_bounded
from tests.security.plan_mutations import MUTATIONS
from tests.security.support import BotThread, bot_thread, refused_calls, say, table_rows

ADMIN = 9301
DEADLINE_OF_TASK_6 = "2016 жылдың бірінші жартыжылдығы"


async def _changes(runner: BotThread) -> list[str]:
    async with runner.bot.svc.db.unit_of_work() as uow:
        rows = await uow.session.scalars(
            select(AuditRow.action).where(AuditRow.allowed.is_(True), AuditRow.user_id == ADMIN)
        )
        return [a for a in rows.all() if a.startswith("plan.")]


def test_every_broken_upload_is_refused_and_the_old_plan_kept(
    botapi: BotApiServer, database_url: str
) -> None:
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)) as runner:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        version = runner.bot.svc.core.plans.version
        versions = runner.run(table_rows(runner.bot.svc.db, ["plan_versions"]))
        start = botapi.mark()
        kazakh = runner.bot.svc.catalog.for_language("kk")
        for mutation in MUTATIONS:
            # The command line says it in English …
            with pytest.raises(PlanError) as refused:
                parse_plan(mutation.make())
            problem = next(p for p in refused.value.problems if p.path == mutation.place)
            assert mutation.says in problem.english(), (mutation.name, problem.english())
            # … and the bot in the administrator's language, at the same place.
            mark = botapi.mark()
            botapi.send_document(ADMIN, "plan.json", mutation.make(), "application/json")
            answer = botapi.wait_for_message_sync(ADMIN, since=mark)["text"]
            assert "жұмыс істеп тұрған жоспар өзгерген жоқ" in answer, mutation.name
            told = html.escape(problem_line(problem, kazakh), quote=False)
            assert f"• {told}" in answer, (mutation.name, answer)
            assert runner.bot.svc.core.plans.version == version

        assert refused_calls(botapi, since=start) == []
        assert runner.run(table_rows(runner.bot.svc.db, ["plan_versions"])) == versions
        assert runner.run(_changes(runner)) == []
        assert DEADLINE_OF_TASK_6 in say(botapi, ADMIN, "/task 6")["text"]


PLAN_LIMIT = 2 * 1024 * 1024
TABLE_LIMIT = 5 * 1024 * 1024


def _read_of(server: BotApiServer, file_id: str, timeout: float = 5.0) -> FileRead:
    """The server's record of the bot's download of ``file_id``, once the download ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [r for r in server.file_reads() if r.file_id == file_id]
        if found:
            return found[-1]
        time.sleep(0.02)
    raise TimeoutError(f"the bot never downloaded {file_id}")


@pytest.mark.parametrize(
    ("name", "content", "limit"),
    [
        ("plan.json", b"{" + b" " * (20 * 1024 * 1024) + b"}", PLAN_LIMIT),
        ("plan.csv", b"a;b\n" * (8 * 1024 * 1024), TABLE_LIMIT),
    ],
    ids=["json-20MB", "csv-32MB"],
)
def test_the_size_limit_counts_the_bytes_whatever_the_update_says(
    botapi: BotApiServer, database_url: str, name: str, content: bytes, limit: int
) -> None:
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)) as runner:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        version = runner.bot.svc.core.plans.version
        # The update leaves the size out, or understates it: only the bytes tell.
        for declared in (None, 1000):
            mark = botapi.mark()
            update = botapi.send_document(ADMIN, name, content, file_size=declared)
            document = update["message"]["document"]
            assert document.get("file_size") == declared
            answer = botapi.wait_for_message_sync(ADMIN, since=mark, timeout=20)["text"]
            assert str(limit) in answer, answer
            assert runner.bot.svc.core.plans.version == version
            # Far more than the limit and whatever the sockets buffer: reading stopped early.
            read = _read_of(botapi, document["file_id"])
            assert not read.complete, read
        assert DEADLINE_OF_TASK_6 in say(botapi, ADMIN, "/task 6")["text"]


async def _chunks(sizes: list[int], pulled: list[int]) -> AsyncIterator[bytes]:
    for size in sizes:
        pulled.append(size)
        yield b"x" * size


async def test_reading_stops_at_the_chunk_that_passes_the_limit() -> None:
    pulled: list[int] = []
    assert await read_bounded(_chunks([400, 600], pulled), 1000) == b"x" * 1000
    pulled.clear()
    with pytest.raises(TooLarge) as raised:
        await read_bounded(_chunks([600, 600, 600, 600], pulled), 1000)
    assert raised.value.limit == 1000
    assert pulled == [600, 600]
