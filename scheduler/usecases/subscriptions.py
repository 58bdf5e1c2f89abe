"""Subscribing a chat to an agency's or a task's reminders, and leaving again."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.contacts import ChatInfo, UserInfo
from scheduler.plan_runtime import PlanRuntime
from scheduler.storage.subscriptions_repo import AGENCY, TASK, Subscription
from scheduler.storage.unit_of_work import Database


class SubscribeResult(enum.StrEnum):
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBED = "unsubscribed"
    NOT_SUBSCRIBED = "not_subscribed"
    NOT_MEMBER = "not_member"
    NOT_GROUP_ADMIN = "not_group_admin"
    UNKNOWN_TARGET = "unknown_target"


@dataclass(frozen=True)
class Target:
    kind: str
    value: str


async def change_subscription(
    db: Database,
    clock: Clock,
    runtime: PlanRuntime,
    *,
    user: UserInfo,
    chat: ChatInfo,
    target: Target,
    subscribe: bool,
    is_group_admin: bool,
) -> SubscribeResult:
    """Subscribe or unsubscribe ``chat``, if ``user`` may.

    An agency's reminders are for its members only; a task's are open to anyone, since
    the plan itself is public. In a group, only the group's administrators decide.
    """
    now = clock.now()
    if target.kind == AGENCY and not runtime.has_agency(target.value):
        return SubscribeResult.UNKNOWN_TARGET
    if target.kind == TASK and not (
        _is_number(target.value) and runtime.has_task(int(target.value))
    ):
        return SubscribeResult.UNKNOWN_TARGET
    async with db.unit_of_work() as uow:
        await uow.contacts.save_user(user, now)
        await uow.contacts.save_chat(chat, now)
        refusal: SubscribeResult | None = None
        if chat.is_group and not is_group_admin:
            refusal = SubscribeResult.NOT_GROUP_ADMIN
        elif subscribe and target.kind == AGENCY:
            agencies = {m.agency for m in await uow.members.of_user(user.id)}
            if target.value not in agencies:
                refusal = SubscribeResult.NOT_MEMBER
        if refusal is not None:
            await uow.audit.record(
                at=now,
                user_id=user.id,
                chat_id=chat.id,
                action="subscription.change",
                allowed=False,
                detail={"kind": target.kind, "target": target.value, "reason": refusal},
            )
            return refusal
        if subscribe:
            await uow.subscriptions.subscribe(chat.id, target.kind, target.value, now, user.id)
            return SubscribeResult.SUBSCRIBED
        left = await uow.subscriptions.unsubscribe(chat.id, target.kind, target.value)
        return SubscribeResult.UNSUBSCRIBED if left else SubscribeResult.NOT_SUBSCRIBED


def _is_number(text: str) -> bool:
    # str.isdigit alone also accepts superscripts and other digits int() refuses.
    return text.isascii() and text.isdigit()


async def chat_subscriptions(db: Database, chat_id: int) -> list[Subscription]:
    async with db.unit_of_work() as uow:
        return await uow.subscriptions.of_chat(chat_id)


async def memberships(db: Database, user_id: int) -> list[tuple[str, str]]:
    async with db.unit_of_work() as uow:
        return [(m.agency, m.role) for m in await uow.members.of_user(user_id)]
