"""The server side of one connection: routing, faults, rate limits, long polling, recording.

Runs inside the server's own event loop. The only state shared with other threads is the
``BotState``, always touched under its lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

from sandbox.botapi import methods
from sandbox.botapi.errors import ApiError, too_many_requests
from sandbox.botapi.faults import TIMEOUT, UNREADABLE, FaultRule, unreadable_body
from sandbox.botapi.limits import SEND_METHODS
from sandbox.botapi.methods_bot import begin_get_updates
from sandbox.botapi.model import FileRead, StoredFile
from sandbox.botapi.params import decode_params
from sandbox.botapi.state import BotState
from sandbox.botapi.wire import (
    HttpRequest,
    MalformedRequest,
    body_values,
    encode_response,
    json_response,
    read_request,
    response_head,
)

# A file goes out in pieces of this size, so that a client that stops reading stops it.
FILE_CHUNK = 64 * 1024

POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass(frozen=True)
class Outcome:
    """What to answer: a status and JSON body, or nothing (status None drops the connection).

    ``raw`` replaces the JSON body on the wire, as an unreadable answer; the call is still
    recorded with ``body``, the answer it would have had.
    """

    status: int | None
    body: dict[str, Any] | None
    raw: bytes | None = None

    @classmethod
    def success(cls, result: Any) -> Outcome:
        return cls(200, {"ok": True, "result": result})

    @classmethod
    def failure(cls, error: ApiError) -> Outcome:
        return cls(error.code, error.body())


DROPPED = Outcome(None, None)


@dataclass(frozen=True)
class FileAnswer:
    """A file to stream to the client: the response head, then the content in chunks."""

    head: bytes
    stored: StoredFile


class Endpoint:
    """Answers Bot API requests for one running server."""

    def __init__(self, state: BotState) -> None:
        self.state = state
        self._poll_generation = 0
        self._updates_changed = asyncio.Event()

    def wake_pollers(self) -> None:
        """Let waiting getUpdates calls look again (runs in the server loop)."""
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()

    # -- connections -----------------------------------------------------------------------

    async def serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    break
                answer = await self._answer_while_connected(request, reader)
                if answer is None:
                    writer.transport.abort()
                    break
                if isinstance(answer, FileAnswer):
                    await self._stream(answer, writer)
                else:
                    writer.write(answer)
                    await writer.drain()
                if not request.keep_alive:
                    break
        except (ConnectionError, MalformedRequest, asyncio.IncompleteReadError):
            writer.transport.abort()
        finally:
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()

    async def _stream(self, answer: FileAnswer, writer: asyncio.StreamWriter) -> None:
        """Send a file chunk by chunk and record how much of it went out.

        A client that stops reading once it has enough closes the connection; the record
        then shows the download ended early.
        """
        content, sent = answer.stored.content, 0
        try:
            writer.write(answer.head)
            for start in range(0, len(content), FILE_CHUNK):
                piece = content[start : start + FILE_CHUNK]
                writer.write(piece)
                await writer.drain()
                sent += len(piece)
        finally:
            with self.state.lock:
                self.state.file_reads.append(FileRead(answer.stored.file_id, len(content), sent))

    async def _answer_while_connected(
        self, request: HttpRequest, reader: asyncio.StreamReader
    ) -> bytes | FileAnswer | None:
        """The answer's bytes; None when it must be dropped or the client went away.

        The client closing its end while the server holds a call (long poll, injected delay)
        ends the call, as it would on Telegram's side.
        """
        handling = asyncio.ensure_future(self.answer(request))
        watching = asyncio.ensure_future(reader.read(1))
        try:
            await asyncio.wait({handling, watching}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (handling, watching):
                if not task.done():
                    task.cancel()
            await asyncio.gather(handling, watching, return_exceptions=True)
        if handling.cancelled():
            return None
        failure = handling.exception()
        if failure is not None:
            # A fault in the server itself: say so loudly instead of hanging the client.
            error = ApiError(500, f"Internal Server Error: {failure!r}")
            return json_response(500, error.body(), keep_alive=False)
        return handling.result()

    # -- requests --------------------------------------------------------------------------

    async def answer(self, request: HttpRequest) -> bytes | FileAnswer | None:
        keep_alive = request.keep_alive
        path = request.path
        file_prefix = f"/file/bot{self.state.token}/"
        if path.startswith(file_prefix):
            return self._file(path.removeprefix(file_prefix), keep_alive)
        if not path.startswith("/bot"):
            return json_response(404, _not_found(), keep_alive)
        token, _, name = path.removeprefix("/bot").partition("/")
        if token != self.state.token:
            outcome = Outcome.failure(ApiError(401, "Unauthorized"))
            self._record_now(name, {}, time.monotonic(), outcome)
            return json_response(401, outcome.body, keep_alive)
        found = methods.lookup(name)
        if found is None:
            outcome = Outcome(404, _not_found())
            self._record_now(name, {}, time.monotonic(), outcome)
            return json_response(404, outcome.body, keep_alive)
        outcome = await self._call(found[0], found[1], request)
        if outcome.status is None or outcome.body is None:
            return None
        if outcome.raw is not None:
            return encode_response(outcome.status, outcome.raw, keep_alive=keep_alive)
        return json_response(outcome.status, outcome.body, keep_alive)

    def _file(self, file_path: str, keep_alive: bool) -> bytes | FileAnswer:
        with self.state.lock:
            stored = next((f for f in self.state.files.values() if f.file_path == file_path), None)
        if stored is None:
            return json_response(404, _not_found(), keep_alive)
        content_type = stored.mime_type or "application/octet-stream"
        head = response_head(200, len(stored.content), content_type, keep_alive)
        return FileAnswer(head, stored)

    def _record_now(
        self, method: str, params: dict[str, Any], received: float, outcome: Outcome
    ) -> None:
        with self.state.lock:
            seq = self.state._reserve_seq()
            self.state._record(
                seq, method, params, received, time.monotonic(), outcome.status, outcome.body
            )

    async def _call(self, method: str, handler: methods.Handler, request: HttpRequest) -> Outcome:
        received = time.monotonic()
        state = self.state
        with state.lock:
            seq = state._reserve_seq()
        params: dict[str, Any] = {}
        processed = received
        outcome = DROPPED
        try:
            params = decode_params(body_values(request))
            with state.lock:
                chat_id = state._resolve_chat_ref(params.get("chat_id"))
            latency = state.faults.take_latency(method, chat_id)
            if latency > 0:
                await asyncio.sleep(latency)
            processed = time.monotonic()
            rule = state.faults.take_failure(method, chat_id)
            if rule is not None and rule.kind == UNREADABLE:
                outcome, processed = await self._execute(method, handler, params, seq)
                if outcome.status == 200 and outcome.body is not None:
                    raw = unreadable_body(rule.shape, outcome.body)
                    outcome = Outcome(outcome.status, outcome.body, raw)
            elif rule is not None and rule.kind != TIMEOUT:
                outcome = Outcome.failure(rule.error())
            elif rule is not None:
                outcome = await self._hold(rule, method, handler, params, seq)
            else:
                outcome, processed = await self._execute(method, handler, params, seq)
        except ApiError as error:
            outcome = Outcome.failure(error)
        finally:
            # Also reached when the client goes away or the server stops: the call is
            # recorded with no status then.
            with state.lock:
                state._record(
                    seq, method, params, received, processed, outcome.status, outcome.body
                )
        return outcome

    async def _hold(
        self,
        rule: FaultRule,
        method: str,
        handler: methods.Handler,
        params: dict[str, Any],
        seq: int,
    ) -> Outcome:
        outcome = DROPPED
        if rule.takes_effect:
            outcome, _ = await self._execute(method, handler, params, seq)
        await asyncio.sleep(rule.delay)
        if rule.drop or not rule.takes_effect:
            return DROPPED
        return outcome

    async def _execute(
        self, method: str, handler: methods.Handler, params: dict[str, Any], seq: int
    ) -> tuple[Outcome, float]:
        """Carry the call out; returns the answer and when it was processed."""
        if method == methods.GET_UPDATES:
            processed = time.monotonic()
            return await self._get_updates(params), processed
        state = self.state
        with state.lock:
            processed = time.monotonic()
            is_send = method.lower() in SEND_METHODS
            chat_id = state._resolve_chat_ref(params.get("chat_id"))
            if is_send and state.rate_limit and chat_id is not None and chat_id in state.chats:
                wait = state.enforcer.retry_after(chat_id, processed)
                if wait is not None:
                    return Outcome.failure(too_many_requests(wait)), processed
            try:
                result = handler(state, params, seq)
            except ApiError as error:
                return Outcome.failure(error), processed
            if is_send and state.rate_limit and chat_id is not None:
                state.enforcer.accept(chat_id, processed)
            return Outcome.success(result), processed

    async def _get_updates(self, params: dict[str, Any]) -> Outcome:
        loop = asyncio.get_running_loop()
        self._poll_generation += 1
        generation = self._poll_generation
        # An older long poll still waiting is answered with a conflict, as on Telegram.
        self.wake_pollers()
        state = self.state
        try:
            with state.lock:
                limit, timeout = begin_get_updates(state, params)
                batch = state._deliverable_updates(limit)
        except ApiError as error:
            return Outcome.failure(error)
        deadline = loop.time() + timeout
        while not batch:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            changed = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
            if generation != self._poll_generation:
                return Outcome.failure(ApiError(409, POLL_CONFLICT))
            with state.lock:
                batch = state._deliverable_updates(limit)
        return Outcome.success(batch)


def _not_found() -> dict[str, Any]:
    return ApiError(404, "Not Found").body()
