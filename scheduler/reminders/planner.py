"""The tick: plan every reminder that has come due since the last tick into the outbox.

The tick is idempotent. It remembers, in the database, the moment it has planned up
to; each run plans the waves between that moment and now, and the outbox's unique key
(chat, control point, slot) turns a repeated plan into a no-op. Reminders whose time
passed while the bot was down go out if they are still within the grace window, and
are otherwise recorded as missed and listed to the administrators in one message.

A wave is planned in steps of at most ``ROWS_PER_STEP`` reminders, each worked out by a
reader and written by its own short transaction, so that a wave of hundreds of thousands
of reminders neither holds the database (SQLite's one writer) for long nor the whole wave
in memory. The wave goes occasion by occasion, in a fixed order, and through each
occasion's chats in id order; a step records in the database how far it got, as an
occasion and a chat (``PLANNING``).
The mark moves on only once the last occasion is planned. A tick that dies between steps
leaves the rest to the next tick of any instance, which continues from the record.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from scheduler.clock import Clock
from scheduler.plan.control_points import ControlPoint
from scheduler.progress import ControlPolicy, progress_of
from scheduler.reminders.audiences import Audiences, audiences
from scheduler.reminders.schedule import Occasion, ReminderSchedule
from scheduler.storage.chat_range import EVERY_CHAT, ChatRange
from scheduler.storage.outbox_repo import NewMessage, OutboxState
from scheduler.storage.reviews_repo import ItemDeadline
from scheduler.storage.status_repo import StatusEntry
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.vocabulary.messages import MESSAGE_KINDS, Audience, MessageKind

PLANNED_UNTIL = "reminders.planned_until"
LAST_TICK = "reminders.last_tick"
# The wave being planned, while it is: its window, its days and the last chat planned.
PLANNING = "reminders.planning"
# The control point under which the administrators' list of missed reminders is planned.
MISSED_DIGEST_POINT = "missed_digest"
# The slot of a reminder to controllers of a report waiting for acceptance: "review@<day>".
REVIEW_SLOT = "review"
# The outbox rows a step plans at most: a page of one occasion's chats, or the ends of
# several occasions. Finding the page's chats and their subscriptions (~20 ms, bench.scan)
# is done by a reader, which keeps no writer waiting; writing the rows costs some 50–90 µs
# each on a 2-core machine, so a step holds the database for 10–30 ms, more when the
# machine is busy: what a status reply may wait on SQLite, after which it goes first.
# Larger steps would make the wave faster and those waits longer; smaller ones made the
# replies no faster (bench.wave_replies). Nothing a deployment would tune, hence not a
# setting.
ROWS_PER_STEP = 200
# Between steps the tick rests as long as the step took, times this: half the process's
# time then goes to its other work (status replies, the delivery worker), which would
# otherwise find the event loop busy with planning for most of a long wave. Planning
# need only stay ahead of sending, and even at half speed it plans a step of 200 in the
# time Telegram's 30 messages a second take to send a dozen.
REST_PER_STEP = 1.0


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
    # The agency whose moved date this occasion follows; None for the point's own date.
    moved_for: str | None = None

    @property
    def key(self) -> OccasionKey:
        """Where the occasion stands in a wave's order: day, point, slot, moved agency."""
        point = self.occasion.point.id
        return (self.day.isoformat(), point, str(self.occasion.slot), self.moved_for or "")


OccasionKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class WaveProgress:
    """A wave being planned: its window ``(after, until]`` and days; where the next step
    starts, an occasion (``occasion``; None: the first) and the last chat of it planned
    (``chat``; None: none yet); and its missed reminders so far, by point, slot and day,
    for the administrators' list once the wave is planned."""

    after: dt.datetime
    until: dt.datetime
    days: tuple[dt.date, ...]
    occasion: OccasionKey | None = None
    chat: int | None = None
    planned: int = 0
    missed_recorded: int = 0
    missed: Mapping[tuple[str, str, str], int] = field(default_factory=dict)

    def dumps(self) -> str:
        return json.dumps(
            {
                "after": self.after.isoformat(),
                "until": self.until.isoformat(),
                "days": [d.isoformat() for d in self.days],
                "occasion": self.occasion,
                "chat": self.chat,
                "planned": self.planned,
                "missed_recorded": self.missed_recorded,
                "missed": [[*key, n] for key, n in self.missed.items()],
            }
        )

    @classmethod
    def loads(cls, text: str) -> WaveProgress:
        data = json.loads(text)
        return cls(
            after=dt.datetime.fromisoformat(data["after"]),
            until=dt.datetime.fromisoformat(data["until"]),
            days=tuple(dt.date.fromisoformat(d) for d in data["days"]),
            occasion=None if data["occasion"] is None else tuple(data["occasion"]),
            chat=data["chat"],
            planned=data["planned"],
            missed_recorded=data["missed_recorded"],
            missed={(p, s, d): n for p, s, d, n in data["missed"]},
        )


