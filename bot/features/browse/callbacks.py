"""Callback data of the task list: ``tasks:<scope>:<page>`` and ``task:<number>``.

The scope is ``all`` or an agency's code (at most 32 characters, as the database keeps them).
"""

from __future__ import annotations

from bot.features.callback_data import CallbackKind

PAGE = CallbackKind("tasks", (r"[^:]{1,32}", r"\d{1,4}"))
OPEN = CallbackKind("task", (r"\d{1,6}",))
