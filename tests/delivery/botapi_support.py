"""A started fake Bot API server and a PTB bot pointed at it, for the Telegram-side tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot

from bot.delivery.answers import AnswerKeepingRequest
from sandbox.botapi import BotApiServer

# Shaped like a real token, so that the test can tell whether it leaks into an error text.
TOKEN = "7012345678:AAHk2vQ-Xb9sLmN4pRtY6uWz8aC0dEfGhIj"


@asynccontextmanager
async def bot_on_server(
    *, read_timeout: float = 2.0, pool: int = 8, pool_timeout: float = 5.0
) -> AsyncIterator[tuple[BotApiServer, Bot]]:
    server = BotApiServer(token=TOKEN)
    server.start()
    try:
        request = AnswerKeepingRequest(
            in_flight=pool, read_timeout=read_timeout, pool_timeout=pool_timeout
        )
        bot = Bot(TOKEN, base_url=server.base_url, request=request)
        async with bot:
            yield server, bot
    finally:
        server.stop()
