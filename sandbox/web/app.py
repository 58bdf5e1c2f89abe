"""The sandbox's web chat: a Starlette app serving the page, its JSON API and the files.

``GET /`` is the page (``?persona=KEY``, ``?lang=kk|ru|en``). The page's script talks to:

- ``GET /api/chats/{chat}?persona=KEY&after=N``: the chat's messages once the local Bot API's
  revision is past ``N`` (a long poll of up to ``WAIT_SECONDS``);
- ``POST /api/chats/{chat}/messages``: a message from the persona (form fields ``persona``,
  ``text``, ``reply_to``, and a ``file`` for a document);
- ``POST /api/chats/{chat}/buttons``: the persona presses an inline button (JSON ``persona``,
  ``message_id``, ``data``); the answer is the bot's callback answer, if it gives one;
- ``GET /api/clock`` and ``POST /api/clock`` (JSON ``jump``): the sandbox's clock and its jumps;
- ``GET /files/{file_id}``: a document or photo held by the local Bot API;
- ``/app/``: the bot's dashboard, the Mini App its buttons and menu button open, with
  initData the sandbox signs for the persona (:mod:`sandbox.web.webapp`).

A persona sees only its own private chat and the group; anything else is refused with a
message naming the problem. The sandbox, built by the composition root and started by the
lifespan, reaches the handlers through the lifespan's state.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

from babel.dates import format_date
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp

from bot.i18n.catalog import Catalog, Translator
from bot.web.dashboard.app import DASHBOARD_PATH
from bot.web.pages import Pages, static_files
from bot.wording import agency_name
from sandbox.personas import Persona
from sandbox.session import Sandbox
from sandbox.timeline import Jump
from sandbox.web.view import message_view
from sandbox.web.webapp import menu_of, open_link

PACKAGE = "sandbox.web"
# A long poll of the chat returns at the latest after this, and the page asks again.
WAIT_SECONDS = 15.0
WAIT_POLL = 0.05
# How long a button press waits for the bot's callback answer.
ANSWER_SECONDS = 5.0
# Telegram's own limit on a file a bot may download.
MAX_UPLOAD = 20 * 1024 * 1024

SandboxLifespan = Callable[[], contextlib.AbstractAsyncContextManager[Sandbox]]


class Refused(Exception):
    """A request the page should not have made; answered with a status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def clock_label(moment: dt.datetime, sandbox: Sandbox, language: str) -> str:
    local = moment.astimezone(sandbox.svc.runtime.tz)
    return f"{format_date(local.date(), 'full', locale=language)}, {local:%H:%M}"


