"""The translations sidecar: what the plan needs that the decree's text does not say.

It holds Russian and English short titles of the tasks, the agencies' Russian and English
names and abbreviations («МКС» and «MCS» for «МСМ»), the plan's Russian and English title,
the controller's position in those languages and the act's registry code. A value is either a
plain string, which is our own translation, or an object ``{"text": ..., "source": "official"
| "translation"}``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scheduler.plan.model import LocalizedText, TextSource


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


SidecarText = Annotated[str, Field(min_length=1)] | LocalizedText


class SidecarNames(_Model):
    ru: SidecarText | None = None
    en: SidecarText | None = None

    def localized(self, language: str) -> LocalizedText | None:
        value = self.ru if language == "ru" else self.en
        if value is None or isinstance(value, LocalizedText):
            return value
        return LocalizedText(text=value, source=TextSource.TRANSLATION)


class SidecarAgency(SidecarNames):
    """An agency's names, and its code as Russian and English readers write it."""

    abbreviations: SidecarNames = SidecarNames()


class SidecarAct(_Model):
    code: str | None = None
    number: str | None = None
    date: dt.date | None = None


class Translations(_Model):
    """The sidecar file's content; task keys are task numbers written as strings."""

    act: SidecarAct = SidecarAct()
    title: SidecarNames = SidecarNames()
    controller_position: SidecarNames = SidecarNames()
    agencies: dict[str, SidecarAgency] = {}
    tasks: dict[str, SidecarNames] = {}


class TranslationsError(Exception):
    """The sidecar cannot be read; ``message`` names the file and the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_translations(path: Path) -> Translations:
    """Read and check a sidecar file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TranslationsError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TranslationsError(f"{path}: cannot read it ({exc})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise TranslationsError(
            f"{path}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}"
        ) from None
    try:
        return Translations.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        place = ".".join(str(part) for part in first["loc"])
        raise TranslationsError(f"{path}: {place}: {first['msg']}") from None
