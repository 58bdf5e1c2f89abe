"""Facts about uploaded media: image sizes read from PNG and JPEG headers."""

from __future__ import annotations

DEFAULT_SIZE = (800, 600)
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 <= len(content):
        if content[index] != 0xFF:
            return None
        marker = content[index + 1]
        length = int.from_bytes(content[index + 2 : index + 4], "big")
        if marker in _JPEG_SOF:
            height = int.from_bytes(content[index + 5 : index + 7], "big")
            width = int.from_bytes(content[index + 7 : index + 9], "big")
            return width, height
        index += 2 + length
    return None


def image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG image; ``DEFAULT_SIZE`` for anything else."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    if content.startswith(b"\xff\xd8"):
        size = _jpeg_size(content)
        if size is not None:
            return size
    return DEFAULT_SIZE


def thumbnail_size(width: int, height: int, longest: int = 90) -> tuple[int, int]:
    """The size Telegram's smallest photo variant would have."""
    scale = min(1.0, longest / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))