class SandboxWeb:
    """The handlers; each reads the running sandbox from the request's lifespan state."""

    def __init__(self, catalog: Catalog, default_language: str) -> None:
        self.pages = Pages(PACKAGE, catalog, default_language)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _sandbox(request: Request) -> Sandbox:
        sandbox = request.state.sandbox
        assert isinstance(sandbox, Sandbox)
        return sandbox

    def _persona(self, sandbox: Sandbox, key: object, tr: Translator) -> Persona:
        persona = sandbox.cast.persona(str(key)) if key is not None else None
        if persona is None:
            raise Refused(404, tr.plain("sandbox.error.persona", persona=str(key)))
        return persona

    def _chat(self, request: Request, sandbox: Sandbox, persona: Persona, tr: Translator) -> int:
        raw = str(request.path_params["chat"])
        chat_id = int(raw) if raw.lstrip("-").isdigit() else None
        if chat_id is None or chat_id not in sandbox.cast.chats_of(persona):
            raise Refused(403, tr.plain("sandbox.error.chat", chat=raw))
        return chat_id

    @staticmethod
    def _refusal(error: Refused) -> JSONResponse:
        return JSONResponse({"error": error.message}, status_code=error.status)

    # -- the page --------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        sandbox = self._sandbox(request)
        tr = self.pages.translator(request)
        chosen = sandbox.cast.persona(request.query_params.get("persona", ""))
        persona = chosen or sandbox.cast.personas[0]
        agency_names = {
            p.key: agency_name(sandbox.svc.plan, p.agency, tr.language)
            for p in sandbox.cast.personas
            if p.agency is not None
        }
        group = sandbox.server.chat(sandbox.cast.group_id)
        config = {
            "persona": persona.key,
            "personas": {
                p.key: {"private": p.user_id, "group": sandbox.cast.group_id}
                for p in sandbox.cast.personas
            },
            "bot": sandbox.server.bot.get("username", ""),
            "commands": sandbox.server.commands(language_code=tr.language)
            or sandbox.server.commands(),
            "language": tr.language,
            "words": {
                key: tr.plain(f"sandbox.{key}")
                for key in ("reply", "download", "edited", "empty", "jumping", "failed")
            },
        }
        context = {
            "cast": sandbox.cast,
            "persona": persona,
            "agency_names": agency_names,
            "group_title": group.title if group is not None else "",
            "clock": clock_label(sandbox.clock.now(), sandbox, tr.language),
            "jumps": [jump.value for jump in Jump],
            "config": json.dumps(config, ensure_ascii=False),
        }
        return self.pages.render(request, "chat.html", context)

    # -- chats -----------------------------------------------------------------------------

    async def messages(self, request: Request) -> Response:
        sandbox = self._sandbox(request)
        tr = self.pages.translator(request)
        try:
            persona = self._persona(sandbox, request.query_params.get("persona"), tr)
            chat_id = self._chat(request, sandbox, persona, tr)
            after = int(request.query_params.get("after", "-1"))
        except Refused as error:
            return self._refusal(error)
        except ValueError:
            return self._refusal(Refused(400, tr.plain("sandbox.error.request")))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        server = sandbox.server
        while server.revision <= after and loop.time() < deadline:
            if await request.is_disconnected():
                return Response(status_code=204)
            await asyncio.sleep(WAIT_POLL)
        revision = server.revision
        tz = sandbox.svc.runtime.tz
        now = sandbox.clock.now()

        def open_web_app(url: str) -> str:
            return open_link(url, server, persona.user_id, now, tr.language)

        shown = [
            message_view(
                m, viewer=persona.user_id, tz=tz, language=tr.language, open_web_app=open_web_app
            )
            for m in server.messages(chat_id)
            if "text" in m or "caption" in m or "document" in m or "photo" in m
        ]
        # The menu button is the private chat's; initData is signed afresh with each answer.
        menu = menu_of(server, persona.user_id, now, tr.language) if chat_id > 0 else None
        return JSONResponse({"revision": revision, "messages": shown, "menu": menu})

    async def send(self, request: Request) -> Response:
        sandbox = self._sandbox(request)
        tr = self.pages.translator(request)
        async with request.form(max_files=1) as form:
            try:
                persona = self._persona(sandbox, form.get("persona"), tr)
                chat_id = self._chat(request, sandbox, persona, tr)
                text = str(form.get("text") or "")
                reply_to = _reply_target(sandbox, chat_id, form.get("reply_to"), tr)
                upload = form.get("file")
                chat = chat_id if chat_id < 0 else None
                if isinstance(upload, UploadFile) and upload.filename:
                    content = await upload.read(MAX_UPLOAD + 1)
                    if len(content) > MAX_UPLOAD:
                        limit = MAX_UPLOAD // (1024 * 1024)
                        raise Refused(413, tr.plain("sandbox.error.too_big", megabytes=limit))
                    sandbox.server.send_document(
                        persona.user_id,
                        upload.filename,
                        content,
                        mime_type=upload.content_type or "application/octet-stream",
                        reply_to=reply_to,
                        caption=text or None,
                        chat=chat,
                    )
                elif text.strip():
                    sandbox.server.send_text(persona.user_id, text, chat=chat, reply_to=reply_to)
                else:
                    raise Refused(400, tr.plain("sandbox.error.empty"))
            except Refused as error:
                return self._refusal(error)
        return JSONResponse({"revision": sandbox.server.revision})

    async def press(self, request: Request) -> Response:
        sandbox = self._sandbox(request)
        tr = self.pages.translator(request)
        try:
            body = await _json_object(request, tr)
            persona = self._persona(sandbox, body.get("persona"), tr)
            chat_id = self._chat(request, sandbox, persona, tr)
            message_id, data = body.get("message_id"), body.get("data")
            if not isinstance(message_id, int) or not isinstance(data, str):
                raise Refused(400, tr.plain("sandbox.error.request"))
            try:
                update = sandbox.server.press_button(persona.user_id, (chat_id, message_id), data)
            except ValueError:
                raise Refused(404, tr.plain("sandbox.error.button")) from None
        except Refused as error:
            return self._refusal(error)
        query_id = update["callback_query"]["id"]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ANSWER_SECONDS
        answer = sandbox.server.answered_callback(query_id)
        while answer is None and loop.time() < deadline:
            await asyncio.sleep(WAIT_POLL)
            answer = sandbox.server.answered_callback(query_id)
        answer = answer or {}
        return JSONResponse(
            {"text": answer.get("text") or "", "alert": bool(answer.get("show_alert"))}
        )

    # -- the clock -------------------------------------------------------------------------

    async def clock(self, request: Request) -> Response:
        sandbox = self._sandbox(request)
        tr = self.pages.translator(request)
        if request.method == "GET":
            now = sandbox.clock.now()
            return JSONResponse(
                {"now": now.isoformat(), "label": clock_label(now, sandbox, tr.language)}
            )
        try:
            body = await _json_object(request, tr)
            try:
                jump = Jump(str(body.get("jump")))
            except ValueError:
                raise Refused(400, tr.plain("sandbox.error.jump", jump=body.get("jump"))) from None
        except Refused as error:
            return self._refusal(error)
        result = await sandbox.timeline.jump(jump)
        return JSONResponse(
            {
                "now": result.after.isoformat(),
                "label": clock_label(result.after, sandbox, tr.language),
                "moved": result.moved,
                "note": "" if result.moved else tr.plain("sandbox.nothing_ahead"),
            }
        )

    # -- files -----------------------------------------------------------------------------

    async def file(self, request: Request) -> Response:
        sandbox = self._sandbox(request)
        tr = self.pages.translator(request)
        stored = sandbox.server.file(request.path_params["file_id"])
        if stored is None:
            return Response(tr.plain("sandbox.error.file"), status_code=404)
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        disposition = "inline" if request.query_params.get("inline") else "attachment"
        return Response(
            stored.content,
            media_type=stored.mime_type or "application/octet-stream",
            headers={
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
                "X-Content-Type-Options": "nosniff",
            },
        )


