"""What the bot says when nothing else understood the update: never silence in private."""

from __future__ import annotations

from bot.features.requests import Command, command


@command
async def unknown_command(request: Command) -> None:
    await request.say("fallback.unknown_command")


@command
async def private_text(request: Command) -> None:
    await request.say("fallback.private_text")
