"""Agency codes as each reader writes them, through the local Bot API.

A Russian administrator types «МКС» where the plan's glossary says «МСМ», in any letter case,
with Latin look-alikes or the wrong keyboard layout, and is answered with «МКС»; a Kazakh
reader keeps «МСМ», an English one reads «MCS».
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from sandbox.botapi.server import BotApiServer
from scheduler.storage.tables import MembershipRow, SubscriptionRow
from tests.e2e.harness import buttons_of, running_bot

ADMIN, OFFICER, READER = 7501, 7502, 7503
GROUP = -7501


async def _say(
    server: BotApiServer, user: int, text: str, chat: int | None = None
) -> dict[str, Any]:
    mark = server.mark()
    server.send_text(user, text, chat=chat)
    return await server.wait_for_message(chat or user, since=mark)


async def test_every_command_reads_and_shows_the_readers_codes(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)) as bot:
        botapi.user(ADMIN, "Ольга", language_code="ru")
        tasks = await _say(botapi, ADMIN, "/tasks МКС")
        assert tasks["text"].startswith("Мероприятия: МКС — Министерство культуры и спорта")
        assert (await _say(botapi, ADMIN, "/tasks mkc"))["text"] == tasks["text"]
        assert (await _say(botapi, ADMIN, "/tasks vrc"))["text"] == tasks["text"]

        invite = await _say(botapi, ADMIN, "/invite МКС officer")
        assert "МКС — Министерство культуры и спорта" in invite["text"]
        token = re.search(r"\?start=([A-Za-z0-9_-]+)", invite["text"])
        assert token is not None
        botapi.user(OFFICER, "Бақыт")
        mark = botapi.mark()
        botapi.send_command(OFFICER, f"/start {token.group(1)}")
        await botapi.wait_for_message(OFFICER, lambda m: "lang:kk" in buttons_of(m), since=mark)

        members = await _say(botapi, ADMIN, "/members мкс")
        assert "МКС" in members["text"] and "Бақыт" in members["text"]
        # The officer writes the glossary's code and reads it back in Kazakh.
        subscribed = await _say(botapi, OFFICER, "/subscribe мсм")
        assert subscribed["text"].startswith("✅") and "МСМ —" in subscribed["text"]
        by_number = await _say(botapi, OFFICER, "/subscribe №6")
        assert by_number["text"].startswith("✅") and "6" in by_number["text"]

        preview = await _say(botapi, ADMIN, "/broadcast МКС Завтра совещание")
        assert "орган МКС" in preview["text"] and "Завтра совещание" in preview["text"]
        removed = await _say(botapi, ADMIN, f"/removemember MKC {OFFICER}")
        assert removed["text"] == "Участник исключён из органа."

        unknown = await _say(botapi, ADMIN, "/ics МКЦ")
        assert "«МКЦ»" in unknown["text"]
        assert (
            "МЮ, МОН, МИО, МИР, МФ, ОГКОТР, ГПО, АДГСПК, МКС, АП, МИД, МНЭ, ОВП" in unknown["text"]
        )
        for command in ("/tasks ЖОҚ", "/invite ЖОҚ officer", "/members ЖОҚ", "/broadcast ЖОҚ x"):
            refused = await _say(botapi, ADMIN, command)
            assert "Органа «ЖОҚ» в плане нет" in refused["text"], command
            assert "МКС" in refused["text"] and "МСМ" not in refused["text"], command

        botapi.user(READER, "Anna", language_code="en")
        english = await _say(botapi, READER, "/tasks МКС")
        assert english["text"].startswith("Tasks of MCS — Ministry of Culture and Sport")

        async with bot.svc.db.unit_of_work() as uow:
            stored = (await uow.session.scalars(select(MembershipRow.agency))).all()
            followed = (await uow.session.scalars(select(SubscriptionRow.target))).all()
        # Stored as the plan writes them, whatever the reader typed.
        assert stored == ["МСМ"] and sorted(followed) == ["6", "МСМ"]


async def test_subscribe_with_an_argument_keeps_the_rights(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)):
        botapi.user(READER, "Anna", language_code="en")
        # Not a member of МСМ: the agency's reminders are its members'.
        refused = await _say(botapi, READER, "/subscribe MCS")
        assert "Only members of an agency" in refused["text"] and "MCS" in refused["text"]
        unknown = await _say(botapi, READER, "/subscribe nowhere")
        assert "«nowhere»" in unknown["text"] and "MCS" in unknown["text"]
        missing = await _say(botapi, READER, "/subscribe 99")
        assert "99" in missing["text"]
        # In a group, someone who does not administer it is told who decides, at once.
        botapi.user(OFFICER, "Бақыт")
        botapi.group(GROUP, "Топ", admins=[OFFICER], members=[READER])
        in_group = await _say(botapi, READER, "/subscribe 6", chat=GROUP)
        assert "Бақыт" in in_group["text"] and not buttons_of(in_group)
        by_admin = await _say(botapi, OFFICER, "/subscribe 6", chat=GROUP)
        assert by_admin["text"].startswith("✅")
