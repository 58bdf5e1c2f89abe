"""The tick: plan every reminder that has come due since the last tick into the outbox.

The tick is idempotent. It remembers, in the database, the moment it has planned up
to; each run plans the waves between that moment and now, and the outbox's unique key
(chat, control point, slot) turns a repeated plan into a no-op. Reminders whose time
passed while the bot was down go out if they are still within the grace window, and
are otherwise recorded as missed and listed to the administrators in one message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.progress import PointProgress
from scheduler.reminders.schedule import Occasion, ReminderSchedule
from scheduler.storage.outbox_repo import NewMessage, OutboxState
from scheduler.storage.status_repo import StatusEntry
from scheduler.storage.subscriptions_repo import Subscription
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.vocabulary.messages import MESSAGE_KINDS, Audience, MessageKind
from scheduler.vocabulary.subscriptions import Follow

PLANNED_UNTIL = "reminders.planned_until"
LAST_TICK = "reminders.last_tick"
# The control point under which the administrators' list of missed reminders is planned.
MISSED_DIGEST_POINT = "missed_digest"


@dataclass(frozen=True)
class TickResult:
    skipped: bool = False
    waves: tuple[dt.date, ...] = ()
    planned: int = 0
    missed: int = 0


@dataclass(frozen=True)
class _Open:
    """An occasion whose point is still open, with the agencies that have not reported done."""

    day: dt.date
    occasion: Occasion
    agencies: tuple[str, ...]


async def tick(
    db: Database,
    clock: Clock,
    schedule: ReminderSchedule,
    admins: Sequence[int],
) -> TickResult:
    """Plan what is due now. One transaction; only one instance plans at a time."""
    now = clock.now()
    async with db.unit_of_work() as uow:
        if not await uow.engine_state.try_lock_planning():
            return TickResult(skipped=True)
        await uow.engine_state.put_time(LAST_TICK, now, now)
        mark = await uow.engine_state.get_time(PLANNED_UNTIL)
        if mark is None:
            mark = _first_mark(now, schedule)
        if now <= mark:
            return TickResult()
        days = schedule.wave_days(mark, now)
        result = await _plan_waves(uow, now, days, schedule, admins)
        await uow.engine_state.put_time(PLANNED_UNTIL, now, now)
        return result


def _first_mark(now: dt.datetime, schedule: ReminderSchedule) -> dt.datetime:
    """On the very first tick, today's wave still counts if the working day is not over."""
    local = now.astimezone(schedule.tz)
    if local.time() < schedule.policy.working_hours_end:
        midnight = dt.datetime.combine(local.date(), dt.time(0), tzinfo=schedule.tz)
        return midnight.astimezone(dt.UTC)
    return now


def is_fresh(day: dt.date, now: dt.datetime, schedule: ReminderSchedule) -> bool:
    """Whether a wave of ``day`` may still go out at ``now`` (the grace window)."""
    policy = schedule.policy
    if policy.grace is not None:
        return now - schedule.send_instant(day) <= policy.grace
    local = now.astimezone(schedule.tz)
    return local.date() == day and local.time() < policy.working_hours_end


async def _plan_waves(
    uow: UnitOfWork,
    now: dt.datetime,
    days: Sequence[dt.date],
    schedule: ReminderSchedule,
    admins: Sequence[int],
) -> TickResult:
    due = await reminders_due(uow, days, schedule, admins)
    if not due:
        return TickResult(waves=tuple(days))
    fresh_days = {day for day in days if is_fresh(day, now, schedule)}
    messages: list[NewMessage] = []
    for item, chats in due:
        state = OutboxState.PENDING if item.day in fresh_days else OutboxState.MISSED
        for chat_id, focus in chats.items():
            messages.append(
                NewMessage(
                    chat_id=chat_id,
                    control_point=item.occasion.point.id,
                    slot=str(item.occasion.slot),
                    kind=item.occasion.kind,
                    due_at=schedule.send_instant(item.day),
                    payload={"agencies": sorted(focus), "day": item.day.isoformat()},
                    state=state,
                )
            )
    pending = [m for m in messages if m.state is OutboxState.PENDING]
    missed = [m for m in messages if m.state is OutboxState.MISSED]
    planned = await uow.outbox.enqueue(pending, now)
    recorded_missed = await uow.outbox.enqueue(missed, now)
    if recorded_missed:
        await uow.outbox.enqueue(_missed_digest(missed, admins, now), now)
    return TickResult(waves=tuple(days), planned=planned, missed=recorded_missed)


