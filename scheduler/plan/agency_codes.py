"""Codes for responsible parties a table names in full, with no glossary of abbreviations.

A table plan names posts and units («Кәсіпорынның Комплаенс-офицері», «Мониторинг және
әкімшілік жұмыс басқармасы»); each distinct name becomes an agency whose code is made from
the name alone: the initials of its words in their own letters, without the joining words
(және, мен, и, по …), uppercased («КК», «МӘЖБ»); a one-word name gives its first three letters;
a name that is already an abbreviation («ЖАО») is its own code. Names whose initials coincide
are numbered in the alphabetical order of their folded names («ҚБ1», «ҚБ2»), so the same file
always gives the same codes. A name the plan in force already knows keeps the code it has
there, so that memberships and subscriptions stay with it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from scheduler.plan.textmatch import fold

_JOINING = {
    "және",
    "бен",
    "пен",
    "немесе",
    "мен",
    "и",
    "или",
    "по",
    "в",
    "во",
    "на",
    "с",
    "со",
    "для",
    "за",
    "при",
    "of",
    "and",
    "the",
    "for",
}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_MAX_INITIALS = 6


def base_code(name: str) -> str:
    """The code a name gives by itself, before names with the same initials are told apart."""
    stripped = name.strip()
    if re.fullmatch(r"[^\W\d_]{2,10}", stripped) and stripped.isupper():
        return stripped
    words: list[str] = _WORD.findall(stripped)
    significant = [w for w in words if fold(w) not in _JOINING] or words
    if not significant:
        return "A"
    if len(significant) == 1:
        return significant[0][:3].upper()
    return "".join(w[0] for w in significant[:_MAX_INITIALS]).upper()


def name_key(name: str) -> str:
    """What two spellings of one name share: folded, with its spaces collapsed."""
    return fold(" ".join(name.split()))


def assign_codes(names: Iterable[str], known: Mapping[str, str] | None = None) -> dict[str, str]:
    """A code for each distinct name, keyed by :func:`name_key`; ``known`` is keyed the same."""
    known = dict(known or {})
    taken = set(known.values())
    result: dict[str, str] = {}
    fresh: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key in known:
            result[key] = known[key]
        else:
            fresh.setdefault(key, name)
    groups: dict[str, list[str]] = defaultdict(list)
    for key, name in fresh.items():
        groups[base_code(name)].append(key)
    for base, keys in groups.items():
        if len(keys) == 1 and base not in taken:
            result[keys[0]] = base
            taken.add(base)
            continue
        n = 0
        for key in sorted(keys):
            n += 1
            while f"{base}{n}" in taken:
                n += 1
            result[key] = f"{base}{n}"
            taken.add(result[key])
    return result
