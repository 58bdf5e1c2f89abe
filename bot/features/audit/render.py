"""The audit log as the reader reads it: who (name and id), what (a sentence), when (local
time), the before and after, a page at a time with buttons to the neighbouring pages."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.features.audit import callbacks
from bot.features.audit.actions import AUDIT_ACTIONS
from bot.i18n.catalog import Raw, Translator
from bot.wording import cut, local_time
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.storage.audit_repo import AuditEntry
from scheduler.usecases.administration import AuditPage


def who(entry: AuditEntry, page: AuditPage, tr: Translator) -> str:
    """The person, by name and id; «—» for the bot itself."""
    if entry.user_id is None:
        return tr.plain("audit.nobody")
    name = page.names.get(entry.user_id)
    return f"{name}, {entry.user_id}" if name else str(entry.user_id)


def what(entry: AuditEntry, plan: Plan, tr: Translator) -> str:
    """The action as a sentence of the catalogs; an action the table lacks, by its code."""
    spec = AUDIT_ACTIONS.get(entry.action)
    if spec is None:
        return tr.plain("audit.unknown_action", action=entry.action)
    return tr.plain(f"audit.do.{entry.action}", **spec.values(entry.detail, plan, tr))


def change(entry: AuditEntry, plan: Plan, tr: Translator) -> tuple[str, str] | None:
    """The before and after the entry records, in words; None when it records none."""
    spec = AUDIT_ACTIONS.get(entry.action)
    return spec.change(entry.detail, plan, tr) if spec is not None else None


def _entry(entry: AuditEntry, page: AuditPage, plan: Plan, tr: Translator, tz: ZoneInfo) -> str:
    lines = [
        tr(
            "audit.entry" if entry.allowed else "audit.entry_refused",
            when=local_time(entry.at, tz),
            who=who(entry, page, tr),
            what=what(entry, plan, tr),
        )
    ]
    moved = change(entry, plan, tr)
    if moved is not None:
        lines.append(tr("audit.change", before=moved[0], after=moved[1]))
    return "\n".join(lines)


def audit_page(page: AuditPage, plan: Plan, tr: Translator, tz: ZoneInfo) -> Rendered:
    if not page.entries:
        return Rendered(tr("audit.empty"))
    body = "\n\n".join(_entry(e, page, plan, tr, tz) for e in page.entries)
    first, last = page.entries[-1].id, page.entries[0].id
    text = cut(tr("audit.page", first=first, last=last, entries=Raw(body)))
    nav = []
    if page.older is not None:
        nav.append(Button(tr.plain("audit.older"), callbacks.PAGE.build(page.older)))
    if page.has_newer:
        upto = page.newer if page.newer is not None else 0
        nav.append(Button(tr.plain("audit.newer"), callbacks.PAGE.build(upto)))
    return Rendered(text, (tuple(nav),) if nav else ())
