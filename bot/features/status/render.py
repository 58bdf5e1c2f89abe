"""Answers to a status report: the confirmation with its undo button, and the question."""

from __future__ import annotations

from collections.abc import Sequence

from bot.features.status import callbacks
from bot.i18n.catalog import Raw, Translator
from bot.wording import (
    agency_code,
    agency_codes,
    agency_label,
    long_date,
    reported_label,
    status_label,
)
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.usecases.status_updates import Clarify, Recorded
from scheduler.vocabulary.control import STATUSES, ItemState, Status


def confirmation(recorded: Recorded, plan: Plan, tr: Translator) -> Rendered:
    point = recorded.point
    lines = [
        tr(
            "status.recorded",
            task=point.task,
            agency=agency_label(plan, recorded.agency, tr.language),
            status=status_label(tr, recorded.status),
            date=long_date(point.effective, tr.language),
            kind=tr(f"kind.{point.kind}"),
        )
    ]
    if recorded.state is ItemState.AWAITING_ACCEPTANCE:
        departments = agency_codes(plan, _controls(plan, point.task), tr.language)
        key = "status.awaiting" if recorded.controllers else "status.awaiting_nobody"
        lines.append(tr(key, departments=departments, chats=recorded.controllers))
    if recorded.closes_point:
        lines.append(tr("status.closes_point"))
    if recorded.interim_request is not None:
        lines.append(tr("interim.passed_on"))
    if recorded.co_executors:
        lines.append(tr("status.co_executors"))
        for co in recorded.co_executors:
            lines.append(
                tr(
                    "status.co_line",
                    agency=agency_code(plan, co.agency, tr.language),
                    status=reported_label(tr, co.status),
                )
            )
    undo = Button(tr.plain("button.undo"), callbacks.UNDO.build(recorded.status_id))
    return Rendered("\n".join(lines), ((undo,),))


def _controls(plan: Plan, task: int) -> list[str]:
    try:
        return list(plan.task(task).control)
    except KeyError:
        return []


def question(clarify: Clarify, tr: Translator) -> Rendered:
    """Which status the reply meant: the candidates named, one button per option."""
    buttons = tuple(
        Button(_button_label(tr, s), callbacks.clarify_data(clarify.reminder_id, s, clarify.latest))
        for s in clarify.options
    )
    return Rendered(_question_text(tr, clarify.candidates), (buttons,))


def answer_buttons(reminder_id: int, tr: Translator) -> tuple[Button, ...]:
    """The answer buttons under a reminder, one per status that has one."""
    return tuple(
        Button(_button_label(tr, status), callbacks.answer_data(reminder_id, status))
        for status, spec in STATUSES.items()
        if spec.button is not None
    )


def _button_label(tr: Translator, status: Status) -> str:
    key = STATUSES[status].button_key
    return tr.plain(key) if key else tr.plain(STATUSES[status].label_key)


def _question_text(tr: Translator, candidates: Sequence[Status]) -> str:
    if candidates:
        options = ", ".join(status_label(tr, c) for c in candidates)
        return tr("clarify.which", options=Raw(options))
    return tr("clarify.unclear")
