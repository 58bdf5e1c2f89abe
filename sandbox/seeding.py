"""Bringing the personas to their starting state through the bot's own conversations.

Nothing is written behind the use cases' backs: the administrator, who is in ADMIN_IDS,
starts the bot and creates an invitation for each member; each member opens the deep link
(``/start TOKEN``) and subscribes with /subscribe and its button, as a person would in
Telegram; the group's administrator subscribes the group the same way. What the bot answers
stays in the chats, so a trainer can show how everyone got there. At the end the result is
read back through the use cases, and a step the bot refused stops the sandbox with a message
naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.features.subscriptions import callbacks
from bot.services import Services
from sandbox.botapi import BotApiServer
from sandbox.personas import Cast, Persona, Role
from scheduler.participants import Caller, ChatInfo, UserInfo
from scheduler.usecases.subscriptions import chat_subscriptions, memberships
from scheduler.vocabulary.subscriptions import Follow

INVITE_LINK = re.compile(r"\?start=([A-Za-z0-9_-]+)")
REPLY_TIMEOUT = 20.0


class SeedingError(Exception):
    """A step of bringing a persona to its starting state did not happen."""


def _buttons(message: Mapping[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(b.get("callback_data")) for row in rows for b in row if "callback_data" in b]


async def seed(server: BotApiServer, svc: Services, cast: Cast, names: Mapping[str, str]) -> None:
    """Create the personas' accounts and chats and bring each one to its starting state.

    ``names`` gives each persona's first name by key; ``names["group"]`` is the group's title.
    """
    for persona in cast.personas:
        server.user(persona.user_id, names[persona.key])
    administrator = next(p for p in cast.personas if p.role is Role.ADMINISTRATOR)
    await _start(server, administrator, "/start")
    for persona in cast.personas:
        if persona.invited:
            token = await _invite(server, administrator, persona)
            await _start(server, persona, f"/start {token}")
    for persona in cast.personas:
        if persona.follows_agency and persona.agency is not None:
            await _subscribe(server, persona, persona.user_id, persona.agency)
    server.group(
        cast.group_id,
        names["group"],
        admins=[p.user_id for p in cast.personas if p.group_admin],
        creator=administrator.user_id,
        members=[p.user_id for p in cast.personas if not p.group_admin],
    )
    for persona in cast.personas:
        if persona.subscribes_group and persona.agency is not None:
            await _subscribe(server, persona, cast.group_id, persona.agency)
    await _check(svc, cast)


async def _reply(
    server: BotApiServer, chat_id: int, since: int, what: str, wanted: Any = None
) -> dict[str, Any]:
    try:
        return await server.wait_for_message(chat_id, wanted, timeout=REPLY_TIMEOUT, since=since)
    except TimeoutError:
        raise SeedingError(f"the bot did not answer {what} in chat {chat_id}") from None


async def _start(server: BotApiServer, persona: Persona, command: str) -> None:
    mark = server.mark()
    server.send_command(persona.user_id, command)
    # /start ends with the welcome and its choice of language.
    await _reply(
        server,
        persona.user_id,
        mark,
        f"the {persona.key}'s /start",
        lambda m: any(b.startswith("lang:") for b in _buttons(m)),
    )


async def _invite(server: BotApiServer, administrator: Persona, persona: Persona) -> str:
    mark = server.mark()
    server.send_command(administrator.user_id, f"/invite {persona.agency} {persona.membership}")
    answer = await _reply(
        server,
        administrator.user_id,
        mark,
        f"the invitation for the {persona.key}",
        lambda m: INVITE_LINK.search(m.get("text", "")) is not None,
    )
    found = INVITE_LINK.search(answer.get("text", ""))
    assert found is not None
    return found.group(1)


async def _subscribe(server: BotApiServer, persona: Persona, chat_id: int, agency: str) -> None:
    button = callbacks.SUBSCRIBE.build(callbacks.LETTERS[Follow.AGENCY], agency)
    mark = server.mark()
    server.send_command(persona.user_id, "/subscribe", chat=chat_id)
    menu = await _reply(
        server,
        chat_id,
        mark,
        f"the {persona.key}'s /subscribe",
        lambda m: button in _buttons(m),
    )
    mark = server.mark()
    server.press_button(persona.user_id, menu, button)
    try:
        await server.wait_for_call("answerCallbackQuery", timeout=REPLY_TIMEOUT, since=mark)
    except TimeoutError:
        raise SeedingError(f"the bot did not answer the {persona.key}'s {button}") from None


async def _check(svc: Services, cast: Cast) -> None:
    """Read back what the conversations achieved; name the first persona they failed."""
    for persona in cast.personas:
        user = UserInfo(persona.user_id, persona.key)
        if persona.invited:
            joined = await memberships(svc.core, Caller(user, None))
            if (persona.agency, persona.membership) not in {
                (m.agency, m.role) for m in joined.result
            }:
                raise SeedingError(f"the {persona.key} did not join {persona.agency}")
        chats = [ChatInfo(persona.user_id, "private")] if persona.follows_agency else []
        if persona.subscribes_group:
            chats.append(ChatInfo(cast.group_id, "group"))
        for chat in chats:
            subscribed = (await chat_subscriptions(svc.core, Caller(user, chat))).result
            if not any(s.kind == Follow.AGENCY and s.target == persona.agency for s in subscribed):
                raise SeedingError(
                    f"chat {chat.id} of the {persona.key} follows no {persona.agency}"
                )
