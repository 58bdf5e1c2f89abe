"""Callback data of plan changes: ``ack:<version>`` acknowledges a change notice."""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind

ACKNOWLEDGE = CallbackKind("ack", (ROW_ID,))
