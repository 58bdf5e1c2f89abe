"""Messages of subscriptions: the menus with their buttons, and the chat's list."""

from __future__ import annotations

from collections.abc import Sequence

from bot.features.subscriptions import callbacks
from bot.i18n.catalog import Translator
from bot.wording import agency_label
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.storage.members_repo import Member
from scheduler.storage.subscriptions_repo import Subscription
from scheduler.usecases.subscriptions import SubscribeResult, SubscriptionChange, Target
from scheduler.vocabulary.subscriptions import Follow

TASKS_PER_ROW = 6
# A button's label is cut to this many characters.
LABEL_LIMIT = 60


def target_label(plan: Plan, target: Target, tr: Translator) -> str:
    if target.kind == Follow.AGENCY:
        return agency_label(plan, target.value, tr.language)
    return tr.plain("subscribe.task_label", number=target.value)


def change(plan: Plan, done: SubscriptionChange, tr: Translator) -> str:
    """What became of a subscription: made, ended, or why not."""
    if done.result is SubscribeResult.UNKNOWN_TARGET:
        return tr("subscribe.unknown_target", target=done.target.value)
    return tr(f"subscribe.{done.result}", target=target_label(plan, done.target, tr))


def subscribe_menu(plan: Plan, mine: Sequence[Member], tr: Translator) -> Rendered:
    """The caller's agencies to follow, and the way to a single task."""
    agency = callbacks.LETTERS[Follow.AGENCY]
    rows = [
        (
            Button(
                f"🏛 {agency_label(plan, m.agency, tr.language)}"[:LABEL_LIMIT],
                callbacks.SUBSCRIBE.build(agency, m.agency),
            ),
        )
        for m in mine
    ]
    rows.append((Button(tr.plain("subscribe.pick_task"), callbacks.PICK_TASK.build()),))
    text = tr("subscribe.menu") if mine else tr("subscribe.menu_no_agency")
    return Rendered(text, tuple(rows))


def task_picker(plan: Plan, tr: Translator) -> Rendered:
    numbers = [t.number for t in plan.tasks]
    letter = callbacks.LETTERS[Follow.TASK]
    rows = tuple(
        tuple(
            Button(f"№{n}", callbacks.SUBSCRIBE.build(letter, n))
            for n in numbers[i : i + TASKS_PER_ROW]
        )
        for i in range(0, len(numbers), TASKS_PER_ROW)
    )
    return Rendered(tr("subscribe.which_task"), rows)


def subscriptions(plan: Plan, subs: Sequence[Subscription], tr: Translator) -> str:
    if not subs:
        return tr("subscriptions.none")
    lines = [tr("subscriptions.heading")]
    lines += [f"• {target_label(plan, Target(s.kind, s.target), tr)}" for s in subs]
    return "\n".join(lines)


def unsubscribe_menu(plan: Plan, subs: Sequence[Subscription], tr: Translator) -> Rendered:
    if not subs:
        return Rendered(tr("subscriptions.none"))
    rows = tuple(
        (
            Button(
                f"✖️ {target_label(plan, Target(s.kind, s.target), tr)}"[:LABEL_LIMIT],
                callbacks.UNSUBSCRIBE.build(callbacks.LETTERS[s.kind], s.target),
            ),
        )
        for s in subs
    )
    return Rendered(tr("unsubscribe.menu"), rows)
