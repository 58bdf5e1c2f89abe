"""Messages of the administration: plan changes, broadcasts and their delivery reports."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n.catalog import Raw, Translator
from bot.render.common import long_date
from scheduler.delivery.outcomes import Button, Rendered
from scheduler.plan.model import Plan
from scheduler.storage.audit_repo import AuditEntry
from scheduler.storage.members_repo import Member
from scheduler.usecases.broadcasts import Draft
from scheduler.usecases.plan_changes import ChangeAcks, PlanChanged

# Telegram allows 4096 characters; lists stop short of that.
LIMIT = 3900


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
            lines.append(tr("change.agencies", old=", ".join(old), new=", ".join(new)))
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
    ack = Button(tr.plain("button.acknowledge"), f"ack:{int(payload['version'])}")
    return Rendered("\n".join(lines), ((ack,),))


def broadcast(payload: Mapping[str, Any], tr: Translator) -> Rendered:
    body = html.escape(str(payload.get("body", "")), quote=False)
    return Rendered(tr("broadcast.header", body=Raw(body)))


def broadcast_report(payload: Mapping[str, Any], tr: Translator) -> Rendered:
    return Rendered(
        tr(
            "broadcast.report",
            id=int(payload["broadcast"]),
            sent=int(payload.get("sent", 0)),
            failed=int(payload.get("failed", 0)),
            blocked=int(payload.get("blocked", 0)),
        )
    )


def _when(moment: dt.datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def audit(entries: Sequence[AuditEntry], tr: Translator, tz: ZoneInfo) -> str:
    if not entries:
        return tr("audit.empty")
    lines = [tr("audit.title", count=len(entries))]
    for entry in entries:
        detail = json.dumps(dict(entry.detail), ensure_ascii=False, sort_keys=True)
        lines.append(
            tr(
                "audit.line" if entry.allowed else "audit.line_refused",
                when=_when(entry.at, tz),
                user=entry.user_id if entry.user_id is not None else "—",
                action=entry.action,
                detail=_cut(detail, 300),
            )
        )
    return _cut("\n".join(lines), LIMIT)


def members(agency: str, found: Sequence[Member], tr: Translator) -> str:
    if not found:
        return tr("members.none", agency=agency)
    lines = [tr("members.title", agency=agency, count=len(found))]
    for member in found:
        name = member.name or "—"
        handle = f"@{member.username}" if member.username else ""
        lines.append(
            tr(
                "members.line",
                name=name,
                handle=handle,
                user=member.user_id,
                role=tr(f"role.{member.role}"),
            )
        )
    return _cut("\n".join(lines), LIMIT)


def rejected(problems: Sequence[str], tr: Translator) -> str:
    shown = "\n".join(f"• {html.escape(p, quote=False)}" for p in problems[:30])
    more = len(problems) - 30
    text = tr("change.rejected", problems=Raw(shown))
    if more > 0:
        text += "\n" + tr("missed.more", more=more)
    return _cut(text, LIMIT)


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
        lines.append(tr("acks.line", chat=chat, user=user, when=_when(at, tz)))
    waiting = [str(c) for c in acks.notified if c not in acked]
    if waiting:
        lines.append(tr("acks.waiting", chats=", ".join(waiting)))
    return _cut("\n".join(lines), LIMIT)


def broadcast_preview(draft: Draft, body: str, tr: Translator) -> Rendered:
    audience = tr(f"audience.{draft.audience}", target=draft.target)
    text = tr(
        "broadcast.preview",
        audience=audience,
        recipients=draft.recipients,
        body=Raw(html.escape(_cut(body, 3000), quote=False)),
    )
    buttons = (
        Button(tr.plain("broadcast.send"), f"bc:go:{draft.id}"),
        Button(tr.plain("broadcast.drop"), f"bc:no:{draft.id}"),
    )
    return Rendered(text, (buttons,))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
