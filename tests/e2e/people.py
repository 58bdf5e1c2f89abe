"""The people of the stories: what they type and press, and the bot's answers they wait for."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sandbox.botapi.server import BotApiServer

Message = dict[str, Any]


def buttons(message: Message) -> list[str]:
    """The callback data of a message's inline buttons, row by row."""
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def text_of(message: Message) -> str:
    """What the reader sees: a message's text, or a file's caption, with the no-break spaces
    of dates ("30 июня 2016\u202fг.") read as spaces, for matching."""
    text = str(message.get("text") or message.get("caption") or "")
    return text.replace("\u202f", " ").replace("\xa0", " ")


def button_with(message: Message, prefix: str) -> str:
    """The callback data of the message's first button of kind ``prefix``."""
    found = [b for b in buttons(message) if b.startswith(prefix)]
    assert found, (prefix, buttons(message), text_of(message))
    return found[0]


def containing(*words: str) -> Callable[[Message], bool]:
    """A message predicate: every word is in the message."""
    return lambda m: all(w in text_of(m) for w in words)


async def say(
    server: BotApiServer,
    user: int,
    text: str,
    *,
    chat: int | None = None,
    reply_to: Message | None = None,
    expect: Callable[[Message], bool] | None = None,
) -> Message:
    """``user`` writes ``text``; the bot's first answer in that chat (matching ``expect``)."""
    mark = server.mark()
    server.send_text(user, text, chat=chat, reply_to=reply_to)
    return await server.wait_for_message(chat or user, expect, since=mark)


async def press(
    server: BotApiServer, user: int, message: Message, data: str, *, check: bool = True
) -> str:
    """``user`` presses the button ``data`` under ``message``; the line the bot answers with."""
    mark = server.mark()
    update = server.press_button(user, message, data, check=check)
    query = update["callback_query"]["id"]
    call = await server.wait_for_call(
        "answerCallbackQuery", lambda c: c.params.get("callback_query_id") == query, since=mark
    )
    return str(call.params.get("text") or "")


async def join(
    server: BotApiServer,
    admin: int,
    user: int,
    name: str,
    agency: str,
    role: str,
    *,
    language: str | None = None,
    subscribe: bool = False,
) -> None:
    """``admin`` invites ``user`` to ``agency`` as ``role``; they join, choose ``language``
    and, with ``subscribe``, have their private chat follow the agency."""
    invite = await say(server, admin, f"/invite {agency} {role}")
    token = re.search(r"\?start=([A-Za-z0-9_-]+)", text_of(invite))
    assert token is not None, text_of(invite)
    server.user(user, name)
    mark = server.mark()
    server.send_command(user, f"/start {token.group(1)}")
    welcome = await server.wait_for_message(user, lambda m: "lang:kk" in buttons(m), since=mark)
    if language is not None:
        mark = server.mark()
        server.press_button(user, welcome, f"lang:{language}")
        await server.wait_for_message(user, since=mark)
    if subscribe:
        menu = await say(server, user, "/subscribe")
        mark = server.mark()
        server.press_button(user, menu, f"sub:a:{agency}")
        await server.wait_for_call("editMessageText", since=mark)
