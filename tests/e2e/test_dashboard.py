"""/dashboard and the menu button through the real Bot API protocol, and the dashboard's own
listener in polling mode, with the initData the button's opening would carry."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from bot.i18n.catalog import load_catalog
from bot.web.dashboard.app import dashboard_of
from bot.web.dashboard.server import DashboardServer
from bot.web.init_data import sign, user_fields
from sandbox.botapi.server import BotApiServer
from tests.e2e.harness import running_bot

ADMIN, MEMBER, STRANGER = 701, 702, 703
URL = "https://dash.example.kz/app/"
CATALOG = load_catalog()


async def test_the_menu_button_opens_the_dashboard_when_its_address_is_set(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, webapp_url=URL):
        button = botapi.menu_button()
        assert button == {
            "type": "web_app",
            "text": CATALOG.plain("kk", "dashboard.menu_button"),
            "web_app": {"url": URL},
        }
        assert botapi.menu_button(ADMIN) == button
        assert "dashboard" in [c["command"] for c in botapi.commands(language_code="en")]


async def test_without_an_address_there_is_no_menu_button_and_dashboard_says_so(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,)):
        assert botapi.menu_button() == {"type": "commands"}
        botapi.user(ADMIN, "Әсел", language_code="en")
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/dashboard")
        reply = await botapi.wait_for_message(ADMIN, since=mark)
        assert reply["text"] == CATALOG.plain("en", "dashboard.not_configured")
        assert "reply_markup" not in reply


async def test_dashboard_answers_with_a_web_app_button_in_private_only(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,), webapp_url=URL):
        botapi.user(ADMIN, "Әсел", language_code="ru")
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/dashboard")
        reply = await botapi.wait_for_message(ADMIN, since=mark)
        [[button]] = reply["reply_markup"]["inline_keyboard"]
        assert button == {
            "text": CATALOG.plain("ru", "dashboard.button"),
            "web_app": {"url": URL},
        }
        assert reply["text"] == CATALOG.plain("ru", "dashboard.opens")

        # Telegram allows no Mini App button in a group: the reply says where it opens.
        group = botapi.group(-7001, "Топ", admins=[ADMIN])
        mark = botapi.mark()
        botapi.send_command(ADMIN, "/dashboard@eskertu_test_bot", chat=group)
        said = await botapi.wait_for_message(-7001, since=mark)
        assert said["text"] == CATALOG.plain("kk", "dashboard.private_only")
        assert "reply_markup" not in said

        # Someone with nothing to see there is told so, without a button.
        botapi.user(STRANGER, "Бейтаныс", language_code="en")
        mark = botapi.mark()
        botapi.send_command(STRANGER, "/dashboard")
        refused = await botapi.wait_for_message(STRANGER, since=mark)
        assert refused["text"] == CATALOG.plain("en", "refusal.no_dashboard")
        assert "reply_markup" not in refused


def test_the_local_bot_api_keeps_web_app_buttons_to_private_chats(botapi: BotApiServer) -> None:
    botapi.user(ADMIN, "Әсел")
    botapi.private_chat(ADMIN)
    botapi.group(-7002, "Топ", admins=[ADMIN])
    markup = {"inline_keyboard": [[{"text": "x", "web_app": {"url": URL}}]]}
    api = f"{botapi.base_url}{botapi.token}"
    with httpx.Client() as client:
        ok = client.post(
            f"{api}/sendMessage", json={"chat_id": ADMIN, "text": "a", "reply_markup": markup}
        )
        assert ok.json()["ok"] is True
        group = client.post(
            f"{api}/sendMessage", json={"chat_id": -7002, "text": "a", "reply_markup": markup}
        )
        assert group.status_code == 400 and "BUTTON_TYPE_INVALID" in group.json()["description"]
        plain = {
            "inline_keyboard": [[{"text": "x", "web_app": {"url": "http://dash.example.kz/"}}]]
        }
        insecure = client.post(
            f"{api}/sendMessage", json={"chat_id": ADMIN, "text": "a", "reply_markup": plain}
        )
        assert insecure.status_code == 400


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_in_polling_mode_the_dashboard_has_a_listener_of_its_own(
    botapi: BotApiServer, database_url: str
) -> None:
    async with running_bot(botapi, database_url, admin_ids=(ADMIN,), webapp_url=URL) as bot:
        port = _free_port()
        server = DashboardServer(dashboard_of(bot.svc), "127.0.0.1", port)
        await server.start()
        try:
            fields = user_fields(ADMIN, "Әсел", language_code="en", auth_date=bot.clock.now())
            signed = sign(fields, botapi.token)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                page = await client.get("/app/")
                assert page.status_code == 200
                refused = await client.get("/app/view")
                assert refused.status_code == 401
                seen = await client.get("/app/view", headers={"Authorization": f"tma {signed}"})
                assert seen.status_code == 200 and "data-point" in seen.text
                forged = sign(fields, "1:another-bot")
                other = await client.get("/app/view", headers={"Authorization": f"tma {forged}"})
                assert other.status_code == 401
            # A second listener on the same address is refused, not left half started.
            twin = DashboardServer(dashboard_of(bot.svc), "127.0.0.1", port)
            with pytest.raises(OSError):
                await twin.start()
        finally:
            await server.stop()
        await asyncio.sleep(0)
        assert not server.started
