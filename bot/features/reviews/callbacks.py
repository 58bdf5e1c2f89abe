"""Callback data of acceptance: ``rva:<report>`` accepts a report, ``rvr:<report>`` returns it."""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind

ACCEPT = CallbackKind("rva", (ROW_ID,))
RETURN = CallbackKind("rvr", (ROW_ID,))
