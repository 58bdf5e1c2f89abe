"""Callback data of the audit log's pages: ``au:<upto>`` shows the entries numbered up to it."""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind

PAGE = CallbackKind("au", (ROW_ID,))
