"""The task list and the task card, within Telegram's message limits."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.features.browse import callbacks, deadlines
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_code, agency_label, long_date, reported_label, state_label
from scheduler.plan.model import Plan, Task
from scheduler.presentation import Button
from scheduler.progress import ItemStanding
from scheduler.usecases.browse import ALL, TaskCard, TaskLine
from scheduler.vocabulary.control import ItemState

PAGE_SIZE = 8
# Telegram allows 4096 characters; the card keeps a margin for the markup it adds.
CARD_LIMIT = 3900


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def task_list(
    lines: Sequence[TaskLine],
    plan: Plan,
    tr: Translator,
    *,
    heading: str,
    page: int,
    scope: str,
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """One page of the list, with buttons to open a task and to turn the page."""
    pages = max(1, -(-len(lines) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    out = [heading, ""]
    for line in shown:
        task = plan.task(line.number)
        if line.point is None:
            when = tr("tasks.no_point")
        else:
            when = tr(
                "tasks.next_overdue" if line.overdue else "tasks.next",
                date=long_date(line.point.effective, tr.language),
                kind=tr(f"kind.{line.point.kind}"),
            )
        out.append(
            tr(
                "tasks.line",
                number=line.number,
                title=_short(task.title(tr.language), 90),
                when=Raw(when),
                status=state_label(tr, line.state),
            )
        )
    if pages > 1:
        out.append(tr("tasks.page", page=page + 1, pages=pages))
    open_row = tuple(Button(f"№{line.number}", callbacks.OPEN.build(line.number)) for line in shown)
    rows: list[tuple[Button, ...]] = [open_row[:4], open_row[4:]] if open_row else []
    nav = []
    if page > 0:
        nav.append(Button("◀️", callbacks.PAGE.build(scope, page - 1)))
    if page < pages - 1:
        nav.append(Button("▶️", callbacks.PAGE.build(scope, page + 1)))
    if nav:
        rows.append(tuple(nav))
    if scope != ALL:
        rows.append((Button(tr.plain("tasks.show_all"), callbacks.PAGE.build(ALL, 0)),))
    return "\n".join(out), tuple(r for r in rows if r)


def task_card(card: TaskCard, plan: Plan, tr: Translator) -> str:
    lang = tr.language
    task = card.task
    parts = [tr("card.title", number=task.number, title=task.title(lang))]
    if lang != "kk" or task.title(lang) != task.text:
        parts.append(f"<i>{_e(task.text)}</i>")
    parts.append(
        tr("card.deadline", phrase=task.deadline.phrase, reading=Raw(deadlines.reading(task, tr)))
    )
    parts.append(tr("card.agencies", agencies=Raw(_agencies(task, plan, lang, tr))))
    parts.append(tr("card.form", form=task.form.raw))
    if card.points:
        dates = [
            tr(
                "card.point",
                date=long_date(p.effective, lang),
                kind=tr(f"kind.{p.kind}"),
                moved=Raw(
                    tr("card.moved", nominal=long_date(p.nominal, lang))
                    if p.nominal != p.effective
                    else ""
                ),
            )
            + _point_state(card, card.closers.get(p.id), tr)
            for p in card.points
        ]
        parts.append(tr("card.points", points=Raw("\n".join(dates))))
    if card.current is not None:
        parts.append(
            tr(
                "card.status_at",
                date=long_date(card.current.effective, lang),
                kind=tr(f"kind.{card.current.kind}"),
            )
        )
        for standing in card.standings:
            parts.append(
                tr(
                    "card.status_line",
                    agency=agency_code(plan, standing.agency, lang),
                    status=state_label(tr, standing.state),
                )
            )
            parts += _item_notes(card, standing, tr)
    if card.history:
        parts.append(tr("card.history"))
        for entry in card.history:
            parts.append(
                tr(
                    "card.history_line",
                    date=long_date(entry.created_at.astimezone(card.tz).date(), lang),
                    agency=agency_code(plan, entry.agency, lang),
                    status=reported_label(tr, entry.status),
                    text=_short(entry.text, 120),
                )
            )
    text = "\n\n".join(parts[:4]) + "\n\n" + "\n".join(parts[4:])
    return text if len(text) <= CARD_LIMIT else text[: CARD_LIMIT - 1] + "…"


def _point_state(card: TaskCard, closer: ItemStanding | None, tr: Translator) -> str:
    """Where a point stands, after its date: its closer's state, and who accepted it."""
    if closer is None or closer.state is ItemState.NOT_STARTED:
        return ""
    accepted = _accepted(card, closer, tr)
    state = state_label(tr, closer.state)
    if accepted is None:
        return tr("card.point_state", state=Raw(state))
    return tr("card.point_accepted", state=Raw(state), name=accepted[0], date=accepted[1])


def _accepted(card: TaskCard, standing: ItemStanding, tr: Translator) -> tuple[str, str] | None:
    """Who accepted the item and on what day, if it is accepted."""
    review = standing.entry.review if standing.entry is not None else None
    if standing.state is not ItemState.ACCEPTED or review is None:
        return None
    who = card.names.get(review.by, "") if review.by is not None else ""
    day = long_date(review.at.astimezone(card.tz).date(), tr.language)
    return who or tr.plain("card.accepted_before"), day


def _item_notes(card: TaskCard, standing: ItemStanding, tr: Translator) -> list[str]:
    """Who accepted the item and when; the item's own date, with the plan's kept beside it."""
    lang, notes = tr.language, []
    accepted = _accepted(card, standing, tr)
    if accepted is not None:
        notes.append(tr("card.accepted_by", name=accepted[0], date=accepted[1]))
    moved = card.dues.get(standing.agency)
    if moved is not None and card.current is not None and moved != card.current.effective:
        notes.append(
            tr(
                "card.item_moved",
                date=long_date(moved, lang),
                original=long_date(card.current.effective, lang),
            )
        )
    return notes


def _agencies(task: Task, plan: Plan, lang: str, tr: Translator) -> str:
    names = []
    for agency in task.responsible:
        label = _e(agency_label(plan, agency.code, lang))
        if agency.consolidator:
            label += " " + tr("card.consolidator")
        elif agency.lead and len(task.responsible) > 1:
            label += " " + tr("card.lead")
        names.append(label)
    return "; ".join(names)
