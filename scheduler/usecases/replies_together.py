"""Reports to reminders, by a reply or a button, recorded together (``usecases.gathering``).

The reports gathered are recorded in one transaction, each exactly as it would be alone
(``record_report``, in the order they came), but what they read is read for all of them at
once: the callers' languages, the reminders they answer, the callers' agencies and the
latest reports at those reminders' points; their audit entries are written in one
statement at the end. A report whose message turns out to be something else (a prompt, an
interim request) or nothing the bot knows is left to be answered alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.participants import Caller, LanguagePrefs
from scheduler.refusals import Refusal
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.usecases.contacts import write_contact
from scheduler.usecases.core import Answer, Core, Visit
from scheduler.usecases.gathering import ALONE, Cue
from scheduler.usecases.prompts import prompt_of
from scheduler.usecases.status_updates import ReadAhead, Recorded, Report, record_report
from scheduler.vocabulary.messages import MessageKind


@dataclass(frozen=True, slots=True)
class Gathered:
    """A report from ``caller`` that names its reminder: by its id (a button) or by the
    message Telegram delivered it as (a reply)."""

    caller: Caller
    report: Report


async def record_together(
    core: Core, reports: Sequence[Gathered]
) -> list[Answer[Recorded | Refusal] | Cue]:
    """Each report's answer, in order, or ``ALONE`` for one to be answered on its own."""
    now, runtime = core.clock.now(), core.runtime
    answers: list[Answer[Recorded | Refusal] | Cue] = []
    async with core.db.unit_of_work() as uow:
        uow.audit.hold()
        ahead = await read_ahead(uow, core, reports, now)
        for g in reports:
            reminder = ahead.reminder_of(g)
            if not _plain(reminder):
                answers.append(ALONE)
                continue
            prefs = ahead.prefs[(g.caller.user_id, g.caller.chat_id)]
            visit = Visit.joining(core, g.caller, uow, prefs, now)
            recorded = await record_report(
                visit, runtime, g.report, reminder=reminder, known=ahead.known
            )
            answers.append(visit.answer(recorded))
    # Only a committed contact may be skipped next time.
    for key, value in ahead.written:
        core.contacts.remember(key, value, now)
    return answers


@dataclass(frozen=True, slots=True)
class Ahead:
    """What ``read_ahead`` wrote and read for the reports."""

    written: list[tuple[object, object]]
    prefs: Mapping[tuple[int | None, int | None], LanguagePrefs]
    by_id: Mapping[int, OutboxItem]
    by_message: Mapping[tuple[int, int], OutboxItem]
    known: ReadAhead

    def reminder_of(self, g: Gathered) -> OutboxItem | None:
        if g.report.reminder_id is not None:
            return self.by_id.get(g.report.reminder_id)
        return self.by_message.get((g.caller.chat_id or 0, g.report.reminder_message or 0))


async def read_ahead(
    uow: UnitOfWork, core: Core, reports: Sequence[Gathered], now: dt.datetime
) -> Ahead:
    """The callers' contacts written where they changed; then, in one query each, the callers'
    languages, the reminders they answer, their agencies and the latest reports there."""
    written: list[tuple[object, object]] = []
    for g in reports:
        written.extend(await write_contact(uow, g.caller, core.contacts, now))
    prefs = await uow.contacts.language_prefs_of(
        (g.caller.user_id, g.caller.chat_id) for g in reports
    )
    ids = [g.report.reminder_id for g in reports if g.report.reminder_id is not None]
    by_id = await uow.outbox.by_ids(ids) if ids else {}
    messages = [
        (g.caller.chat_id or 0, g.report.reminder_message or 0)
        for g in reports
        if g.report.reminder_id is None
    ]
    by_message = await uow.outbox.find_by_messages(messages) if messages else {}
    points = {item.control_point for item in (*by_id.values(), *by_message.values())}
    known = ReadAhead(
        agencies=await uow.members.agencies_of(g.caller.user_id or 0 for g in reports),
        latest={point: {} for point in points} | await uow.statuses.latest(points),
    )
    return Ahead(written, prefs, by_id, by_message, known)


def _plain(reminder: OutboxItem | None) -> bool:
    """Whether a report to ``reminder`` is recorded as a report to a reminder (as
    ``replies._answer`` and ``replies.answer_button`` tell); an unknown one is refused alone."""
    if reminder is None:
        return False
    return prompt_of(reminder) is None and reminder.kind is not MessageKind.INTERIM_REQUEST
