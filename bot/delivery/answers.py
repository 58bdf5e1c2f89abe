"""What the Bot API last answered, so that a send it accepted is never taken for a failure.

PTB reads Telegram's answer into a ``Message``; when the answer came with status 200 and
``"ok": true`` but cannot be read (cut short, no result, a result of the wrong shape), PTB
raises, and a worker that took that for a failure would send the message again and again.
``AnswerKeepingRequest`` is PTB's HTTPX request that also keeps the status and body of the
latest answer in the current task; :func:`accepted` says whether that answer accepted the
call, and what it still tells of the message.
"""

from __future__ import annotations

import asyncio
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError
from telegram.request import HTTPXRequest, RequestData


@dataclass(frozen=True, slots=True)
class RawAnswer:
    status: int
    body: bytes


@dataclass(frozen=True, slots=True)
class Accepted:
    """The Bot API said ok; ``message_id`` is the message's id, when it could be read."""

    message_id: int | None


# Each send runs in a task of its own, so the latest answer is per task.
_LATEST: ContextVar[RawAnswer | None] = ContextVar("eskertu_latest_answer", default=None)
_OK = re.compile(rb'\s*\{\s*"ok"\s*:\s*true\b')
_MESSAGE_ID = re.compile(rb'"message_id"\s*:\s*(\d+)')


class AnswerKeepingRequest(HTTPXRequest):
    """PTB's HTTPX request, keeping the latest answer of the current task.

    At most ``in_flight`` calls are made at once, on as many connections; the others wait
    their turn here. httpcore's pool looks over every open connection, and for each idle one
    over all of them again, whenever a call starts or ends, so that a call's cost grows with
    the square of the connections left open by the busiest moment: 64 of them made the
    connection pool the largest cost of a reply in a burst. Waiting here is not bound by
    the pool's timeout, so a burst of replies is answered late rather than not at all.
    """

    def __init__(self, *, in_flight: int = 8, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=in_flight, **kwargs)
        self._slots = asyncio.Semaphore(in_flight)

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """PTB's reading of an answer, without its error log and traceback of the whole body.

        An answer that cannot be read is told by the sender, in one line; PTB would log it
        again, as an error with a traceback.
        """
        try:
            data: dict[str, Any] = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as exc:
            raise TelegramError("Invalid server response") from exc
        return data

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        async with self._slots:
            status, body = await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        _LATEST.set(RawAnswer(status, body))
        return status, body


def forget_answer() -> None:
    """Start a call afresh: no answer has come for it yet."""
    _LATEST.set(None)


def accepted() -> Accepted | None:
    """Whether the latest answer in this task accepted its call, and the message id it names.

    Accepted means status 2xx and a body saying ``"ok": true``: as JSON, or, cut short, as
    its first field. The id is the result's ``message_id``, or the first one a cut body
    shows. Anything else (no answer, an error status, ok false, no body) is None.
    """
    answer = _LATEST.get()
    if answer is None or not 200 <= answer.status <= 299:
        return None
    try:
        data = json.loads(answer.body.decode("utf-8", "replace"))
    except ValueError:
        if not _OK.match(answer.body):
            return None
        found = _MESSAGE_ID.search(answer.body)
        return Accepted(int(found.group(1)) if found else None)
    if not isinstance(data, dict) or data.get("ok") is not True:
        return None
    result = data.get("result")
    message_id = result.get("message_id") if isinstance(result, dict) else None
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        message_id = None
    return Accepted(message_id)
