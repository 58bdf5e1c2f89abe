"""Taking in one POSTed update: check the secret, parse, claim its id once, queue it, answer.

The answer comes as soon as the update is queued; PTB's application handles it from its
update queue afterwards. The update id is claimed in the shared database first, so a
redelivery (or the same update reaching another instance) is acknowledged and dropped.
When the database cannot record the claim the answer is 503, and Telegram tries again.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from telegram import Update
from telegram.ext import Application

from bot.convert import foreign_ids, log_dropped
from bot.webhook.metrics import ACCEPTED, DUPLICATE, MALFORMED, REJECTED, Metrics
from scheduler.clock import Clock
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.updates import claim_update

log = logging.getLogger("eskertu.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update is a few kilobytes; anything far larger is not from Telegram.
MAX_BODY_BYTES = 1 << 20


class UpdateIntake:
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        secret: str,
        db: Database,
        clock: Clock,
        metrics: Metrics,
    ) -> None:
        self._application = application
        self._secret = secret.encode()
        self._db = db
        self._clock = clock
        self._metrics = metrics

    async def handle(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self._count(REJECTED)
            return Response(status_code=403)
        body = await _read_limited(request)
        if body is None:
            self._count(MALFORMED)
            return Response(status_code=413)
        update = self._parse(body)
        if update is None:
            self._count(MALFORMED)
            return Response(status_code=400)
        try:
            first = await claim_update(self._db, self._clock, update.update_id)
        except Exception as exc:
            log.warning(
                "could not record update %s (%s); Telegram will send it again",
                update.update_id,
                type(exc).__name__,
            )
            return Response(status_code=503)
        if not first:
            self._count(DUPLICATE)
            return Response(status_code=200)
        await self._application.update_queue.put(update)
        self._count(ACCEPTED)
        return Response(status_code=200)

    def _parse(self, body: bytes) -> Update | None:
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
            return None
        foreign = foreign_ids(data)
        if foreign:
            log_dropped(update_id, foreign)
            return None
        try:
            return Update.de_json(data, self._application.bot)
        except Exception:
            log.warning("update %s could not be read; dropped", update_id)
            return None

    def _count(self, result: str) -> None:
        self._metrics.updates.labels(result=result).inc()


async def _read_limited(request: Request) -> bytes | None:
    """The body, or None when it is larger than an update can be."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
