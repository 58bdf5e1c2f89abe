"""Control points as an iCalendar file that Outlook and Google Calendar import.

Each control point is one all-day event on its effective date (DTSTART and DTEND as dates,
so no VTIMEZONE is needed). Its UID is built from the point's event key, which stays the same
when the plan moves the point (``scheduler.calendar_events``), and its SEQUENCE and
LAST-MODIFIED say how often and when what it shows changed, so a second import updates the
events instead of doubling them. Two
alarms: at the reminder time five working days before the date (an absolute UTC moment,
since working days cannot be written as a duration), and at the reminder time on the day
before (relative to the event's start). Calendars that ignore imported alarms, Google
Calendar among them, keep their own defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from bot.i18n.catalog import Translator
from bot.wording import agency_code, agency_codes, long_date
from scheduler.calendar_events import event_keys
from scheduler.plan.control_points import ControlPoint
from scheduler.plan.model import Plan
from scheduler.storage.calendar_events_repo import EventRevision
from scheduler.workdays import WorkingCalendar

UID_DOMAIN = "eskertu"
EARLY_ALARM_WORKING_DAYS = 5
PRODUCT_ID = "-//Eskertu//Plan control points//KK"
# A Kazakh "short title" is the whole task text; calendars show about this much of a summary.
TITLE_LIMIT = 100


def _short(text: str) -> str:
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1].rstrip() + "…"


def event_uid(key: str) -> str:
    return f"{key}@{UID_DOMAIN}"


def _description(point: ControlPoint, plan: Plan, tr: Translator) -> str:
    task = plan.task(point.task)
    lines = [
        tr.plain("ics.desc.text"),
        task.text,
        "",
        tr.plain("ics.desc.phrase", phrase=point.phrase),
    ]
    if point.recipient is not None:
        recipient = agency_code(plan, point.recipient, tr.language)
        lines.append(tr.plain("ics.desc.recipient", recipient=recipient))
    if point.nominal != point.effective:
        lines.append(
            tr.plain(
                "ics.desc.moved",
                nominal=long_date(point.nominal, tr.language),
                effective=long_date(point.effective, tr.language),
            )
        )
    return "\n".join(lines)


def _alarm(trigger: dt.datetime | dt.timedelta, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger)
    return alarm


def calendar_bytes(
    points: Sequence[ControlPoint],
    plan: Plan,
    tr: Translator,
    *,
    name: str,
    stamp: dt.datetime,
    calendar: WorkingCalendar,
    alarm_time: dt.time,
    tz: ZoneInfo,
    revisions: Mapping[str, tuple[str, EventRevision]] | None = None,
) -> bytes:
    """The .ics file of ``points``; ``stamp`` (the clock's now) is every event's DTSTAMP.

    ``revisions`` gives each point's event key and revision as the database keeps them;
    without them the keys are made from ``points`` and every event is at sequence 0.
    """
    known = revisions if revisions is not None else {}
    keys = event_keys(points)
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = stamp.astimezone(dt.UTC)
    day_before = dt.timedelta(days=1) - dt.timedelta(
        hours=alarm_time.hour, minutes=alarm_time.minute
    )
    for point in points:
        task = plan.task(point.task)
        kind = tr.plain(f"kind.{point.kind}")
        summary = tr.plain(
            "ics.summary",
            task=point.task,
            title=_short(task.title(tr.language)),
            kind=kind,
            agencies=agency_codes(plan, point.agencies, tr.language),
        )
        key, revision = known.get(point.id, (keys[point.id], None))
        event = Event()
        event.add("uid", event_uid(key))
        event.add("dtstamp", stamp)
        event.add("sequence", revision.sequence if revision is not None else 0)
        if revision is not None:
            event.add("last-modified", revision.modified_at.astimezone(dt.UTC))
        event.add("dtstart", point.effective)
        event.add("dtend", point.effective + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", _description(point, plan, tr))
        event.add("transp", "TRANSPARENT")
        early_day = calendar.add_working_days(point.effective, -EARLY_ALARM_WORKING_DAYS)
        early = dt.datetime.combine(early_day, alarm_time.replace(tzinfo=None), tzinfo=tz)
        event.add_component(_alarm(early.astimezone(dt.UTC), summary))
        event.add_component(_alarm(-day_before, summary))
        cal.add_component(event)
    return bytes(cal.to_ical())
