"""What a message looks like to its reader: text and rows of inline buttons.

Plain values shared by the renderers, which build them, and the delivery worker, which
sends them; neither side owns them, and nothing here knows Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass

# Telegram carries at most 64 bytes of callback data with a button.
MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button; ``data`` comes back in the callback query and is at most 64 bytes."""

    label: str
    data: str

    def __post_init__(self) -> None:
        if not self.label:
            raise ValueError("a button needs a label")
        size = len(self.data.encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data must be 1–64 bytes, got {size}: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file Telegram already holds (a report's evidence), sent again with a message."""

    kind: str  # "document" or "photo"
    file_id: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to send: Telegram HTML text and rows of inline buttons.

    ``asks`` makes the reader's app open a reply to it (a question answered in a reply);
    ``attachment`` is a file sent with it.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    asks: bool = False
    attachment: Attachment | None = None
