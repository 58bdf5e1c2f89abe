"""Callback data of broadcasts: ``bc:go:<draft>`` sends a previewed one, ``bc:no:…`` drops it."""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind

BROADCAST = CallbackKind("bc", ("go|no", ROW_ID))
SEND, DROP = "go", "no"
