"""Opening the bot's Mini App from the sandbox's chat, as Telegram opens it.

Telegram opens a Mini App at its address with the signed initData of the person opening
it in the address's fragment (``#tgWebAppData=…``). The sandbox knows the token of its
local Bot API, so it signs that data exactly as Telegram does, for the persona viewing
the chat, dated by the sandbox's clock (which the dashboard checks it against).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode

from bot.web.init_data import sign, user_fields
from sandbox.botapi import BotApiServer

# The version of the Mini App interface Telegram would announce; the page does not rely on it.
WEB_APP_VERSION = "8.0"


def open_link(
    url: str, server: BotApiServer, user_id: int, now: dt.datetime, language: str | None
) -> str:
    """``url`` with initData for ``user_id`` in its fragment, signed with the server's token."""
    user = server.user(user_id)
    fields = user_fields(
        user_id,
        user.first_name,
        language_code=user.language_code or language,
        auth_date=now,
    )
    fragment = urlencode(
        {
            "tgWebAppData": sign(fields, server.token),
            "tgWebAppVersion": WEB_APP_VERSION,
            "tgWebAppPlatform": "web",
        },
        quote_via=quote,
    )
    return f"{url.split('#', 1)[0]}#{fragment}"


def menu_of(
    server: BotApiServer, user_id: int, now: dt.datetime, language: str | None
) -> dict[str, Any] | None:
    """The Mini App the persona's menu button opens, if the bot set one."""
    button = server.menu_button(user_id)
    if button.get("type") != "web_app":
        return None
    url = str(button["web_app"]["url"])
    return {
        "text": str(button.get("text", "")),
        "url": open_link(url, server, user_id, now, language),
    }
