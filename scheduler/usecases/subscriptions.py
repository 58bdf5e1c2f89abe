"""Subscribing a chat to an agency's or a task's reminders, and leaving again."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.storage.members_repo import Member
from scheduler.storage.subscriptions_repo import Subscription
from scheduler.usecases.core import Answer, Core
from scheduler.vocabulary.subscriptions import Follow


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
    core: Core, caller: Caller, *, target: Target, subscribe: bool, is_group_admin: bool
) -> Answer[SubscribeResult]:
    """Subscribe or unsubscribe the caller's chat, if the caller may.

    An agency's reminders are for its members only; a task's are open to anyone, since
    the plan itself is public. In a group, only the group's administrators decide.
    """
    runtime = core.runtime
    async with core.visit(caller) as visit:
        chat, user = caller.chat, caller.user
        if chat is None or user is None:
            return visit.answer(SubscribeResult.UNKNOWN_TARGET)
        if (target.kind == Follow.AGENCY and not runtime.has_agency(target.value)) or (
            target.kind == Follow.TASK
            and not (_is_number(target.value) and runtime.has_task(int(target.value)))
        ):
            return visit.answer(SubscribeResult.UNKNOWN_TARGET)
        refusal: SubscribeResult | None = None
        if chat.is_group and not is_group_admin:
            refusal = SubscribeResult.NOT_GROUP_ADMIN
        elif subscribe and target.kind == Follow.AGENCY:
            agencies = {m.agency for m in await visit.uow.members.of_user(user.id)}
            if target.value not in agencies:
                refusal = SubscribeResult.NOT_MEMBER
        if refusal is not None:
            detail = {"kind": target.kind, "target": target.value, "reason": refusal}
            await visit.record("subscription.change", detail, allowed=False)
            return visit.answer(refusal)
        subs = visit.uow.subscriptions
        if subscribe:
            await subs.subscribe(chat.id, target.kind, target.value, visit.now, user.id)
            return visit.answer(SubscribeResult.SUBSCRIBED)
        left = await subs.unsubscribe(chat.id, target.kind, target.value)
        return visit.answer(
            SubscribeResult.UNSUBSCRIBED if left else SubscribeResult.NOT_SUBSCRIBED
        )


def _is_number(text: str) -> bool:
    # str.isdigit alone also accepts superscripts and other digits int() refuses.
    return text.isascii() and text.isdigit()


async def chat_subscriptions(core: Core, caller: Caller) -> Answer[list[Subscription]]:
    """What the caller's chat follows."""
    async with core.visit(caller) as visit:
        return visit.answer(await visit.uow.subscriptions.of_chat(caller.chat_id or 0))


async def memberships(core: Core, caller: Caller) -> Answer[list[Member]]:
    """The agencies the caller is a member of, with their roles."""
    async with core.visit(caller) as visit:
        return visit.answer(await visit.uow.members.of_user(caller.user_id or 0))
