"""The agenda, one page at a time, and the picker of the item a typed status is about."""

from __future__ import annotations

from bot.features.agenda import callbacks
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_code, long_date, plural, state_label, status_label
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.usecases.agenda import Agenda, AgendaItem, Pick, Window
from scheduler.vocabulary.control import STATUSES

PAGE_SIZE = 10
# The picker offers this many items; more are reported with /done N.
PICKS = 8


def _what(item: AgendaItem, plan: Plan, tr: Translator) -> str:
    point = item.point
    if point.kind == "report":
        recipient = agency_code(plan, point.recipient, tr.language) if point.recipient else "—"
        return tr("agenda.report_to", recipient=recipient)
    return tr("kind.deadline")


def _left(item: AgendaItem, tr: Translator) -> str:
    if item.working_days_left < 0:
        return plural(tr, "reminder.overdue", -item.working_days_left)
    if item.working_days_left == 0:
        return tr("reminder.left.today")
    return plural(tr, "reminder.left", item.working_days_left)


def agenda(found: Agenda, plan: Plan, tr: Translator, page: int) -> Rendered:
    """One page of the agenda, with buttons for the other windows and pages."""
    items = found.items
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    lines = [tr(f"agenda.title.{found.window}", count=len(items))]
    if not items:
        lines.append(tr("agenda.empty"))
    for item in items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        lines.append(
            tr(
                "agenda.line",
                date=long_date(item.due, tr.language),
                task=item.point.task,
                agency=agency_code(plan, item.agency, tr.language),
                what=Raw(_what(item, plan, tr)),
                state=Raw(state_label(tr, item.state)),
                left=Raw(_left(item, tr)),
            )
        )
    if pages > 1:
        lines.append(tr("tasks.page", page=page + 1, pages=pages))
    windows = tuple(
        Button(tr.plain(f"agenda.window.{w}"), callbacks.PAGE.build(w, 0))
        for w in Window
        if w is not found.window
    )
    rows: list[tuple[Button, ...]] = [windows]
    nav = []
    if page > 0:
        nav.append(Button("◀️", callbacks.PAGE.build(found.window, page - 1)))
    if page < pages - 1:
        nav.append(Button("▶️", callbacks.PAGE.build(found.window, page + 1)))
    if nav:
        rows.append(tuple(nav))
    return Rendered("\n".join(lines), tuple(rows))


def picker(pick: Pick, plan: Plan, tr: Translator) -> Rendered:
    """The open items a typed status may be about: confirm the one, or pick among several."""
    code = STATUSES[pick.status].button
    status = status_label(tr, pick.status)
    if code is None:
        return Rendered(tr("pick.no_button", status=Raw(status)))
    items = pick.items
    if len(items) == 1:
        item = items[0]
        text = tr(
            "pick.confirm",
            status=Raw(status),
            task=item.point.task,
            agency=agency_code(plan, item.agency, tr.language),
            what=Raw(_what(item, plan, tr)),
            date=long_date(item.due, tr.language),
        )
        yes = Button(tr.plain("pick.yes"), _pick_data(item, code))
        return Rendered(text, ((yes,),))
    lines = [tr("pick.which", status=Raw(status), count=len(items))]
    if len(items) > PICKS:
        lines.append(tr("pick.more", more=len(items) - PICKS))
    rows = tuple(
        (
            Button(
                tr.plain(
                    "pick.item",
                    task=item.point.task,
                    agency=agency_code(plan, item.agency, tr.language),
                    what=_what(item, plan, tr),
                    date=long_date(item.due, tr.language),
                ),
                _pick_data(item, code),
            ),
        )
        for item in items[:PICKS]
    )
    return Rendered("\n".join(lines), rows)


def _pick_data(item: AgendaItem, code: str) -> str:
    return callbacks.PICK.build(item.point.id, item.point.agencies.index(item.agency), code)
