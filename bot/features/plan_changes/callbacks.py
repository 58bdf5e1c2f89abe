"""Callback data of plan changes: ``ack:<version>`` acknowledges a change notice."""

from __future__ import annotations

from bot.features.callback_data import CallbackKind

ACKNOWLEDGE = CallbackKind("ack", (r"\d{1,10}",))