@dataclass(frozen=True)
class _Draft:
    """A step worked out from the wave's record: its messages, and the wave after them."""

    wave: WaveProgress
    pending: list[NewMessage]
    missed: list[NewMessage]
    # The controllers' reminders of reports waiting too long, with the wave's last step.
    closing: list[NewMessage]

    @property
    def done(self) -> bool:
        return self.wave.occasion is None


async def tick(
    db: Database,
    clock: Clock,
    schedule: ReminderSchedule,
    admins: Sequence[int],
    control: ControlPolicy,
    *,
    rows_per_step: int = ROWS_PER_STEP,
    rest_per_step: float = REST_PER_STEP,
) -> TickResult:
    """Plan what is due now, ``rows_per_step`` reminders at most a transaction; one instance
    at a time.

    A step is worked out by a reader, which keeps no writer waiting, and written by a short
    transaction that takes the planning lock and reads the wave's record afresh: when the
    record is no longer the one the step was worked out from (another instance took a step
    meanwhile), nothing is written and the step is worked out again. Steps of two instances
    never overlap, and one that finds the lock taken stops while the holder goes on.
    """
    now = clock.now()
    waves: list[dt.date] = []
    planned = missed = 0
    stepped = False
    # The occasions still open, read at a wave's first step in this tick and kept for its
    # next ones: a point closed meanwhile is caught when its reminder is sent.
    known: dict[tuple[dt.datetime, dt.datetime], list[_Open]] = {}
    while True:
        started = time.perf_counter()
        async with db.reading() as uow:
            record = await _record(uow)
            wave = _wave_of(record, now, schedule)
            draft = None
            if wave is not None:
                window = (wave.after, wave.until)
                if window not in known:
                    known[window] = await open_occasions(uow, wave.days, schedule, control)
                draft = await _draft_step(
                    uow, now, wave, known[window], schedule, admins, control, rows_per_step
                )
        async with db.unit_of_work(background=True) as uow:
            if not await uow.engine_state.try_lock_planning():
                return TickResult(not stepped, tuple(waves), planned, missed)
            stepped = True
            # Written first: on SQLite the write takes the database's write lock, so the
            # record read next cannot change under this step.
            await uow.engine_state.put_time(LAST_TICK, now, now)
            if await _record(uow) != record:
                continue
            if wave is None or draft is None:
                return TickResult(False, tuple(waves), planned, missed)
            step_planned = await uow.outbox.enqueue(draft.pending, now)
            step_missed = await uow.outbox.enqueue(draft.missed, now)
            wave = replace(
                draft.wave,
                planned=wave.planned + step_planned,
                missed_recorded=wave.missed_recorded + step_missed,
            )
            if draft.done:
                if wave.missed_recorded:
                    await uow.outbox.enqueue(_missed_digest(wave.missed, admins, now), now)
                step_planned += await uow.outbox.enqueue(draft.closing, now)
                await uow.engine_state.put_time(PLANNED_UNTIL, wave.until, now)
                await uow.engine_state.forget(PLANNING)
            else:
                await uow.engine_state.put(PLANNING, wave.dumps(), now)
        planned += step_planned
        missed += step_missed
        waves += [day for day in wave.days if day not in waves]
        if draft.done and wave.until >= now:
            return TickResult(False, tuple(waves), planned, missed)
        await asyncio.sleep((time.perf_counter() - started) * rest_per_step)


_Record = tuple[str | None, dt.datetime | None]


async def _record(uow: UnitOfWork) -> _Record:
    """The wave being planned, as recorded, and the moment planned up to."""
    return await uow.engine_state.get(PLANNING), await uow.engine_state.get_time(PLANNED_UNTIL)


