"""Reading an uploaded file with a bound on its size, whatever its sender says the size is.

Telegram's update names a document's size, but the field may be missing or wrong: the
size that counts is the one of the bytes that arrive. A use case is given a ``Fetch``,
which reads at most ``limit`` bytes and raises :class:`TooLarge` as soon as one more
arrives; :func:`read_bounded` is that counting, for any stream of chunks.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable

Fetch = Callable[[int], Awaitable[bytes]]
"""Reads the upload, at most ``limit`` bytes of it; raises :class:`TooLarge` beyond."""


class TooLarge(Exception):
    """The file has more than ``limit`` bytes; reading stopped there."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file has more than {limit} bytes")
        self.limit = limit


async def read_bounded(chunks: AsyncIterable[bytes], limit: int) -> bytes:
    """The chunks joined, or :class:`TooLarge` once they pass ``limit`` bytes.

    Nothing is read after the chunk that passes the limit.
    """
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        parts.append(chunk)
    return b"".join(parts)
