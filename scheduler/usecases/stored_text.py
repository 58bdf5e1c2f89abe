"""Text as the database can keep it: everything a user wrote, except U+0000.

PostgreSQL's text type cannot hold the NUL character, so a message carrying one would fail
to be stored there. It is kept as U+FFFD, the replacement character, on every engine alike;
every other character, control characters and markup included, is stored as written.
"""

from __future__ import annotations

NUL = "\x00"
REPLACEMENT = "\ufffd"


def storable(text: str) -> str:
    return text.replace(NUL, REPLACEMENT)
