"""Callback data of the subscription menus.

``subt`` opens the task picker; ``sub:a:<agency>`` and ``sub:t:<task>`` subscribe the chat,
``unsub:a:…`` and ``unsub:t:…`` end a subscription.
"""

from __future__ import annotations

from bot.features.callback_data import CallbackKind
from scheduler.vocabulary.subscriptions import Follow

PICK_TASK = CallbackKind("subt")
SUBSCRIBE = CallbackKind("sub", ("a|t", r"[^:]{1,32}"))
UNSUBSCRIBE = CallbackKind("unsub", ("a|t", r"[^:]{1,32}"))

# The one-letter kind in callback data, and the subscription kind it stands for.
KINDS = {"a": Follow.AGENCY, "t": Follow.TASK}
LETTERS = {kind: letter for letter, kind in KINDS.items()}