def _wave_of(record: _Record, now: dt.datetime, schedule: ReminderSchedule) -> WaveProgress | None:
    """The wave to plan a step of: the one recorded, else the one due since the mark."""
    planning, mark = record
    if planning is not None:
        return WaveProgress.loads(planning)
    if mark is None:
        mark = _first_mark(now, schedule)
    if now <= mark:
        return None
    return WaveProgress(mark, now, tuple(schedule.wave_days(mark, now)))


async def wave_in_progress(uow: UnitOfWork) -> WaveProgress | None:
    """The wave a tick began planning and has not finished, if any."""
    text = await uow.engine_state.get(PLANNING)
    return None if text is None else WaveProgress.loads(text)


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


async def _draft_step(
    uow: UnitOfWork,
    now: dt.datetime,
    wave: WaveProgress,
    still_open: Sequence[_Open],
    schedule: ReminderSchedule,
    admins: Sequence[int],
    control: ControlPolicy,
    rows_per_step: int,
) -> _Draft:
    """The wave's next ``rows_per_step`` reminders at most, of the occasions ``still_open``;
    the step that ends the wave also brings the controllers' reminders of waiting reports.

    An occasion reminds each of its chats once, so a page of its followers' chats is a page
    of rows; reminders go to the outbox occasion by occasion, as the delivery worker, which
    takes them in order, can then send to many chats at once.
    """
    days = wave.days
    start = wave.occasion
    todo = sorted(
        (item for item in still_open if start is None or item.key >= start), key=lambda o: o.key
    )
    fresh_days = {day for day in days if is_fresh(day, now, schedule)}
    messages: list[NewMessage] = []
    occasion: OccasionKey | None = None
    chat: int | None = None
    for item in todo:
        left = rows_per_step - len(messages)
        if left <= 0:
            occasion = item.key
            break
        after = wave.chat if item.key == wave.occasion else None
        upto = await _page_end(uow, [item], schedule, after, left)
        page = ChatRange(after=after, upto=upto)
        fresh = item.day in fresh_days
        for _, chats in await recipients(uow, [item], schedule, admins, page):
            messages += [
                NewMessage(
                    chat_id=chat_id,
                    control_point=item.occasion.point.id,
                    slot=str(item.occasion.slot),
                    kind=item.occasion.kind,
                    due_at=schedule.send_instant(item.day),
                    payload={"agencies": sorted(focus), "day": item.day.isoformat()},
                    state=OutboxState.PENDING if fresh else OutboxState.MISSED,
                )
                for chat_id, focus in sorted(chats.items())
            ]
        if upto is not None:
            # The rest of this occasion's chats come in the next step.
            occasion, chat = item.key, upto
            break
    pending = [m for m in messages if m.state is OutboxState.PENDING]
    missed = [m for m in messages if m.state is OutboxState.MISSED]
    counts = dict(wave.missed)
    for message in missed:
        key = (message.control_point, message.slot, str(message.payload.get("day")))
        counts[key] = counts.get(key, 0) + 1
    wave = replace(wave, occasion=occasion, chat=chat, missed=counts)
    closing: list[NewMessage] = []
    if occasion is None:
        reviews = await reviews_waiting(uow, days, schedule, admins, control)
        # A controller is not told of a wait that a downtime made stale: the next day tells it.
        fresh_at = {schedule.send_instant(day) for day in fresh_days}
        closing = [r for r in reviews if r.due_at in fresh_at]
    return _Draft(wave, pending, missed, closing)


async def _page_end(
    uow: UnitOfWork,
    still_open: Sequence[_Open],
    schedule: ReminderSchedule,
    after: int | None,
    chats: int,
) -> int | None:
    """The last chat of the page that starts after ``after``: the ``chats``-th follower of
    the open occasions; None when the page runs to the end (and holds every chat id above
    ``after``, the controllers' and administrators' too)."""
    agencies, tasks, departments = _targets(still_open, schedule)
    return await uow.subscriptions.nth_follower_after(
        agencies | departments, tasks, after=after, count=chats
    )


