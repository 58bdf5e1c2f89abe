"""Callback data of status reports.

``st:<reminder>:<code>`` is an answer button under a reminder, ``cl:<reminder>:<code>:<latest>``
one under the question the bot asks when a reply was unclear (``<latest>``: the agency's latest
report when it was asked, 0 for none), and ``undo:<status>`` withdraws a report. ``<code>`` is
the status's button code from the control vocabulary.
"""

from __future__ import annotations

from bot.features.callback_data import ROW_ID, CallbackKind
from scheduler.vocabulary.control import STATUSES, Status

_CODES = "|".join(spec.button for spec in STATUSES.values() if spec.button)

ANSWER = CallbackKind("st", (ROW_ID, _CODES))
CLARIFY = CallbackKind("cl", (ROW_ID, _CODES, ROW_ID))
UNDO = CallbackKind("undo", (ROW_ID,))


def answer_data(reminder_id: int, status: Status) -> str:
    return ANSWER.build(reminder_id, _code(status))


def clarify_data(reminder_id: int, status: Status, latest: int) -> str:
    return CLARIFY.build(reminder_id, _code(status), latest)


def _code(status: Status) -> str:
    code = STATUSES[status].button
    if code is None:
        raise ValueError(f"{status} has no answer button")
    return code
