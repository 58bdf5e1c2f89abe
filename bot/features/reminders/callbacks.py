"""Callback data of reminders: ``zz:<reminder>:<days>`` puts a reminder's item off in one chat.

``<days>`` is one of the working-day lengths the core offers (``scheduler.usecases.snoozes``).
"""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind
from scheduler.usecases.snoozes import LENGTHS

SNOOZE = CallbackKind("zz", (ROW_ID, "|".join(str(n) for n in LENGTHS)))
