"""Answers to a status report: the confirmation with its undo button, or a polite refusal."""

from __future__ import annotations

from bot.i18n.catalog import Raw, Translator
from bot.render.common import agency_label, long_date, status_label
from scheduler.delivery.outcomes import Button, Rendered
from scheduler.plan.model import Plan
from scheduler.usecases.reporting import Recorded, Refusal, Refused


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
    if recorded.closes_point:
        lines.append(tr("status.closes_point"))
    if recorded.co_executors:
        lines.append(tr("status.co_executors"))
        for co in recorded.co_executors:
            lines.append(tr("status.co_line", agency=co.agency, status=status_label(tr, co.status)))
    undo = Button(tr.plain("button.undo"), f"undo:{recorded.status_id}")
    return Rendered("\n".join(lines), ((undo,),))


def refusal(refused: Refused, tr: Translator) -> str:
    agencies = ", ".join(refused.agencies)
    if refused.reason is Refusal.NOT_MEMBER:
        return tr("status.not_member", agencies=agencies or "—")
    if refused.reason is Refusal.UNKNOWN_TASK:
        return tr("status.unknown_task", task=refused.task if refused.task is not None else "?")
    if refused.reason is Refusal.NOTHING_OPEN:
        return tr("status.nothing_open", task=refused.task or "?", agencies=agencies)
    if refused.reason is Refusal.UNKNOWN_REMINDER:
        return tr("status.unknown_reminder")
    return tr("status.bad_status")


def clarify_question(tr: Translator, candidates: list[str]) -> str:
    if candidates:
        options = ", ".join(status_label(tr, c) for c in candidates)
        return tr("clarify.which", options=Raw(options))
    return tr("clarify.unclear")
