"""Words the exports share: state names, the moment a report stands at, percentages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.i18n.catalog import Translator
from bot.wording import agency_code, long_date, plain_state
from scheduler.plan.model import Plan
from scheduler.reports.items import Item


def item_status(tr: Translator, item: Item, plan: Plan | None = None) -> str:
    """The item's state, naming the closer when the closer's report counts for the agency."""
    label = plain_state(tr, item.state)
    if item.closed_by is not None:
        closer = code_shown(plan, item.closed_by, tr.language)
        return tr.plain("report.closed_by", status=label, agency=closer)
    return label


def code_shown(plan: Plan | None, code: str, language: str) -> str:
    """An agency's code in the reader's language; as the plan writes it without a plan."""
    return code if plan is None else agency_code(plan, code, language)


def as_of_text(moment: dt.datetime, tz: ZoneInfo, language: str) -> str:
    """The report's moment in the plan's time zone, e.g. "1 маусым 2016 ж., 10:00"."""
    local = moment.astimezone(tz)
    return f"{long_date(local.date(), language)}, {local:%H:%M}"


def share_text(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def local_naive(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """Wall time in ``tz`` without an offset, as spreadsheets store it."""
    return moment.astimezone(tz).replace(tzinfo=None, microsecond=0)
