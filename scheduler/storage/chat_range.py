"""A range of chat ids, ``(after, upto]``: the page of recipients one planning step covers.

A wave of reminders is planned chat by chat in id order, so that each transaction and the
memory it needs stay bounded whatever the number of subscribers. Either end may be open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, true


@dataclass(frozen=True, slots=True)
class ChatRange:
    after: int | None = None
    upto: int | None = None

    def __contains__(self, chat_id: object) -> bool:
        if not isinstance(chat_id, int):
            return False
        return (self.after is None or chat_id > self.after) and (
            self.upto is None or chat_id <= self.upto
        )

    def where(self, column: Any) -> ColumnElement[bool]:
        """The condition that ``column`` (a chat id) lies in the range."""
        conditions = []
        if self.after is not None:
            conditions.append(column > self.after)
        if self.upto is not None:
            conditions.append(column <= self.upto)
        return and_(true(), *conditions)


EVERY_CHAT = ChatRange()
