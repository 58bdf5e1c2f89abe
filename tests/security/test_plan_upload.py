"""Broken plan files uploaded by an administrator: refused with their places, old plan kept."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from bot.features.plan_changes.problems import problem_line
from sandbox.botapi.server import BotApiServer
from scheduler.plan import PlanError, parse_plan
from scheduler.storage.tables import AuditRow
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
