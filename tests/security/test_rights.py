"""Rights: what only administrators, or only an agency's members, may do is refused to others.

Every refusal is answered, recorded in the audit log with allowed=False, and changes nothing:
the guarded tables (memberships, subscriptions, statuses, outbox, invites, administrators,
plan versions, acknowledgements, broadcasts, calendar) hold the same rows before and after.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.plan import parse_plan
from scheduler.storage.tables import AuditRow, PlanChangeAckRow, StatusUpdateRow
from tests.e2e.harness import delivered
from tests.e2e.test_administration import ADMIN_COMMANDS
from tests.security.plan_mutations import plan_bytes
from tests.security.support import BotThread, bot_thread, buttons, say, table_rows

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, MSM, ZHAO, STRANGER = 9201, 9202, 9203, 9204
GROUP = -9200
REFUSED = "тек әкімшілерге"
# Reports are for the administrators and the controllers of the controlling departments.
OVERSEERS_ONLY = "әкімшілер мен бақылаушы бөлімдердің бақылаушыларына"
# Commands added since the administration tests were written, and the exports.
MORE_ADMIN_COMMANDS = ["/report", "/report xlsx", "/report csv ru"]


async def _refusals(runner: BotThread, user: int) -> Counter[str]:
    async with runner.bot.svc.db.unit_of_work() as uow:
        actions = await uow.session.scalars(
            select(AuditRow.action).where(AuditRow.allowed.is_(False), AuditRow.user_id == user)
        )
        return Counter(actions.all())


def _guarded(runner: BotThread) -> dict[str, list[str]]:
    return runner.run(table_rows(runner.bot.svc.db))


def _press(server: BotApiServer, user: int, message: dict[str, Any], data: str) -> Any:
    mark = server.mark()
    query = server.press_button(user, message, data, check=False)
    query_id = query["callback_query"]["id"]
    return server.wait_for_call_sync(
        "answerCallbackQuery", lambda c: c.params.get("callback_query_id") == query_id, since=mark
    )


def _invite(server: BotApiServer, agency: str) -> str:
    reply = say(server, ADMIN, f"/invite {agency} officer")
    found = re.search(r"\?start=([A-Za-z0-9_-]+)", reply["text"])
    assert found is not None, reply["text"]
    return found.group(1)


def _start(server: BotApiServer, user: int, token: str) -> str:
    """The answer to /start with a token; the welcome that follows is waited for too."""
    mark = server.mark()
    server.send_command(user, f"/start {token}")
    answer = server.wait_for_message_sync(user, since=mark)
    server.wait_for_message_sync(user, lambda m: "lang:kk" in buttons(m), since=mark)
    return str(answer["text"])


def _join(server: BotApiServer, user: int, agency: str) -> None:
    server.user(user, f"Officer {user}")
    assert agency in _start(server, user, _invite(server, agency))
    menu = say(server, user, "/subscribe")
    mark = server.mark()
    server.press_button(user, menu, f"sub:a:{agency}")
    server.wait_for_call_sync("editMessageText", since=mark)


def test_administration_is_refused_to_others_and_changes_nothing(
    botapi: BotApiServer, database_url: str
) -> None:
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)) as runner:
        botapi.user(ADMIN, "Admin")
        botapi.private_chat(ADMIN)
        preview = say(botapi, ADMIN, "/broadcast all Ертең кеңес")
        draft = next(b for b in buttons(preview) if b.startswith("bc:go:")).rsplit(":", 1)[1]
        version = runner.bot.svc.core.plans.version
        before = _guarded(runner)

        botapi.user(STRANGER, "Stranger")
        for command in ADMIN_COMMANDS:
            assert REFUSED in say(botapi, STRANGER, command)["text"], command
        for command in MORE_ADMIN_COMMANDS:
            assert OVERSEERS_ONLY in say(botapi, STRANGER, command)["text"], command
        under = say(botapi, STRANGER, "/help")
        for data in (f"bc:go:{draft}", f"bc:no:{draft}"):
            answer = _press(botapi, STRANGER, under, data)
            assert REFUSED in answer.params["text"] and answer.params.get("show_alert")
        # A valid plan that differs from the running one: refused all the same.
        changed = plan_bytes().replace(b'"2016-07-10"', b'"2016-07-11"', 1)
        assert changed != plan_bytes() and parse_plan(changed) != parse_plan(plan_bytes())
        mark = botapi.mark()
        botapi.send_document(STRANGER, "plan.json", changed, "application/json")
        assert REFUSED in botapi.wait_for_message_sync(STRANGER, since=mark)["text"]

        assert _guarded(runner) == before
        assert runner.bot.svc.core.plans.version == version
        refused = runner.run(_refusals(runner, STRANGER))
        assert refused["broadcast.confirm"] == 2
        assert refused["plan.upload"] == 1
        assert set(refused) >= {
            "admin.menu",
            "audit.read",
            "invite.create",
            "members.read",
            "members.remove",
            "admin.promote",
            "admin.demote",
            "invite.revoke",
            "plan.edit",
            "plan.acks",
            "broadcast.draft",
            "report.summary",
            "report.xlsx",
            "report.csv",
        }
        # The administrator's draft is still there to send.
        mark = botapi.mark()
        botapi.press_button(ADMIN, preview, f"bc:go:{draft}")
        botapi.wait_for_call_sync("editMessageText", since=mark)


async def _status_ids(runner: BotThread, user: int) -> list[int]:
    async with runner.bot.svc.db.unit_of_work() as uow:
        ids = await uow.session.scalars(
            select(StatusUpdateRow.id).where(StatusUpdateRow.user_id == user)
        )
        return list(ids.all())


def _reminders(runner: BotThread, clock: FakeClock, chats: list[int]) -> list[dict[str, Any]]:
    server = runner.server
    clock.set(dt.datetime(2016, 6, 30, 9, 0, 30, tzinfo=ALMATY))
    mark = server.mark()
    runner.run(run_tick(runner.bot.svc))
    runner.run(delivered(runner.bot))
    return [
        server.wait_for_message_sync(
            chat, lambda m: "№6" in m.get("text", "") and "st:" in str(buttons(m)), since=mark
        )
        for chat in chats
    ]


def test_another_agency_cannot_change_a_status(botapi: BotApiServer, database_url: str) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    with bot_thread(botapi, database_url, clock=clock, admin_ids=(ADMIN,)) as runner:
        botapi.user(ADMIN, "Admin")
        _join(botapi, MSM, "МСМ")
        _join(botapi, ZHAO, "ЖАО")
        botapi.group(GROUP, "МСМ", admins=[MSM], members=[ZHAO])
        menu = say(botapi, MSM, "/subscribe", chat=GROUP)
        mark = botapi.mark()
        botapi.press_button(MSM, menu, "sub:a:МСМ")
        botapi.wait_for_call_sync("editMessageText", since=mark)
        in_group, in_private = _reminders(runner, clock, [GROUP, MSM])
        # МСМ's own report, which the other agency will try to withdraw.
        say(botapi, MSM, "/status 6 in_progress комиссия жиналады")
        [status_id] = runner.run(_status_ids(runner, MSM))
        group_item = buttons(in_group)[0].split(":")[1]
        private_item = buttons(in_private)[0].split(":")[1]
        before = _guarded(runner)

        # Task 6 is МСМ's alone: ЖАО's member is refused by every way of reporting.
        refusal = say(botapi, ZHAO, "орындалды", chat=GROUP, reply_to=in_group)
        assert "МСМ" in refusal["text"] and "тіркелді" in refusal["text"]
        for data in (f"st:{group_item}:d", f"cl:{group_item}:x:0"):
            assert "МСМ" in _press(botapi, ZHAO, in_group, data).params["text"]
        under = say(botapi, ZHAO, "/help")
        # Another chat's reminder, pressed in one's own chat.
        assert _press(botapi, ZHAO, under, f"st:{private_item}:d").params.get("show_alert")
        for command in ("/done 6", "/status 6 done", "/status №6 problem"):
            assert "МСМ" in say(botapi, ZHAO, command)["text"], command
        # Someone else's report cannot be withdrawn.
        answer = _press(botapi, ZHAO, under, f"undo:{status_id}")
        assert answer.params.get("show_alert")

        assert _guarded(runner) == before
        refused = runner.run(_refusals(runner, ZHAO))
        assert refused == Counter({"status.report": 7, "status.undo": 1})


def _near_misses(token: str) -> list[str]:
    swap = "A" if token[-1] != "A" else "B"
    return [token[:-1] + swap, token.swapcase(), token[1:], token + "x", token[::-1]]


@pytest.mark.slow
def test_guessed_invite_tokens_are_refused_and_recorded(
    botapi: BotApiServer, database_url: str
) -> None:
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)) as runner:
        botapi.user(ADMIN, "Admin")
        token = _invite(botapi, "МСМ")
        before = _guarded(runner)
        botapi.user(STRANGER, "Stranger")
        guesses = [secrets.token_urlsafe(24) for _ in range(100)] + _near_misses(token)
        for guess in guesses:
            assert "танылмады" in _start(botapi, STRANGER, guess), guess
        assert _guarded(runner) == before
        refused = runner.run(_refusals(runner, STRANGER))
        assert refused == Counter({"invite.redeem": len(guesses)})
        # The guesses did not use the real invitation up.
        assert "МСМ" in _start(botapi, STRANGER, token)


async def _acks(runner: BotThread) -> list[tuple[int, int, int]]:
    async with runner.bot.svc.db.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(PlanChangeAckRow.version_id, PlanChangeAckRow.chat_id, PlanChangeAckRow.user_id)
        )
        return sorted((r[0], r[1], r[2]) for r in rows)


def test_an_acknowledgement_comes_only_from_a_chat_told_of_that_version(
    botapi: BotApiServer, database_url: str
) -> None:
    with bot_thread(botapi, database_url, admin_ids=(ADMIN,)) as runner:
        botapi.user(ADMIN, "Admin")
        _join(botapi, MSM, "МСМ")
        _join(botapi, ZHAO, "ЖАО")
        preview = say(botapi, ADMIN, "/setdeadline 6 2016 ж., 15-ші шілдеге")
        assert "№6" in preview["text"]
        [apply] = [b for b in buttons(preview) if b.startswith("pd:go:")]
        mark = botapi.mark()
        botapi.press_button(ADMIN, preview, apply)
        notice = botapi.wait_for_message_sync(
            MSM, lambda m: any(b.startswith("ack:") for b in buttons(m)), since=mark
        )
        version = int(buttons(notice)[0].split(":")[1])
        runner.run(delivered(runner.bot))
        botapi.user(STRANGER, "Stranger")
        under = {user: say(botapi, user, "/help") for user in (STRANGER, ZHAO)}
        before = _guarded(runner)

        # A version that does not exist, from the chat that was told and from others.
        for user, message in ((MSM, notice), (STRANGER, under[STRANGER])):
            answer = _press(botapi, user, message, "ack:999")
            assert answer.params.get("show_alert"), answer.params
            assert "999" in answer.params["text"]
        # The version exists, but these chats were never sent its notice: ЖАО's task list
        # does not hold task 6, and the stranger follows nothing.
        for user in (ZHAO, STRANGER):
            answer = _press(botapi, user, under[user], f"ack:{version}")
            assert answer.params.get("show_alert"), answer.params
            assert str(version) in answer.params["text"]
        # The file's version at start was told to no one.
        answer = _press(botapi, MSM, notice, f"ack:{version - 1}")
        assert answer.params.get("show_alert"), answer.params
        assert _guarded(runner) == before
        refused = runner.run(_refusals(runner, STRANGER)) + runner.run(_refusals(runner, ZHAO))
        refused += runner.run(_refusals(runner, MSM))
        assert refused == Counter({"plan.ack": 5})

        # The chat that was told acknowledges once; a second press is refused.
        first = _press(botapi, MSM, notice, f"ack:{version}")
        assert not first.params.get("show_alert")
        again = _press(botapi, MSM, notice, f"ack:{version}")
        assert again.params.get("show_alert") and "бұрын расталған" in again.params["text"]
        assert runner.run(_acks(runner)) == [(version, MSM, MSM)]
        assert runner.run(_refusals(runner, MSM)) == Counter({"plan.ack": 3})
        acks = say(botapi, ADMIN, "/acks")
        assert f"{version}" in acks["text"] and f"пайдаланушы {MSM}" in acks["text"]
        assert str(STRANGER) not in acks["text"] and str(ZHAO) not in acks["text"]
