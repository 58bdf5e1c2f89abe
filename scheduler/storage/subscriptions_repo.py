"""Repository of subscriptions: which chats follow which agencies and tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.chat_range import EVERY_CHAT, ChatRange
from scheduler.storage.tables import ChatRow, SubscriptionRow
from scheduler.storage.writes import changed_rows, upsert
from scheduler.vocabulary.subscriptions import Follow


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    kind: Follow
    target: str


def _subscription(chat_id: int, kind: str, target: str) -> Subscription:
    return Subscription(chat_id, Follow(kind), target)


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def subscribe(
        self, chat_id: int, kind: str, target: str, now: dt.datetime, by: int | None
    ) -> None:
        """Subscribe the chat, or switch a lapsed subscription back on."""
        await upsert(
            self._session,
            SubscriptionRow,
            {
                "chat_id": chat_id,
                "kind": kind,
                "target": target,
                "active": True,
                "created_at": now,
                "created_by": by,
            },
            key=["chat_id", "kind", "target"],
            keep=["created_at", "created_by"],
        )

    async def unsubscribe(self, chat_id: int, kind: str, target: str) -> bool:
        changed = await changed_rows(
            self._session,
            update(SubscriptionRow)
            .where(
                SubscriptionRow.chat_id == chat_id,
                SubscriptionRow.kind == kind,
                SubscriptionRow.target == target,
                SubscriptionRow.active.is_(True),
            )
            .values(active=False),
        )
        return bool(changed)

    async def of_chat(self, chat_id: int) -> list[Subscription]:
        rows = await self._session.execute(
            select(SubscriptionRow.chat_id, SubscriptionRow.kind, SubscriptionRow.target)
            .where(SubscriptionRow.chat_id == chat_id, SubscriptionRow.active.is_(True))
            .order_by(SubscriptionRow.kind, SubscriptionRow.target)
        )
        return [_subscription(*row) for row in rows]

    async def followers(
        self,
        agencies: Iterable[str] = (),
        tasks: Iterable[int] = (),
        *,
        chats: ChatRange = EVERY_CHAT,
    ) -> list[Subscription]:
        """Active subscriptions to any of the agencies or tasks, in active chats only, of the
        chats in ``chats``."""
        agency_list = sorted(set(agencies))
        task_list = sorted({str(t) for t in tasks})
        found: list[Subscription] = []
        for kind, targets in ((Follow.AGENCY, agency_list), (Follow.TASK, task_list)):
            if not targets:
                continue
            rows = await self._session.execute(
                select(SubscriptionRow.chat_id, SubscriptionRow.kind, SubscriptionRow.target)
                .join(ChatRow, ChatRow.id == SubscriptionRow.chat_id, isouter=True)
                .where(
                    SubscriptionRow.kind == kind,
                    SubscriptionRow.target.in_(targets),
                    SubscriptionRow.active.is_(True),
                    ChatRow.active.is_not(False),
                    chats.where(SubscriptionRow.chat_id),
                )
            )
            found.extend(_subscription(*row) for row in rows)
        return found

    async def nth_follower_after(
        self,
        agencies: Iterable[str],
        tasks: Iterable[int],
        *,
        after: int | None,
        count: int,
    ) -> int | None:
        """The ``count``-th chat, in id order after ``after``, that ``followers`` would find;
        None when fewer than ``count`` such chats remain.

        It bounds a page of recipients: the chats after ``after`` up to this one.
        """
        agency_list = sorted(set(agencies))
        task_list = sorted({str(t) for t in tasks})
        targets: list[ColumnElement[bool]] = []
        if agency_list:
            targets.append(
                and_(SubscriptionRow.kind == Follow.AGENCY, SubscriptionRow.target.in_(agency_list))
            )
        if task_list:
            targets.append(
                and_(SubscriptionRow.kind == Follow.TASK, SubscriptionRow.target.in_(task_list))
            )
        if not targets:
            return None
        query = (
            select(SubscriptionRow.chat_id)
            .join(ChatRow, ChatRow.id == SubscriptionRow.chat_id, isouter=True)
            .where(
                or_(*targets),
                SubscriptionRow.active.is_(True),
                ChatRow.active.is_not(False),
                ChatRange(after=after).where(SubscriptionRow.chat_id),
            )
            .distinct()
            .order_by(SubscriptionRow.chat_id)
            .offset(count - 1)
            .limit(1)
        )
        found = await self._session.scalar(query)
        return None if found is None else int(found)

    async def deactivate_chat(self, chat_id: int) -> int:
        """The bot was blocked or removed: stop every subscription of that chat."""
        changed = await changed_rows(
            self._session,
            update(SubscriptionRow)
            .where(SubscriptionRow.chat_id == chat_id, SubscriptionRow.active.is_(True))
            .values(active=False),
        )
        await self._session.execute(
            update(ChatRow).where(ChatRow.id == chat_id).values(active=False),
        )
        return changed

    async def move_chat(self, old_chat_id: int, new_chat_id: int, now: dt.datetime) -> int:
        """A group became a supergroup: its subscriptions continue under the new id."""
        subs = await self.of_chat(old_chat_id)
        for sub in subs:
            await self.subscribe(new_chat_id, sub.kind, sub.target, now, None)
        await self._session.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.chat_id == old_chat_id)
            .values(active=False)
        )
        old = await self._session.get(ChatRow, old_chat_id)
        if old is not None:
            old.active = False
            if await self._session.get(ChatRow, new_chat_id) is None:
                self._session.add(
                    ChatRow(
                        id=new_chat_id,
                        type="supergroup",
                        title=old.title,
                        language=old.language,
                        active=True,
                        first_seen=now,
                        last_seen=now,
                    )
                )
        return len(subs)