async def reminders_due(
    uow: UnitOfWork, days: Sequence[dt.date], schedule: ReminderSchedule, admins: Sequence[int]
) -> list[tuple[_Open, dict[int, set[str]]]]:
    """The occasions of ``days`` still open, each with the chats it reminds and of whom.

    Occasions nobody follows are left out.
    """
    occasions = [(day, occ) for day in days for occ in schedule.occasions_on(day)]
    if not occasions:
        return []
    latest = await uow.statuses.latest({occ.point.id for _, occ in occasions})
    still_open = [
        item for day, occ in occasions if (item := _still_open(day, occ, latest)) is not None
    ]
    if not still_open:
        return []
    controls = schedule.controls
    agencies: set[str] = set()
    for item in still_open:
        if _audience(item.occasion) is Audience.CONTROLLERS:
            agencies.update(controls.get(item.occasion.point.task, ()))
        else:
            agencies.update(item.agencies)
    followers = await uow.subscriptions.followers(
        agencies=agencies, tasks={item.occasion.point.task for item in still_open}
    )
    by_target = _index(followers)
    found = [(item, _recipients(item, by_target, controls, admins)) for item in still_open]
    return [(item, chats) for item, chats in found if chats]


def _still_open(
    day: dt.date, occasion: Occasion, latest: dict[str, dict[str, StatusEntry]]
) -> _Open | None:
    agencies = PointProgress.of(occasion.point, latest).chased_agencies()
    return _Open(day, occasion, agencies) if agencies else None


def _audience(occasion: Occasion) -> Audience | None:
    return MESSAGE_KINDS[occasion.kind].audience


def _index(followers: Sequence[Subscription]) -> dict[tuple[str, str], set[int]]:
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    for sub in followers:
        index[(sub.kind, sub.target)].add(sub.chat_id)
    return index


def _recipients(
    item: _Open,
    by_target: dict[tuple[str, str], set[int]],
    controls: Mapping[int, tuple[str, ...]],
    admins: Sequence[int],
) -> dict[int, set[str]]:
    """Each chat to remind, with the open agencies it is reminded about."""
    point = item.occasion.point
    chats: dict[int, set[str]] = defaultdict(set)
    if _audience(item.occasion) is Audience.CONTROLLERS:
        for department in controls.get(point.task, ()):
            for chat_id in by_target.get((Follow.AGENCY, department), ()):
                chats[chat_id].update(item.agencies)
        for admin in admins:
            chats[admin].update(item.agencies)
        return chats
    for agency in item.agencies:
        for chat_id in by_target.get((Follow.AGENCY, agency), ()):
            chats[chat_id].add(agency)
    for chat_id in by_target.get((Follow.TASK, str(point.task)), ()):
        chats[chat_id].update(item.agencies)
    return chats


def _missed_digest(
    missed: Sequence[NewMessage], admins: Sequence[int], now: dt.datetime
) -> list[NewMessage]:
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for message in missed:
        counts[(message.control_point, message.slot, str(message.payload.get("day")))] += 1
    items = [
        {"point": point, "slot": slot, "day": day, "chats": n}
        for (point, slot, day), n in sorted(counts.items(), key=lambda kv: (kv[0][2], kv[0][0]))
    ]
    return [
        NewMessage(
            chat_id=admin,
            control_point=MISSED_DIGEST_POINT,
            slot=now.isoformat(timespec="seconds"),
            kind=MessageKind.MISSED_DIGEST,
            due_at=now,
            payload={"total": len(missed), "items": items},
        )
        for admin in admins
    ]