async def reminders_due(
    uow: UnitOfWork,
    days: Sequence[dt.date],
    schedule: ReminderSchedule,
    admins: Sequence[int],
    control: ControlPolicy,
    chats: ChatRange = EVERY_CHAT,
) -> list[tuple[_Open, dict[int, set[str]]]]:
    """The occasions of ``days`` still open, each with the chats (of ``chats``) it reminds
    and of whom."""
    still_open = await open_occasions(uow, days, schedule, control)
    if not still_open:
        return []
    return await recipients(uow, still_open, schedule, admins, chats)


async def open_occasions(
    uow: UnitOfWork,
    days: Sequence[dt.date],
    schedule: ReminderSchedule,
    control: ControlPolicy,
) -> list[_Open]:
    """The occasions of ``days`` still open, each with the agencies it chases.

    Occasions come from the plan's points, and from the items whose date an extension or a
    return moved (those follow their own date, not the point's).
    """
    if not days:
        return []
    moved = await uow.item_deadlines.every_current()
    occasions: list[tuple[dt.date, Occasion, str | None]] = [
        (day, occ, None) for day in days for occ in schedule.occasions_on(day)
    ]
    occasions += [
        (day, occ, item.agency) for day in days for item, occ in _moved_on(day, moved, schedule)
    ]
    if not occasions:
        return []
    progress = await progress_of(uow, {occ.point for _, occ, _ in occasions}, control)
    still_open: list[_Open] = []
    for day, occ, agency in occasions:
        chased = progress[occ.point.id].chased_agencies()
        if agency is None:
            # An agency whose date was moved is reminded against its own date only.
            own = progress[occ.point.id].dues
            chased = tuple(a for a in chased if a not in own)
        else:
            chased = tuple(a for a in chased if a == agency)
        if chased:
            still_open.append(_Open(day, occ, chased, agency))
    return still_open


async def recipients(
    uow: UnitOfWork,
    still_open: Sequence[_Open],
    schedule: ReminderSchedule,
    admins: Sequence[int],
    chats: ChatRange = EVERY_CHAT,
) -> list[tuple[_Open, dict[int, set[str]]]]:
    """Each open occasion with the chats of ``chats`` it reminds and of whom.

    Chats that put an item off hear nothing of it but its escalation until then.
    Occasions nobody (in ``chats``) follows are left out.
    """
    agencies, tasks, departments = _targets(still_open, schedule)
    heard = await audiences(
        uow, agencies=agencies, tasks=tasks, departments=departments, chats=chats
    )
    snoozes = await uow.snoozes.active(min(item.day for item in still_open))
    snoozed = {(z.chat_id, z.control_point, z.agency): z.until for z in snoozes}
    admins_here = [admin for admin in admins if admin in chats]
    found = []
    for item in still_open:
        reminded = _recipients(item, heard, schedule.controls, admins_here)
        if MESSAGE_KINDS[item.occasion.kind].audience is Audience.AGENCIES:
            reminded = _awake(reminded, item, snoozed)
        if reminded:
            found.append((item, reminded))
    return found


def _moved_on(
    day: dt.date, moved: Sequence[ItemDeadline], schedule: ReminderSchedule
) -> list[tuple[ItemDeadline, Occasion]]:
    """The occasions on ``day`` of the items whose date was moved, each against its own date."""
    if not schedule.calendar.is_working_day(day):
        return []
    found = []
    for item in moved:
        point = schedule.point(item.control_point)
        if point is None:
            continue
        left = schedule.calendar.working_days_between(day, item.due)
        slots = schedule.policy.slots_at(left, item.due)
        found += [(item, Occasion(point, slot)) for slot in slots]
    return found


def _awake(
    chats: dict[int, set[str]], item: _Open, snoozed: Mapping[tuple[int, str, str], dt.date]
) -> dict[int, set[str]]:
    """The chats and agencies of a reminder, less those a chat put off until that day or later.

    The snooze's own reminder speaks for its last day.
    """
    point = item.occasion.point.id

    def awake(chat: int, agency: str) -> bool:
        until = snoozed.get((chat, point, agency))
        return until is None or until < item.day

    kept = {chat: {a for a in focus if awake(chat, a)} for chat, focus in chats.items()}
    return {chat: focus for chat, focus in kept.items() if focus}


def _audience(occasion: Occasion) -> Audience | None:
    return MESSAGE_KINDS[occasion.kind].audience


