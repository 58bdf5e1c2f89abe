"""Messages of plan changes: the change notice, the outcome of an edit, the acknowledgements."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.features.plan_changes import callbacks
from bot.features.plan_changes.table_problems import rejected_table
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_code, cut, local_time, long_date
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.usecases.plan_changes import ChangeAcks, PlanChanged, Rejected


def _dates(values: list[str], lang: str) -> str:
    return ", ".join(long_date(dt.date.fromisoformat(v), lang) for v in values) or "—"


def plan_change(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    lang = tr.language
    lines = [tr("change.title")]
    for change in payload.get("changes", []):
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


def outcome(result: PlanChanged | Rejected, tr: Translator) -> str:
    """What became of a plan change: put in force, or refused with its problems."""
    if isinstance(result, Rejected) and result.coded:
        return rejected_table(result.coded, tr)
    if isinstance(result, Rejected):
        return rejected(result.problems, tr)
    return changed(result, tr)


def rejected(problems: Sequence[str], tr: Translator) -> str:
    shown = "\n".join(f"• {html.escape(p, quote=False)}" for p in problems[:30])
    more = len(problems) - 30
    text = tr("change.rejected", problems=Raw(shown))
    if more > 0:
        text += "\n" + tr("missed.more", more=more)
    return cut(text)


def changed(result: PlanChanged, tr: Translator) -> str:
    if not result.changes:
        return tr("change.nothing", version=result.version)
    tasks = ", ".join(f"№{c.task}" for c in result.changes)
    return tr(
        "change.applied",
        version=result.version,
        tasks=tasks,
        chats=result.notified_chats,
        moved=result.moved_points,
    )


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
