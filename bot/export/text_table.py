"""Tables as Telegram text: columns aligned in <pre>, cut to fit a message.

The summary, the discipline and the weekly digest share them; the first column is left
aligned (a name), the others right aligned (figures).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.i18n.catalog import Translator


def aligned(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return " ".join([first, *rest]).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def pre(lines: Sequence[str]) -> str:
    return "<pre>" + html.escape("\n".join(lines), quote=False) + "</pre>"


def fitted(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    total: Sequence[str],
    tr: Translator,
    room: int,
) -> str:
    """The aligned table and its total row, dropping rows from the end until it fits."""
    keep = len(rows)
    while True:
        text = pre(aligned(headers, [*rows[:keep], total]))
        if keep < len(rows):
            text += "\n" + tr("report.rows_left_out", count=len(rows) - keep)
        if len(text) <= room or keep == 0:
            return text
        keep -= 1
