"""/start and /help through the real Bot API protocol, and `python -m bot` as a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from sandbox.botapi.server import BotApiServer
from scheduler.storage.tables import ChatRow, UserRow
from tests.e2e.harness import PLAN_PATH, ROOT, running_bot


async def test_start_answers_in_kazakh_and_records_the_chat(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url) as bot:
        user = botapi.user(501, "Айгүл", language_code="ru", username="aigul")
        mark = botapi.mark()
        botapi.send_command(user, "/start")
        reply = await botapi.wait_for_message(501, since=mark)
        assert "Сәлеметсіз бе, Айгүл!" in reply["text"]
        assert "мемлекеттік рәміздерді" in reply["text"]
        buttons = [
            b["callback_data"] for row in reply["reply_markup"]["inline_keyboard"] for b in row
        ]
        assert buttons == ["lang:kk", "lang:ru", "lang:en"]

        async with bot.svc.db.unit_of_work() as uow:
            stored = await uow.session.get(UserRow, 501)
            chat = await uow.session.get(ChatRow, 501)
        assert stored is not None and stored.first_name == "Айгүл"
        assert stored.username == "aigul" and stored.telegram_language == "ru"
        assert chat is not None and chat.type == "private"


async def test_help_and_the_command_menus(botapi: BotApiServer, database_url: str) -> None:
    async with running_bot(botapi, database_url):
        for language, word in (("kk", "Анықтама"), ("ru", "Справка"), ("en", "Help")):
            commands = botapi.commands(language_code=language)
            assert [c["command"] for c in commands][:2] == ["start", "help"]
            assert commands[1]["description"] == word
        assert botapi.commands()[1]["description"] == "Анықтама"
        user = botapi.user(502, "Ерлан")
        mark = botapi.mark()
        botapi.send_command(user, "/help")
        reply = await botapi.wait_for_message(502, since=mark)
        assert "Ескерту не істейді" in reply["text"]
        assert "/tasks" in reply["text"]


async def test_group_start_is_recorded_as_a_group(botapi: BotApiServer, database_url: str) -> None:
    async with running_bot(botapi, database_url) as bot:
        user = botapi.user(503, "Дәурен")
        group = botapi.group(-4001, "МСМ үйлестіру тобы", admins=[user])
        mark = botapi.mark()
        botapi.send_command(user, "/start@eskertu_test_bot", chat=group)
        await botapi.wait_for_message(-4001, since=mark)
        async with bot.svc.db.unit_of_work() as uow:
            chat = await uow.session.scalar(select(ChatRow).where(ChatRow.id == -4001))
        assert chat is not None
        assert (chat.type, chat.title) == ("group", "МСМ үйлестіру тобы")


def test_python_m_bot_answers_start_and_stops_on_sigterm(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "BOT_TOKEN": botapi.token,
        "TELEGRAM_API_URL": botapi.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'var' / 'bot.sqlite3'}",
        "PLAN_PATH": str(PLAN_PATH),
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        botapi.wait_for_call_sync("getUpdates", timeout=30)
        user = botapi.user(504, "Нұрлан")
        mark = botapi.mark()
        botapi.send_command(user, "/start")
        reply = botapi.wait_for_message_sync(504, since=mark, timeout=15)
        assert "Сәлеметсіз бе, Нұрлан!" in reply["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert botapi.token not in err and botapi.token not in out
    assert (tmp_path / "var" / "bot.sqlite3").is_file()
