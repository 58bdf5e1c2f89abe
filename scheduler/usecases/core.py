"""What the use cases work with, and the visit that serves one update in one transaction.

``Core`` holds what the composition root builds once: the database, the clock, the plan
in force, the administrators named in the settings, and the memory of the contacts written
lately. A use case that answers someone opens a ``Visit``: one unit of work that first
records who wrote and where (when that changed) and reads the languages they chose, so
that an update costs one transaction. It returns an ``Answer``: its result together with
those languages, for the reply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from scheduler.clock import Clock
from scheduler.participants import Caller, LanguagePrefs
from scheduler.plan_runtime import PlanHolder, PlanRuntime, RuntimeFactory
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.usecases.contacts import ContactMemory, save_contact
from scheduler.usecases.gathering import Gathering
from scheduler.vocabulary.messages import MessageKind

if TYPE_CHECKING:
    from scheduler.usecases.replies_together import Gathered
    from scheduler.usecases.status_updates import Recorded

T = TypeVar("T")
# An answer of a narrower result is one of a wider one: it is only ever read.
R = TypeVar("R", covariant=True)


@dataclass(frozen=True)
class Core:
    """The long-lived pieces every use case may need."""

    db: Database
    clock: Clock
    plans: PlanHolder
    factory: RuntimeFactory
    admins: tuple[int, ...] = ()
    contacts: ContactMemory = field(default_factory=ContactMemory)
    # The reports to reminders being recorded together (``usecases.replies_together``).
    replies: Gathering[Gathered, Answer[Recorded | Refusal]] = field(default_factory=Gathering)

    @property
    def runtime(self) -> PlanRuntime:
        return self.plans.current

    def visit(self, caller: Caller) -> Visit:
        return Visit(self, caller)

    async def is_admin(self, uow: UnitOfWork, user_id: int | None) -> bool:
        """Whether ``user_id`` is named in the settings or was promoted."""
        if user_id is None:
            return False
        return user_id in self.admins or await uow.admins.is_promoted(user_id)


@dataclass(frozen=True, slots=True)
class Answer(Generic[R]):
    """A use case's result, and the languages of the person it answers."""

    result: R
    prefs: LanguagePrefs


class Visit:
    """The unit of work of one update: the contact is recorded first, the rest follows."""

    def __init__(self, core: Core, caller: Caller) -> None:
        self.core = core
        self.caller = caller
        self.now = core.clock.now()
        self._unit = core.db.unit_of_work()
        self.prefs = LanguagePrefs(None, None)
        self._written: list[tuple[object, object]] = []

    @classmethod
    def joining(
        cls, core: Core, caller: Caller, unit: UnitOfWork, prefs: LanguagePrefs, now: dt.datetime
    ) -> Visit:
        """The caller's part of a unit of work that serves several updates together, open
        already, with the caller's contact recorded and languages read; it is not entered."""
        visit = cls(core, caller)
        visit.now, visit._unit, visit.prefs = now, unit, prefs
        return visit

    @property
    def uow(self) -> UnitOfWork:
        return self._unit

    async def __aenter__(self) -> Self:
        await self._unit.__aenter__()
        try:
            self.prefs, self._written = await save_contact(
                self._unit, self.caller, self.core.contacts, self.now
            )
        except BaseException as exc:
            await self._unit.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._unit.__aexit__(*exc_info)
        # Only a committed contact may be skipped next time.
        if exc_info[0] is None:
            for key, value in self._written:
                self.core.contacts.remember(key, value, self.now)

    def answer(self, result: T) -> Answer[T]:
        return Answer(result, self.prefs)

    async def caller_is_admin(self) -> bool:
        return await self.core.is_admin(self._unit, self.caller.user_id)

    async def refuse_unless_admin(
        self, action: str, detail: Mapping[str, Any] | None = None
    ) -> Refusal | None:
        """None for an administrator; otherwise the refusal, recorded in this transaction."""
        if await self.caller_is_admin():
            return None
        await self.record(action, detail, allowed=False)
        return Refusal.of(Why.NOT_ADMIN)

    async def tell(
        self,
        chats: Iterable[int],
        *,
        control_point: str,
        slot: str,
        kind: MessageKind,
        payload: Mapping[str, Any],
    ) -> int:
        """Plan one message of ``kind`` to each of ``chats``, due now; how many chats.

        The outbox's key (chat, control point, slot) makes a repeated call plan nothing more.
        """
        chosen = sorted(set(chats))
        messages = [
            NewMessage(chat, control_point, slot, kind, self.now, dict(payload)) for chat in chosen
        ]
        await self._unit.outbox.enqueue(messages, self.now)
        return len(chosen)

    async def record(
        self, action: str, detail: Mapping[str, Any] | None = None, *, allowed: bool = True
    ) -> None:
        """Write the caller's action (or refused attempt) to the audit log."""
        await self._unit.audit.record(
            at=self.now,
            user_id=self.caller.user_id,
            chat_id=self.caller.chat_id,
            action=action,
            allowed=allowed,
            detail=detail,
        )


def unknown_task(runtime: PlanRuntime, number: int | None) -> Refusal:
    """The refusal for a task number the plan does not have."""
    last = max((t.number for t in runtime.plan.tasks), default=0)
    return Refusal.of(Why.UNKNOWN_TASK, task=number if number is not None else "?", last=last)


def unknown_agency(runtime: PlanRuntime, code: str) -> Refusal:
    """The refusal for an agency code the plan does not have, naming the known ones.

    ``known`` holds the plan's codes, for the reply to show in its reader's language.
    """
    return Refusal.of(Why.UNKNOWN_AGENCY, code=code, known=tuple(runtime.plan.agency_codes()))


def resolve_agency(runtime: PlanRuntime, typed: str) -> str | Refusal:
    """The plan's code of the agency ``typed`` names (a code, an abbreviation, a name), or why
    not."""
    code = runtime.agency(typed)
    return unknown_agency(runtime, typed) if code is None else code


async def languages(core: Core, caller: Caller) -> Answer[None]:
    """Only record the caller and read their languages: for replies that need nothing else."""
    async with core.visit(caller) as visit:
        return visit.answer(None)
