"""Callback data of broadcasts: ``bc:go:<draft>`` sends a previewed one, ``bc:no:…`` drops it."""

from __future__ import annotations

from bot.features.callback_data import CallbackKind

BROADCAST = CallbackKind("bc", ("go|no", r"\d{1,10}"))
SEND, DROP = "go", "no"
