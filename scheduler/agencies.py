"""Which agency a reader means: the one resolver of every typed agency code.

A reader names an agency by its code in the glossary («МСМ»), by its Russian or English
abbreviation («МКС», «MCS»), or by its name in any language, in any letter case, with Latin
look-alike letters («MKC»), with the Russian letters typed for Kazakh ones («МКБ» for «МҚБ»),
or with the wrong keyboard layout active («vrc»). Matching runs on folded text
(:func:`scheduler.plan.textmatch.code_keys`); what is stored and shown is the plan's code.

A stricter fold is tried before a looser one, so codes that only the loosest fold confuses
(«КҚ» and «КК») stay apart. Within a fold, codes come first, then abbreviations, then names:
a spelling one of them already claims is not taken by a later one, and a spelling two
agencies share at the same rank names neither, so that an ambiguous word is refused rather
than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from scheduler.plan.model import Agency, Plan
from scheduler.plan.textmatch import code_keys, other_layout


def _spellings(agency: Agency) -> tuple[list[str], list[str], list[str]]:
    """The agency's code, its abbreviations and its names, by rank."""
    short = [t.text for t in (agency.abbreviations.ru, agency.abbreviations.en) if t is not None]
    names = [agency.name.kk, *(t.text for t in (agency.name.ru, agency.name.en) if t is not None)]
    return [agency.code], short, names


def _index(agencies: list[Agency], level: int) -> dict[str, str]:
    """The spellings of ``agencies`` folded at ``level`` of :func:`code_keys`, to their codes."""
    found: dict[str, str] = {}
    for rank in range(3):
        claims: dict[str, set[str]] = {}
        for agency in agencies:
            for spelling in _spellings(agency)[rank]:
                key = code_keys(spelling)[level]
                if key and key not in found:
                    claims.setdefault(key, set()).add(agency.code)
        found.update({key: codes.pop() for key, codes in claims.items() if len(codes) == 1})
    return found


@dataclass(frozen=True)
class AgencyIndex:
    """Every folded spelling of a plan's agencies, and the code each one names."""

    codes: tuple[str, ...]
    _levels: tuple[Mapping[str, str], ...] = field(repr=False, default=())

    @classmethod
    def of(cls, agencies: Iterable[Agency]) -> AgencyIndex:
        agencies = list(agencies)
        levels = tuple(MappingProxyType(_index(agencies, level)) for level in range(3))
        return cls(tuple(a.code for a in agencies), levels)

    @classmethod
    def of_plan(cls, plan: Plan) -> AgencyIndex:
        return cls.of(plan.agencies)

    def resolve(self, typed: str) -> str | None:
        """The code of the agency ``typed`` names, or None when it names none (or several)."""
        text = typed.strip()
        if not text:
            return None
        for candidate in (text, other_layout(text)):
            keys = code_keys(candidate)
            for level, spellings in enumerate(self._levels):
                found = spellings.get(keys[level])
                if found is not None:
                    return found
        return None
