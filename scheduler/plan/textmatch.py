"""Folding Kazakh text for matching, with a way back to the original characters.

Decree texts mix look-alike characters: no-break spaces, a Latin ``i`` inside Cyrillic words,
Latin ``I`` or palochka ``Ӏ`` in Roman numerals, en and em dashes. Matching runs on a folded
copy (NFC, casefolded, those look-alikes unified); whatever is stored is cut from the original
through :meth:`Folded.original`, so the stored text stays exactly as written.
"""

from __future__ import annotations

import unicodedata

_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "i": "і",
        "I": "і",
        "\u0406": "і",
        "\u04c0": "і",
        "\u04cf": "і",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


def fold(text: str) -> str:
    """The folded form of ``text``, for comparing and searching only."""
    return Folded(text).text


class Folded:
    """A folded copy of a string that remembers which original character each one came from."""

    def __init__(self, original: str) -> None:
        self.source = original
        chars: list[str] = []
        starts: list[int] = []
        i = 0
        while i < len(original):
            j = i + 1
            while j < len(original) and unicodedata.combining(original[j]):
                j += 1
            cluster = unicodedata.normalize("NFC", original[i:j]).translate(_CHAR_MAP).casefold()
            for ch in cluster:
                chars.append(ch)
                starts.append(i)
            i = j
        self.text = "".join(chars)
        self._starts = starts

    def original(self, start: int, end: int) -> str:
        """The original text behind the folded span ``[start, end)``."""
        if start >= end:
            return ""
        first = self._starts[start]
        last = self._starts[end] if end < len(self._starts) else len(self.source)
        return self.source[first:last]


# Latin letters that look like Cyrillic ones: «MKC» typed for «МКС», «ICB» for «ІСБ».
_LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
    }
)
# Kazakh letters a Russian keyboard lacks, and the letters typed in their place («МКБ» for «МҚБ»).
_KAZAKH_BASE = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
)
# The same keys on the Russian (ЙЦУКЕН) and the Latin (QWERTY) layouts, for text typed with the
# wrong one active: «vrc» is «МКС».
_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_JCUKEN = "йцукенгшщзхъфывапролджэячсмитьбюё"
_TO_CYRILLIC = str.maketrans(_QWERTY, _JCUKEN)
_TO_LATIN = str.maketrans(_JCUKEN, _QWERTY)


def code_keys(text: str) -> tuple[str, str, str]:
    """The forms of an agency's code or name that spellings of it share, for matching only.

    From the strictest to the loosest: :func:`fold` without spaces or dots; then with Latin
    look-alikes as Cyrillic letters; then with the Kazakh letters as the Russian ones typed
    for them. A match on a stricter form wins, so «КҚ» and «КК» stay two codes.
    """
    folded = fold(text)
    strict = "".join(ch for ch in folded if not ch.isspace() and ch not in ".·")
    lookalike = strict.translate(_LOOKALIKES)
    return strict, lookalike, lookalike.translate(_KAZAKH_BASE)


def other_layout(text: str) -> str:
    """``text`` as typed with the other keyboard layout (Russian for Latin and back)."""
    lowered = text.casefold()
    if any("a" <= ch <= "z" for ch in lowered):
        return lowered.translate(_TO_CYRILLIC)
    return lowered.translate(_TO_LATIN)
