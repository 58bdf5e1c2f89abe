"""Callback data of the agenda.

``due:<window>:<page>`` turns the agenda's page; ``pk:<point>:<n>:<code>`` records status
``<code>`` for the ``n``-th agency of control point ``<point>``, picked from the list the bot
offered for a status typed without replying to a reminder.
"""

from __future__ import annotations

from bot.features.callback_data import CallbackKind
from scheduler.usecases.agenda import Window
from scheduler.vocabulary.control import STATUSES

_WINDOWS = "|".join(w.value for w in Window)
_CODES = "|".join(spec.button for spec in STATUSES.values() if spec.button)

PAGE = CallbackKind("due", (_WINDOWS, r"\d{1,3}"))
PICK = CallbackKind("pk", (r"[A-Za-z0-9_.-]{1,40}", r"\d{1,2}", _CODES))
