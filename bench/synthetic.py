"""Large synthetic plans and subscription tables for the benchmarks.

A synthetic plan is built as control points (one deadline per task), not as a plan
document: the tick works on points, and building points directly lets the benchmark say
exactly how many of them come due on the measured day. The points are spread over the
working days of two years; the ``due`` tasks are placed on the days that put one
reminder occasion on the measured day (a reminder before the point, an overdue nudge or
an escalation), and every other task avoids those days, so the day's occasions are
exactly ``due``.

:func:`plan_document` writes such a plan as a plan document, for the benchmarks that start
the real bot on it: with ``day`` today, the bot's own tick plans the day's wave.

Subscriptions are written in bulk with plain multi-row INSERTs, as a large deployment's
table would look: most chats follow one agency, the rest follow one task. For the
benchmarks that run the real bot on the real plan, :func:`plan_reminders` puts one
reminder per chat into the outbox, as a tick would have planned them, and
:func:`working_all_day` makes the whole run working time for them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from scheduler.plan.control_points import ControlPoint, expand
from scheduler.plan.model import Plan
from scheduler.reminders.policy import ReminderPolicy
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.tables import ChatRow, SubscriptionRow
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import MessageKind
from scheduler.vocabulary.subscriptions import Follow
from scheduler.workdays import WorkingCalendar

# The measured day: a working day well inside its plan's span (its year and the next), so
# points lie on both sides.
MEASURED_DAY = dt.date(2025, 12, 10)
FIRST_CHAT = 200_000_001
# One chat in ten follows a task rather than an agency.
TASK_SHARE = 10
_INSERT_CHUNK = 2000
# Reminders keep to working hours, and the benchmarks that run ``python -m bot`` do so on
# the real clock. With these settings, and the days around the run made working days
# (:func:`working_all_day`), every moment of a run is within working hours, so that a
# benchmark measures the same whatever the hour and the day it runs.
ALL_DAY = {"REMINDER_TIME": "00:00", "WORKING_HOURS_END": "23:59:59.999999"}


@dataclass(frozen=True)
class SyntheticPlan:
    points: tuple[ControlPoint, ...]
    controls: dict[int, tuple[str, ...]]
    agencies: tuple[str, ...]
    day: dt.date
    due: int


def agency_codes(count: int) -> tuple[str, ...]:
    return tuple(f"AG{i:03d}" for i in range(1, count + 1))


def late_days(policy: ReminderPolicy) -> list[int]:
    """Every number of working days overdue on which a point has a nudge or escalates."""
    return [n for n in range(1, policy.deepest_late() + 1) if policy.slots_after(n)]


def _relations(policy: ReminderPolicy) -> list[int]:
    """Working-day distances from the measured day that give a point one occasion on it.

    Positive: the point lies ahead (a reminder before it); negative: it is overdue.
    The first few of each kind are used for the due tasks, alternating.
    """
    ahead = sorted(set(policy.offsets))
    behind = [-n for n in late_days(policy)[: len(ahead)]]
    mixed: list[int] = []
    for i in range(max(len(ahead), len(behind))):
        mixed.extend(ahead[i : i + 1])
        mixed.extend(behind[i : i + 1])
    return mixed


def _hot_days(calendar: WorkingCalendar, policy: ReminderPolicy, day: dt.date) -> set[dt.date]:
    """Every effective date that would give a point an occasion on ``day``."""
    days = {calendar.add_working_days(day, offset) for offset in policy.offsets if offset}
    days.add(day)
    days.update(calendar.add_working_days(day, -late) for late in late_days(policy))
    return days


def build_plan(
    tasks: int,
    due: int,
    *,
    agencies: int = 50,
    calendar: WorkingCalendar | None = None,
    policy: ReminderPolicy | None = None,
    day: dt.date | None = None,
) -> SyntheticPlan:
    """``tasks`` tasks, of which exactly ``due`` have one occasion on the measured day
    (``day``, by default ``MEASURED_DAY``; the next working day if it is not one).

    The other tasks lie on the working days of the year of ``day`` and the next.
    """
    if not 0 <= due <= tasks:
        raise ValueError("the due tasks must be a part of the plan")
    calendar = calendar or WorkingCalendar()
    policy = policy or ReminderPolicy()
    day = day or MEASURED_DAY
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    start, end = dt.date(day.year, 1, 1), dt.date(day.year + 1, 12, 31)
    hot = _hot_days(calendar, policy, day)
    cold = [
        d
        for d in (start + dt.timedelta(days=i) for i in range((end - start).days))
        if calendar.is_working_day(d) and d not in hot
    ]
    relations = _relations(policy)
    codes = agency_codes(agencies)
    points: list[ControlPoint] = []
    controls: dict[int, tuple[str, ...]] = {}
    for n in range(1, tasks + 1):
        i = n - 1
        # The due tasks are spread evenly through the numbering, not bunched at its start.
        is_due = due > 0 and i * due % tasks < due
        if is_due:
            effective = calendar.add_working_days(day, relations[i * due // tasks % len(relations)])
        else:
            effective = cold[(i * 7919) % len(cold)]
        size = 1 + n % 3
        own = tuple(codes[(n + k * 17) % len(codes)] for k in range(size))
        points.append(
            ControlPoint(
                id=f"T{n:05d}-deadline-{effective.isoformat()}",
                task=n,
                kind="deadline",
                agencies=own,
                lead=own[0],
                consolidator=None,
                nominal=effective,
                effective=effective,
                phrase=effective.isoformat(),
            )
        )
        controls[n] = (codes[(n * 7 + 3) % len(codes)],)
    return SyntheticPlan(tuple(points), controls, codes, day, due)


def plan_document(plan: SyntheticPlan, path: Path, tz: str = "Asia/Almaty") -> None:
    """Write ``plan`` as a plan document that loads back into the same control points: one
    dated deadline per task (a working day, so it is its own effective date), no report."""
    days = [p.nominal for p in plan.points] or [plan.day]

    def names(text: str) -> dict[str, object]:
        return {"kk": text, "ru": {"text": text, "source": "translation"}}

    document = {
        "format_version": 1,
        "title": names(f"Synthetic plan of {len(plan.points)} tasks"),
        "period": {"start": min(days).isoformat(), "end": max(days).isoformat()},
        "timezone": tz,
        "act": None,
        "controller": None,
        "sections": [{"number": 1, "title": "Synthetic"}],
        "agencies": [{"code": code, "name": names(f"Agency {code}")} for code in plan.agencies],
        "tasks": [
            {
                "number": p.task,
                "section": 1,
                "text": f"Task {p.task}",
                "deadline": {"kind": "date", "phrase": p.phrase, "date": p.nominal.isoformat()},
                "responsible": [
                    {"code": code, "lead": code == p.lead, "consolidator": False}
                    for code in p.agencies
                ],
                "form": {"raw": "report", "deliverables": []},
                "control": list(plan.controls.get(p.task, ())),
                "funding": {"raw": "none", "required": False, "programmes": []},
            }
            for p in plan.points
        ],
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def subscription_rows(
    subs: int, agencies: Sequence[str], tasks: Sequence[int], now: dt.datetime
) -> list[dict[str, Any]]:
    """One subscription per chat: every tenth chat follows a task, the others an agency."""
    rows = []
    for i in range(subs):
        if tasks and i % TASK_SHARE == TASK_SHARE - 1:
            kind, target = Follow.TASK, str(tasks[(i // TASK_SHARE) % len(tasks)])
        else:
            kind, target = Follow.AGENCY, agencies[i % len(agencies)]
        rows.append(
            {
                "chat_id": FIRST_CHAT + i,
                "kind": kind,
                "target": target,
                "active": True,
                "created_at": now,
                "created_by": None,
            }
        )
    return rows


async def insert_subscriptions(
    db: Database, subs: int, agencies: Sequence[str], tasks: Sequence[int], now: dt.datetime
) -> list[int]:
    """Write ``subs`` private chats and their subscriptions; returns the chat ids."""
    rows = subscription_rows(subs, agencies, tasks, now)
    chats = [
        {
            "id": row["chat_id"],
            "type": "private",
            "title": None,
            "language": None,
            "active": True,
            "first_seen": now,
            "last_seen": now,
        }
        for row in rows
    ]
    async with db.unit_of_work() as uow:
        for model, values in ((ChatRow, chats), (SubscriptionRow, rows)):
            for start in range(0, len(values), _INSERT_CHUNK):
                await uow.session.execute(insert(model), values[start : start + _INSERT_CHUNK])
    return [row["chat_id"] for row in rows]


def reminders_for(plan: Plan, chats: Sequence[int], now: dt.datetime) -> list[NewMessage]:
    """One reminder per chat, due ``now``, about a deadline of one agency (in the payload).

    The agencies that have deadlines take turns, so the chats are spread over them.
    """
    by_agency: dict[str, list[ControlPoint]] = {}
    for point in expand(plan, WorkingCalendar()):
        if point.kind == "deadline":
            for code in point.agencies:
                by_agency.setdefault(code, []).append(point)
    codes = sorted(by_agency)
    messages = []
    for i, chat in enumerate(chats):
        agency = codes[i % len(codes)]
        points = by_agency[agency]
        point = points[(i // len(codes)) % len(points)]
        messages.append(
            NewMessage(
                chat_id=chat,
                control_point=point.id,
                slot="0",
                kind=MessageKind.REMINDER,
                due_at=now,
                payload={"agencies": [agency], "day": point.effective.isoformat()},
            )
        )
    return messages


async def plan_reminders(db: Database, messages: Sequence[NewMessage], now: dt.datetime) -> int:
    async with db.unit_of_work() as uow:
        return await uow.outbox.enqueue(messages, now)


async def working_all_day(db: Database, now: dt.datetime) -> None:
    """Make the days around ``now`` working days, in any time zone (see ``ALL_DAY``)."""
    today = now.date()
    async with db.unit_of_work() as uow:
        for offset in range(-1, 3):
            await uow.calendar.put(today + dt.timedelta(days=offset), True, "benchmark run")
