"""Callback data of plan changes: ``ack:<version>`` acknowledges a change notice;
``pd:go:<draft>`` puts a previewed change in force and ``pd:no:<draft>`` drops it."""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind

ACKNOWLEDGE = CallbackKind("ack", (ROW_ID,))
DECIDE = CallbackKind("pd", ("go|no", ROW_ID))
APPLY, DROP = "go", "no"
