"""Messages of plan changes: the preview of a draft with its buttons, what became of it, the
refusal of an invalid change, the change notice, and the acknowledgements."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.features.plan_changes import callbacks
from bot.features.plan_changes.problems import problem_line
from bot.features.plan_changes.table_problems import line as table_line
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_code, cut, local_time, long_date
from scheduler.plan.model import Plan
from scheduler.plan.table_problems import TableProblem
from scheduler.presentation import Button, Rendered
from scheduler.usecases.plan_changes import ChangeAcks
from scheduler.usecases.plan_drafts import Decided, EventDate, Proposal
from scheduler.usecases.plan_edits import Rejected

# A refusal lists this many problems, then says how many more there are.
SHOWN = 30


def _dates(values: list[str], lang: str) -> str:
    return ", ".join(long_date(dt.date.fromisoformat(v), lang) for v in values) or "—"


def change_lines(changes: Sequence[Mapping[str, Any]], plan: Plan, tr: Translator) -> list[str]:
    """Each changed task with what changed in it, as a change records it (``to_json``)."""
    lang = tr.language
    lines: list[str] = []
    for change in changes:
        number = int(change["task"])
        try:
            title = plan.task(number).title(lang)
        except KeyError:
            title = ""
        lines.append("")
        lines.append(tr(f"change.task.{change['change']}", task=number, title=title))
        if change.get("deadline"):
            old, new = change["deadline"]
            lines.append(tr("change.deadline", old=old, new=new))
        if change.get("reports"):
            old, new = change["reports"]
            lines.append(tr("change.reports", old=_dates(old, lang), new=_dates(new, lang)))
        if change.get("agencies"):
            old, new = change["agencies"]
            lines.append(
                tr(
                    "change.agencies",
                    old=_agency_list(old, plan, tr),
                    new=_agency_list(new, plan, tr),
                )
            )
        if change.get("event"):
            old, new = change["event"]
            lines.append(
                tr(
                    "change.event",
                    old=_dates([old] if old else [], lang),
                    new=_dates([new] if new else [], lang),
                )
            )
        for kind, old, new in change.get("points", []):
            lines.append(
                tr(
                    "change.point",
                    kind=tr(f"kind.{kind}"),
                    old=long_date(dt.date.fromisoformat(old), lang) if old else "—",
                    new=long_date(dt.date.fromisoformat(new), lang) if new else "—",
                )
            )
    return lines


def plan_change(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    lines = [tr("change.title"), *change_lines(payload.get("changes", []), plan, tr)]
    ack = Button(
        tr.plain("button.acknowledge"), callbacks.ACKNOWLEDGE.build(int(payload["version"]))
    )
    return Rendered("\n".join(lines), ((ack,),))


def _agency_list(items: Sequence[str], plan: Plan, tr: Translator) -> str:
    """Responsible agencies as a change records them («МСМ (жинақтау)»), in the reader's words."""
    shown = []
    for item in items:
        code, _, note = item.partition(" ")
        label = agency_code(plan, code, tr.language)
        shown.append(f"{label} {tr.plain('card.consolidator')}" if note else label)
    return ", ".join(shown) or "—"


def preview(proposal: Proposal, plan: Plan, tr: Translator) -> Rendered:
    """What a draft would change, with the buttons that put it in force or drop it."""
    lines = [tr(f"preview.title.{proposal.source}")]
    if proposal.event is not None:
        lines.append(_event_line(proposal.event, tr))
    if proposal.changes:
        lines += change_lines([c.to_json() for c in proposal.changes], plan, tr)
    else:
        lines.append(tr("preview.no_changes"))
    lines += ["", tr("preview.question")]
    buttons = (
        Button(tr.plain("preview.apply"), callbacks.DECIDE.build(callbacks.APPLY, proposal.draft)),
        Button(tr.plain("preview.drop"), callbacks.DECIDE.build(callbacks.DROP, proposal.draft)),
    )
    return Rendered(cut("\n".join(lines)), (buttons,))


def _event_line(event: EventDate, tr: Translator) -> str:
    due = long_date(event.due, tr.language) if event.due is not None else "—"
    return tr(
        "preview.event",
        task=event.task,
        event=event.event,
        date=long_date(event.event_date, tr.language),
        due=due,
    )


def decided(result: Decided, tr: Translator) -> str:
    """What became of a draft: put in force, with what that did, or dropped."""
    changed = result.changed
    if changed is None:
        return tr("preview.dropped")
    event = result.event
    if event is not None:
        return tr(
            "event.recorded",
            task=event.task,
            event=event.event,
            date=long_date(event.event_date, tr.language),
            due=long_date(event.due, tr.language) if event.due is not None else "—",
            version=changed.version,
            chats=changed.notified_chats,
        )
    if not changed.changes:
        return tr("change.nothing", version=changed.version)
    tasks = ", ".join(f"№{c.task}" for c in changed.changes)
    return tr(
        "change.applied",
        version=changed.version,
        tasks=tasks,
        chats=changed.notified_chats,
        moved=changed.moved_points,
    )


def rejected(result: Rejected, plan: Plan, tr: Translator) -> str:
    """The refusal of a change: every problem (the first 30) in the reader's language."""
    problems = result.problems
    lines = [
        table_line(p, tr, plan) if isinstance(p, TableProblem) else problem_line(p, tr, plan)
        for p in problems[:SHOWN]
    ]
    shown = "\n".join(f"• {html.escape(text, quote=False)}" for text in lines)
    table = any(isinstance(p, TableProblem) for p in problems)
    text = tr("table.rejected" if table else "change.rejected", problems=Raw(shown))
    if len(problems) > SHOWN:
        text += "\n" + tr("missed.more", more=len(problems) - SHOWN)
    return cut(text)


def acknowledgements(acks: ChangeAcks, tr: Translator, tz: ZoneInfo) -> str:
    if acks.version is None:
        return tr("acks.none")
    acked = {chat for chat, _, _ in acks.acknowledged}
    lines = [tr("acks.title", version=acks.version, told=len(acks.notified), acked=len(acked))]
    for chat, user, at in acks.acknowledged:
        lines.append(tr("acks.line", chat=chat, user=user, when=local_time(at, tz)))
    waiting = [str(c) for c in acks.notified if c not in acked]
    if waiting:
        lines.append(tr("acks.waiting", chats=", ".join(waiting)))
    return cut("\n".join(lines))
