"""Callback data of extensions.

``ext:<reminder>`` under a reminder asks for a new date; under a request sent to the
controllers, ``exa:<request>`` approves it and ``exr:<request>`` refuses it.
"""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind

ASK = CallbackKind("ext", (ROW_ID,))
APPROVE = CallbackKind("exa", (ROW_ID,))
REFUSE = CallbackKind("exr", (ROW_ID,))
