"""The web chat's page and JSON API, against a running sandbox (without a browser)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.i18n.catalog import load_catalog
from sandbox.personas import DEFAULT_CAST
from sandbox.serve import bind
from sandbox.session import Sandbox
from sandbox.web.app import create_sandbox_app
from tests.sandbox.support import sandbox_running

CAST = DEFAULT_CAST
ADMIN, COORDINATOR, OFFICER, CONTROLLER, NEWCOMER = (p.user_id for p in CAST.personas)
GROUP = CAST.group_id
CATALOG = load_catalog()
WAIT = 20.0


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without its signal handlers: the test process keeps its own."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The web chat served by uvicorn on an ephemeral port, its lifespan running the sandbox."""

    @contextlib.asynccontextmanager
    async def start() -> AsyncIterator[Sandbox]:
        async with sandbox_running(tmp_path) as sandbox:
            yield sandbox

    listener = bind(0)
    config = uvicorn.Config(
        create_sandbox_app(start, CATALOG, "kk"), log_config=None, lifespan="on", ws="none"
    )
    server = _EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started:
            assert not task.done(), "the web chat did not start"
            await asyncio.sleep(0.02)
        base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            yield http
    finally:
        server.should_exit = True
        await task
        listener.close()


async def _chat(
    client: httpx.AsyncClient, persona: str, chat_id: int, after: int = -1
) -> dict[str, Any]:
    response = await client.get(
        f"/api/chats/{chat_id}", params={"persona": persona, "after": after}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _wait_for(
    client: httpx.AsyncClient, persona: str, chat_id: int, wanted: Any
) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    revision = -1
    while time.monotonic() < deadline:
        body = await _chat(client, persona, chat_id, after=revision)
        for message in body["messages"]:
            if wanted(message):
                return message  # type: ignore[no-any-return]
        revision = body["revision"]
    raise AssertionError(f"no such message in chat {chat_id}")


async def _say(
    client: httpx.AsyncClient, persona: str, chat_id: int, text: str, **extra: Any
) -> None:
    response = await client.post(
        f"/api/chats/{chat_id}/messages", data={"persona": persona, "text": text, **extra}
    )
    assert response.status_code == 200, response.text


async def test_the_page_speaks_the_chosen_language_and_remembers_it(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert '<html lang="kk">' in page.text
    for key in ("sandbox.title", "sandbox.jump.next_reminder", "sandbox.persona.controller"):
        assert CATALOG.plain("kk", key) in page.text
    english = await client.get("/", params={"lang": "en", "persona": "officer"})
    assert "Next reminder" in english.text and "+1 working day" in english.text
    assert "officer of Ministry of Culture and Sport" in english.text
    chosen = re.findall(r'data-persona="(\w+)"[^>]*aria-current="true"', english.text)
    assert chosen == ["officer"]
    assert english.cookies.get("eskertu_lang") == "en"
    # Asked again without ?lang=, the page keeps English.
    again = await client.get("/")
    assert '<html lang="en">' in again.text and "Ескерту — оқу алаңы" not in again.text
    assert (await client.get("/static/chat.js")).status_code == 200
    assert "text/css" in (await client.get("/static/chat.css")).headers["content-type"]


async def test_a_newcomer_starts_the_bot_and_chooses_a_language(client: httpx.AsyncClient) -> None:
    assert (await _chat(client, "newcomer", NEWCOMER))["messages"] == []
    await _say(client, "newcomer", NEWCOMER, "/start")
    welcome = await _wait_for(
        client, "newcomer", NEWCOMER, lambda m: any(row for row in m["buttons"]) and not m["mine"]
    )
    assert welcome["sender"]["bot"] and "Жаңа қолданушы" in welcome["text"]
    assert any(e["type"] == "bold" for e in welcome["entities"])
    labels = [b["text"] for row in welcome["buttons"] for b in row]
    assert any("Русский" in label for label in labels)
    pressed = await client.post(
        f"/api/chats/{NEWCOMER}/buttons",
        json={"persona": "newcomer", "message_id": welcome["id"], "data": "lang:ru"},
    )
    assert pressed.status_code == 200 and pressed.json() == {"text": "", "alert": False}
    chosen = await _wait_for(client, "newcomer", NEWCOMER, lambda m: m["text"].startswith("Язык"))
    assert chosen["text"] == "Язык сохранён: русский."
    first = (await _chat(client, "newcomer", NEWCOMER))["messages"][0]
    assert first["mine"] and first["text"] == "/start" and first["day"] == "2015-11-16"


async def test_a_reply_in_the_group_and_a_document_both_ways(client: httpx.AsyncClient) -> None:
    # The administrator asks for the calendar file in the group, replying to nothing.
    await _say(client, "administrator", GROUP, "/ics МСМ")
    document = await _wait_for(
        client, "administrator", GROUP, lambda m: m["attachment"] is not None
    )
    attachment = document["attachment"]
    assert attachment["kind"] == "document" and attachment["name"] == "eskertu-МСМ.ics"
    download = await client.get(f"/{attachment['url']}")
    assert download.status_code == 200
    assert download.content.startswith(b"BEGIN:VCALENDAR")
    assert download.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    # The officer sees the same group and replies to the file with one of their own.
    seen = (await _chat(client, "officer", GROUP))["messages"]
    assert any(m["id"] == document["id"] for m in seen)
    response = await client.post(
        f"/api/chats/{GROUP}/messages",
        data={"persona": "officer", "text": "хаттама", "reply_to": str(document["id"])},
        files={"file": ("хаттама.pdf", b"%PDF-1.4 test", "application/pdf")},
    )
    assert response.status_code == 200, response.text
    mine = await _wait_for(client, "officer", GROUP, lambda m: m["mine"] and m["attachment"])
    assert mine["text"] == "хаттама" and mine["attachment"]["name"] == "хаттама.pdf"
    assert mine["reply_to"]["id"] == document["id"]
    uploaded = await client.get(f"/{mine['attachment']['url']}")
    assert uploaded.content == b"%PDF-1.4 test"


async def test_the_administrators_report_chart_and_spreadsheet_download(
    client: httpx.AsyncClient,
) -> None:
    await _say(client, "administrator", ADMIN, "/report")
    chart = await _wait_for(
        client, "administrator", ADMIN, lambda m: (m["attachment"] or {}).get("kind") == "photo"
    )
    picture = await client.get(f"/{chart['attachment']['download']}")
    assert picture.content.startswith(b"\x89PNG")
    assert picture.headers["content-disposition"].startswith("attachment")
    assert (
        (await client.get(f"/{chart['attachment']['url']}"))
        .headers["content-disposition"]
        .startswith("inline")
    )
    await _say(client, "administrator", ADMIN, "/report xlsx")
    sheet = await _wait_for(
        client,
        "administrator",
        ADMIN,
        lambda m: str((m["attachment"] or {}).get("name", "")).endswith(".xlsx"),
    )
    assert sheet["attachment"]["name"] == "eskertu-report-2015-11-16-kk.xlsx"
    content = (await client.get(f"/{sheet['attachment']['url']}")).content
    assert content.startswith(b"PK")


async def test_the_clock_moves_to_the_next_reminder(client: httpx.AsyncClient) -> None:
    now = (await client.get("/api/clock")).json()
    assert now["label"].startswith("2015\u202fж. 16 қараша")
    moved = (await client.post("/api/clock", json={"jump": "next-reminder"})).json()
    assert moved["moved"] and moved["note"] == ""
    assert moved["label"] == "2015\u202fж. 17 қараша, сейсенбі, 09:00"
    reminder = await _wait_for(client, "officer", OFFICER, lambda m: m["text"].startswith("⏰"))
    assert reminder["time"] == "09:00" and reminder["day"] == "2015-11-17"
    assert any(b["callback_data"].startswith("st:") for row in reminder["buttons"] for b in row)


@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "key"),
    [
        ("get", f"/api/chats/{OFFICER}?persona=nobody", None, 404, "sandbox.error.persona"),
        ("get", f"/api/chats/{COORDINATOR}?persona=newcomer", None, 403, "sandbox.error.chat"),
        (
            "get",
            f"/api/chats/{OFFICER}?persona=officer&after=x",
            None,
            400,
            "sandbox.error.request",
        ),
        (
            "form",
            f"/api/chats/{OFFICER}/messages",
            {"persona": "officer"},
            400,
            "sandbox.error.empty",
        ),
        (
            "form",
            f"/api/chats/{OFFICER}/messages",
            {"persona": "officer", "text": "x", "reply_to": "999"},
            404,
            "sandbox.error.reply",
        ),
        (
            "json",
            f"/api/chats/{OFFICER}/buttons",
            {"persona": "officer", "message_id": 1, "data": "lang:kk"},
            404,
            "sandbox.error.button",
        ),
        ("json", f"/api/chats/{OFFICER}/buttons", ["x"], 400, "sandbox.error.request"),
        ("json", "/api/clock", {"jump": "back"}, 400, "sandbox.error.jump"),
    ],
)
async def test_what_the_page_should_not_ask_is_refused_with_a_reason(
    client: httpx.AsyncClient, method: str, path: str, payload: Any, status: int, key: str
) -> None:
    if method == "get":
        response = await client.get(path)
    elif method == "form":
        response = await client.post(path, data=payload)
    else:
        response = await client.post(path, json=payload)
    assert response.status_code == status
    expected = CATALOG.plain(
        "kk", key, persona="nobody", chat=COORDINATOR, message=999, jump="back"
    )
    assert response.json() == {"error": expected}


async def test_a_file_larger_than_telegram_allows_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"/api/chats/{OFFICER}/messages",
        data={"persona": "officer"},
        files={"file": ("big.bin", b"x" * (20 * 1024 * 1024 + 1), "application/octet-stream")},
    )
    assert response.status_code == 413
    assert response.json() == {"error": CATALOG.plain("kk", "sandbox.error.too_big", megabytes=20)}
    names = [m["attachment"] for m in (await _chat(client, "officer", OFFICER))["messages"]]
    assert not any(names)


async def test_an_unknown_file_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/files/nothing")
    assert response.status_code == 404
    assert response.text == CATALOG.plain("kk", "sandbox.error.file")
