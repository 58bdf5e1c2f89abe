"""Callback data: the short strings a button carries back, built and parsed in one place each.

Every feature declares its kinds of callback data in its own ``callbacks`` module, and the
handler list registers each kind's pattern; so the text a button carries is written and read
by the same declaration. Telegram allows 64 bytes (``scheduler.presentation.Button`` checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A field that names a database row: digits only, and checked to fit in the database's
# 32-bit ids before any handler sees it (``bot.features.requests.button``).
ROW_ID = r"\d{1,10}"
ROW_ID_MAX = 2**31 - 1


@dataclass(frozen=True)
class CallbackKind:
    """Callback data of the form ``prefix:field:…``; ``fields`` are regular expressions."""

    prefix: str
    fields: tuple[str, ...] = ()

    @property
    def pattern(self) -> str:
        """The regular expression PTB matches callback data against."""
        parts = [re.escape(self.prefix), *(f"(?:{field})" for field in self.fields)]
        return "^" + ":".join(parts) + "$"

    def build(self, *values: object) -> str:
        if len(values) != len(self.fields):
            raise ValueError(f"{self.prefix}: expected {len(self.fields)} values, got {values}")
        data = ":".join([self.prefix, *(str(v) for v in values)])
        if re.fullmatch(self.pattern, data) is None:
            raise ValueError(f"{data!r} does not fit its own pattern {self.pattern}")
        return data

    def parse(self, data: str | None) -> tuple[str, ...] | None:
        """The fields of ``data``, or None when it is not of this kind or names no row."""
        if data is None:
            return None
        groups = "^" + ":".join([re.escape(self.prefix), *(f"({f})" for f in self.fields)]) + "$"
        found = re.fullmatch(groups, data)
        if found is None:
            return None
        fields = found.groups()
        rows = (v for v, f in zip(fields, self.fields, strict=True) if f == ROW_ID)
        return None if any(int(v) > ROW_ID_MAX for v in rows) else fields
