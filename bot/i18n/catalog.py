"""Loading the gettext catalogs and rendering a message in one language.

Messages are keyed by a stable id (``start.welcome``) rather than by English text, so
a wording change in one language never orphans the others. Catalog text is HTML for
Telegram's HTML parse mode; every value put into it is escaped here.
"""

from __future__ import annotations

import html
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("kk", "ru", "en")


class CatalogError(Exception):
    """A catalog is missing, unreadable or lacks a message."""


@dataclass(frozen=True)
class Catalog:
    """Messages of every language, as ``{language: {key: template}}``."""

    messages: Mapping[str, Mapping[str, str]]
    fallback: str = "kk"

    def text(self, language: str, key: str, /, **values: object) -> str:
        """The message ``key`` in ``language`` (or the fallback), with escaped values."""
        template = self.messages.get(language, {}).get(key) or self.messages[self.fallback].get(key)
        if template is None:
            raise CatalogError(f"no message {key!r} in any catalog")
        escaped = {name: _escape(value) for name, value in values.items()}
        return template.format_map(escaped)

    def plain(self, language: str, key: str, /, **values: object) -> str:
        """The message without HTML, for places Telegram shows as plain text."""
        template = self.messages.get(language, {}).get(key) or self.messages[self.fallback][key]
        return template.format_map({k: str(v) for k, v in values.items()})

    def for_language(self, language: str) -> Translator:
        return Translator(self, language if language in self.messages else self.fallback)

    def keys(self, language: str) -> set[str]:
        return set(self.messages.get(language, {}))


@dataclass(frozen=True)
class Translator:
    """A catalog bound to one language: ``tr("help.text")``."""

    catalog: Catalog
    language: str

    def __call__(self, key: str, /, **values: object) -> str:
        return self.catalog.text(self.language, key, **values)

    def plain(self, key: str, /, **values: object) -> str:
        return self.catalog.plain(self.language, key, **values)


class Raw(str):
    """Markup built from other catalog messages, inserted without escaping."""

    __slots__ = ()


def _escape(value: object) -> str:
    if isinstance(value, Raw):
        return str(value)
    return html.escape(str(value), quote=False)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_catalog(directory: Path = LOCALES_DIR, fallback: str = "kk") -> Catalog:
    """Every ``<language>/*.po`` file under ``directory``; a key defined twice is an error."""
    messages: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        files = sorted((directory / language).glob("*.po"))
        if not files:
            raise CatalogError(f"cannot read the {language} catalog: no .po files in {directory}")
        merged: dict[str, str] = {}
        for path in files:
            for key, text in _read(path, language).items():
                if key in merged:
                    raise CatalogError(f"{path}: message {key!r} is defined twice")
                merged[key] = text
        messages[language] = merged
    return Catalog(messages, fallback=fallback)


def _read(path: Path, language: str) -> dict[str, str]:
    try:
        with path.open("rb") as handle:
            po = read_po(handle, locale=language)
    except OSError as exc:
        raise CatalogError(f"cannot read the {language} catalog {path}: {exc.strerror}") from None
    return {str(m.id): str(m.string) for m in po if m.id and m.string}
