"""Callback data of the language buttons: ``lang:<kk|ru|en>``."""

from __future__ import annotations

from bot.features.callback_data import CallbackKind
from bot.i18n.catalog import LANGUAGES

LANGUAGE = CallbackKind("lang", ("|".join(LANGUAGES),))