async def _json_object(request: Request, tr: Translator) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise Refused(400, tr.plain("sandbox.error.request")) from None
    if not isinstance(body, dict):
        raise Refused(400, tr.plain("sandbox.error.request"))
    return body


def _reply_target(sandbox: Sandbox, chat_id: int, raw: object, tr: Translator) -> int | None:
    if raw in (None, ""):
        return None
    text = str(raw)
    known = {m["message_id"] for m in sandbox.server.messages(chat_id)}
    if not text.isdigit() or int(text) not in known:
        raise Refused(404, tr.plain("sandbox.error.reply", message=text))
    return int(text)


def create_sandbox_app(
    start: SandboxLifespan,
    catalog: Catalog,
    default_language: str,
    dashboard: ASGIApp | None = None,
) -> Starlette:
    """The web chat; its lifespan runs ``start()`` (the bot and the personas) around serving.

    ``dashboard``, the bot's Mini App, is served under ``/app/``, where its buttons open it.
    """
    web = SandboxWeb(catalog, default_language)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[dict[str, Any]]:
        async with start() as sandbox:
            yield {"sandbox": sandbox}

    routes: list[BaseRoute] = [
        Route("/", web.page, methods=["GET"]),
        Route("/api/chats/{chat}", web.messages, methods=["GET"]),
        Route("/api/chats/{chat}/messages", web.send, methods=["POST"]),
        Route("/api/chats/{chat}/buttons", web.press, methods=["POST"]),
        Route("/api/clock", web.clock, methods=["GET", "POST"]),
        Route("/files/{file_id}", web.file, methods=["GET"]),
        Mount("/static", static_files(PACKAGE), name="static"),
    ]
    if dashboard is not None:
        routes.append(Mount(DASHBOARD_PATH, app=dashboard))
    return Starlette(routes=routes, lifespan=lifespan)
