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
        user = botapi.user(501, "Айгүл", language_code="de", username="aigul")
        mark = botapi.mark()
        botapi.send_command(user, "/start")
        reply = await botapi.wait_for_message(501, since=mark)
        # A Telegram language the bot does not speak: DEFAULT_LANGUAGE, Kazakh.
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
        assert stored.username == "aigul" and stored.telegram_language == "de"
        assert chat is not None and chat.type == "private"


async def test_the_first_language_is_telegrams_until_one_is_chosen(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url):
        russian = botapi.user(505, "Ольга", language_code="ru")
        english = botapi.user(506, "Anna", language_code="en-GB")
        mark = botapi.mark()
        botapi.send_command(russian, "/start")
        welcome = await botapi.wait_for_message(505, since=mark)
        assert "Здравствуйте, Ольга!" in welcome["text"]
        mark = botapi.mark()
        botapi.send_command(english, "/help")
        assert "/tasks" in (await botapi.wait_for_message(506, since=mark))["text"]
        mark = botapi.mark()
        botapi.send_command(english, "/start")
        assert "Hello, Anna!" in (await botapi.wait_for_message(506, since=mark))["text"]

        # The choice wins over Telegram's language from then on.
        mark = botapi.mark()
        botapi.press_button(russian, welcome, "lang:kk")
        await botapi.wait_for_message(505, since=mark)
        mark = botapi.mark()
        botapi.send_command(russian, "/start")
        assert "Сәлеметсіз бе, Ольга!" in (await botapi.wait_for_message(505, since=mark))["text"]

        # A group speaks DEFAULT_LANGUAGE until its administrators choose, whoever writes.
        group = botapi.group(-4002, "Топ", admins=[english])
        mark = botapi.mark()
        botapi.send_command(english, "/start@eskertu_test_bot", chat=group)
        assert "Сәлеметсіз бе, Anna!" in (await botapi.wait_for_message(-4002, since=mark))["text"]


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


async def test_an_internal_error_is_told_in_the_readers_language(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url):
        user = botapi.user(504, "Dana", language_code="en")
        botapi.fail_with(400, "Bad Request: refused by the test", method="sendMessage", times=1)
        mark = botapi.mark()
        botapi.send_command(user, "/help")
        told = await botapi.wait_for_message(504, since=mark)
        assert told["text"].startswith("Sorry, an internal error occurred")