def _targets(
    still_open: Sequence[_Open], schedule: ReminderSchedule
) -> tuple[set[str], set[int], set[str]]:
    """The agencies, tasks and controlling departments whose followers ``still_open`` reach."""
    agencies: set[str] = set()
    departments: set[str] = set()
    for item in still_open:
        if _audience(item.occasion) is Audience.CONTROLLERS:
            departments.update(schedule.controls.get(item.occasion.point.task, ()))
        else:
            agencies.update(item.agencies)
    tasks = {item.occasion.point.task for item in still_open}
    return agencies, tasks, departments


def _recipients(
    item: _Open,
    heard: Audiences,
    controls: Mapping[int, tuple[str, ...]],
    admins: Sequence[int],
) -> dict[int, set[str]]:
    """Each chat to remind, with the open agencies it is reminded about."""
    point = item.occasion.point
    chats: dict[int, set[str]] = defaultdict(set)
    if _audience(item.occasion) is Audience.CONTROLLERS:
        # An escalation reaches the controlling departments and every administrator.
        for chat_id in heard.control(controls.get(point.task, ()), ()) | set(admins):
            chats[chat_id].update(item.agencies)
        return chats
    for agency in item.agencies:
        for chat_id in heard.agency(agency):
            chats[chat_id].add(agency)
    for chat_id in heard.task(point.task):
        chats[chat_id].update(item.agencies)
    return chats


def review_payload(
    entry: StatusEntry, point: ControlPoint, name: str, tz: dt.tzinfo, **more: object
) -> dict[str, object]:
    """What a controller's message about report ``entry`` shows, kept as it was reported;
    the moment is written in the plan's zone, as its readers tell the time."""
    return {
        "status": entry.id,
        "task": entry.task_number,
        "point": entry.control_point,
        "kind": point.kind,
        "date": point.effective.isoformat(),
        "agency": entry.agency,
        "text": entry.text,
        "user": entry.user_id,
        "name": name,
        "at": entry.created_at.astimezone(tz).isoformat(),
        "evidence_kind": entry.evidence_kind,
        "evidence_file_id": entry.evidence_file_id,
        "evidence_name": entry.evidence_name,
        **more,
    }


async def reviews_waiting(
    uow: UnitOfWork,
    days: Sequence[dt.date],
    schedule: ReminderSchedule,
    admins: Sequence[int],
    control: ControlPolicy,
) -> list[NewMessage]:
    """Reminders to controllers of the reports that waited too long for acceptance.

    A report waits too long once more than ``control.acceptance_sla`` working days passed
    since it was made; its controllers then hear of it on each working day of ``days``.
    """
    working = [d for d in days if schedule.calendar.is_working_day(d)]
    if not control.acceptance or not working:
        return []
    ids = await uow.reviews.undecided(before=schedule.send_instant(max(working)))
    entries = await uow.statuses.by_ids(ids)
    points = {e.control_point: p for e in entries if (p := schedule.point(e.control_point))}
    progress = await progress_of(uow, points.values(), control)
    waiting = []
    for entry in entries:
        found = progress.get(entry.control_point)
        awaiting = found.awaiting if found is not None else None
        if awaiting is not None and awaiting.id == entry.id:
            waiting.append(entry)
    if not waiting:
        return []
    controls = schedule.controls
    heard = await audiences(
        uow, departments={c for e in waiting for c in controls.get(e.task_number, ())}
    )
    messages = []
    for entry in waiting:
        made = entry.created_at.astimezone(schedule.tz).date()
        for day in working:
            waited = schedule.calendar.working_days_between(made, day)
            if waited <= control.acceptance_sla:
                continue
            name = await uow.contacts.first_name(entry.user_id) or ""
            payload = review_payload(
                entry, points[entry.control_point], name, schedule.tz, waited=waited
            )
            for chat_id in heard.control(controls.get(entry.task_number, ()), admins):
                messages.append(
                    NewMessage(
                        chat_id=chat_id,
                        control_point=entry.control_point,
                        slot=f"{REVIEW_SLOT}@{day.isoformat()}",
                        kind=MessageKind.REVIEW_REMINDER,
                        due_at=schedule.send_instant(day),
                        payload=payload,
                    )
                )
    return messages


def _missed_digest(
    counts: Mapping[tuple[str, str, str], int], admins: Sequence[int], now: dt.datetime
) -> list[NewMessage]:
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
            payload={"total": sum(counts.values()), "items": items},
        )
        for admin in admins
    ]
