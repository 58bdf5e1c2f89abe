"""HTTP/1.1 over asyncio streams: reading requests, writing responses, decoding bodies.

The server speaks just enough HTTP for httpx (the client python-telegram-bot uses):
keep-alive connections, ``Content-Length`` and chunked request bodies, and the three body
encodings the Bot API accepts (URL-encoded form, multipart form, JSON).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from python_multipart.multipart import MultipartParser, parse_options_header

from sandbox.botapi.errors import bad_request
from sandbox.botapi.params import RawValue, UploadedFile

MAX_HEADER_BYTES = 64 * 1024


@dataclass(frozen=True)
class HttpRequest:
    """One parsed request; header names are lower-case."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def keep_alive(self) -> bool:
        return self.headers.get("connection", "").lower() != "close"


class MalformedRequest(Exception):
    """The bytes on the connection are not an HTTP request this server understands."""


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            # Trailers end with an empty line.
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)


async def read_request(reader: asyncio.StreamReader) -> HttpRequest | None:
    """The next request on the connection, or None when the client closed it."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise MalformedRequest("connection closed inside the request head") from exc
    except asyncio.LimitOverrunError as exc:
        raise MalformedRequest("request head too large") from exc
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
    except ValueError as exc:
        raise MalformedRequest(f"bad request line {lines[0]!r}") from exc
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0") or "0"))
    parts = urlsplit(target)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return HttpRequest(method.upper(), unquote(parts.path), query, headers, body)


def response_head(
    status: int, length: int, content_type: str = "application/json", keep_alive: bool = True
) -> bytes:
    """The status line and headers of an HTTP/1.1 response whose body has ``length`` bytes."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
        "\r\n"
    )
    return head.encode("latin-1")


def encode_response(
    status: int, body: bytes, content_type: str = "application/json", keep_alive: bool = True
) -> bytes:
    """A complete HTTP/1.1 response with ``body``."""
    return response_head(status, len(body), content_type, keep_alive) + body


def json_response(status: int, payload: Any, keep_alive: bool = True) -> bytes:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return encode_response(status, body, keep_alive=keep_alive)


class _PartCollector:
    """Gathers the parts of a multipart body into fields and uploaded files."""

    def __init__(self) -> None:
        self.values: dict[str, RawValue] = {}
        self._headers: dict[str, bytes] = {}
        self._field = bytearray()
        self._value = bytearray()
        self._data = bytearray()

    def on_part_begin(self) -> None:
        self._headers = {}
        self._data = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._field.decode("latin-1").lower()] = bytes(self._value)
        self._field = bytearray()
        self._value = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]

    def on_part_end(self) -> None:
        # Bytes, not str: the parser would encode a str as Latin-1 and fail on UTF-8 names.
        _, options = parse_options_header(self._headers.get("content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8")
        if b"filename" in options:
            self.values[name] = UploadedFile(
                filename=options[b"filename"].decode("utf-8"),
                content=bytes(self._data),
                mime_type=self._headers.get("content-type", b"application/octet-stream").decode(
                    "latin-1"
                ),
            )
        else:
            self.values[name] = self._data.decode("utf-8")


def _parse_multipart(content_type: str, body: bytes) -> dict[str, RawValue]:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise bad_request("multipart body without boundary")
    collector = _PartCollector()
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": collector.on_part_begin,
            "on_part_data": collector.on_part_data,
            "on_part_end": collector.on_part_end,
            "on_header_field": collector.on_header_field,
            "on_header_value": collector.on_header_value,
            "on_header_end": collector.on_header_end,
        },
    )
    parser.write(body)
    parser.finalize()
    return collector.values


def body_values(request: HttpRequest) -> dict[str, RawValue]:
    """Query parameters merged with the body's fields (the body wins on a clash)."""
    values: dict[str, RawValue] = dict(request.query)
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if not request.body:
        return values
    if media_type == "application/json":
        try:
            payload = json.loads(request.body)
        except ValueError:
            raise bad_request("can't parse JSON encoded request body") from None
        if not isinstance(payload, dict):
            raise bad_request("JSON request body must be an object")
        values.update(payload)
    elif media_type == "multipart/form-data":
        values.update(_parse_multipart(content_type, request.body))
    else:
        text = request.body.decode("utf-8")
        values.update(parse_qsl(text, keep_blank_values=True))
    return values
