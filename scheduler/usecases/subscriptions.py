"""Subscribing a chat to an agency's or a task's reminders, and leaving again."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan_runtime import PlanRuntime
from scheduler.refusals import Refusal, Why
from scheduler.storage.members_repo import Member
from scheduler.storage.subscriptions_repo import Subscription
from scheduler.usecases.core import Answer, Core, resolve_agency, unknown_task
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


@dataclass(frozen=True)
class SubscriptionChange:
    """What became of a subscription, and what it is to: the plan's code or a task number."""

    result: SubscribeResult
    target: Target


def _group_refusal(caller: Caller, is_group_admin: bool, admins: Sequence[str]) -> Refusal | None:
    """In a group, only its administrators decide what it follows: say so, naming them."""
    if caller.chat is not None and caller.chat.is_group and not is_group_admin:
        return Refusal.of(Why.GROUP_ADMINS_DECIDE, admins=tuple(admins))
    return None


async def subscription_menu(
    core: Core, caller: Caller, *, is_group_admin: bool, group_admins: Sequence[str] = ()
) -> Answer[list[Member] | Refusal]:
    """The caller's memberships, to offer as subscriptions; refused at once to a group's
    members who do not administer it."""
    async with core.visit(caller) as visit:
        if refused := _group_refusal(caller, is_group_admin, group_admins):
            detail = {"target": None, "reason": SubscribeResult.NOT_GROUP_ADMIN}
            await visit.record("subscription.change", detail, allowed=False)
            return visit.answer(refused)
        return visit.answer(await visit.uow.members.of_user(caller.user_id or 0))


def typed_target(runtime: PlanRuntime, typed: str) -> Target | Refusal:
    """What ``/subscribe ARG`` names: a task by its number (``6``, ``№6``), or an agency."""
    text = typed.strip().lstrip("№#")
    if _is_number(text):
        number = int(text)
        return (
            Target(Follow.TASK, str(number))
            if runtime.has_task(number)
            else (unknown_task(runtime, number))
        )
    found = resolve_agency(runtime, typed)
    return found if isinstance(found, Refusal) else Target(Follow.AGENCY, found)


async def subscribe_typed(
    core: Core,
    caller: Caller,
    *,
    typed: str,
    is_group_admin: bool,
    group_admins: Sequence[str] = (),
) -> Answer[SubscriptionChange | Refusal]:
    """``/subscribe ARG``: subscribe the chat to the agency or task ``typed`` names, at once,
    with the same rights as the menu's buttons."""
    target = typed_target(core.runtime, typed)
    refused = _group_refusal(caller, is_group_admin, group_admins)
    if refused is not None or isinstance(target, Refusal):
        async with core.visit(caller) as visit:
            if refused is not None:
                detail = {"target": typed, "reason": SubscribeResult.NOT_GROUP_ADMIN}
                await visit.record("subscription.change", detail, allowed=False)
                return visit.answer(refused)
            assert isinstance(target, Refusal)
            return visit.answer(target)
    answer = await change_subscription(
        core, caller, target=target, subscribe=True, is_group_admin=is_group_admin
    )
    return Answer(answer.result, answer.prefs)


async def change_subscription(
    core: Core, caller: Caller, *, target: Target, subscribe: bool, is_group_admin: bool
) -> Answer[SubscriptionChange]:
    """Subscribe or unsubscribe the caller's chat, if the caller may.

    An agency's reminders are for its members only; a task's are open to anyone, since
    the plan itself is public. In a group, only the group's administrators decide. An
    agency may be named in any of its spellings; the change names it by the plan's code.
    """
    runtime = core.runtime
    async with core.visit(caller) as visit:

        def outcome(result: SubscribeResult) -> Answer[SubscriptionChange]:
            return visit.answer(SubscriptionChange(result, target))

        chat, user = caller.chat, caller.user
        if chat is None or user is None:
            return outcome(SubscribeResult.UNKNOWN_TARGET)
        if target.kind == Follow.AGENCY:
            code = runtime.agency(target.value)
            if code is None:
                return outcome(SubscribeResult.UNKNOWN_TARGET)
            target = Target(Follow.AGENCY, code)
        elif not (_is_number(target.value) and runtime.has_task(int(target.value))):
            return outcome(SubscribeResult.UNKNOWN_TARGET)
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
            return outcome(refusal)
        subs = visit.uow.subscriptions
        if subscribe:
            await subs.subscribe(chat.id, target.kind, target.value, visit.now, user.id)
            return outcome(SubscribeResult.SUBSCRIBED)
        left = await subs.unsubscribe(chat.id, target.kind, target.value)
        return outcome(SubscribeResult.UNSUBSCRIBED if left else SubscribeResult.NOT_SUBSCRIBED)


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
