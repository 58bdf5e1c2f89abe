"""One transaction per use case: a unit of work opens it and commits or rolls it back."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from scheduler.storage.admin_repo import (
    AdminsRepository,
    BroadcastsRepository,
    PlanVersionsRepository,
)
from scheduler.storage.audit_repo import AuditRepository
from scheduler.storage.calendar_events_repo import CalendarEventsRepository
from scheduler.storage.calendar_repo import CalendarRepository
from scheduler.storage.contacts_repo import ContactsRepository
from scheduler.storage.drafts_repo import PlanDraftsRepository
from scheduler.storage.engine_state_repo import EngineStateRepository
from scheduler.storage.members_repo import MembersRepository
from scheduler.storage.outbox_repo import OutboxRepository
from scheduler.storage.requests_repo import (
    ExtensionsRepository,
    InterimRepository,
    SnoozesRepository,
)
from scheduler.storage.reviews_repo import ItemDeadlinesRepository, ReviewsRepository
from scheduler.storage.status_repo import StatusRepository
from scheduler.storage.subscriptions_repo import SubscriptionRepository
from scheduler.storage.turn import Turn

log = logging.getLogger("eskertu.storage")


class OutboxBell:
    """Rung when a committed unit of work planned new outbox rows; the delivery worker listens.

    So nothing that plans a message has to know who sends it.
    """

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def ring(self) -> None:
        for listener in self._listeners:
            try:
                listener()
            except Exception:
                log.exception("an outbox listener failed")


class UnitOfWork:
    """Commits when the block ends normally and rolls back when it raises.

    Repositories are built on the one session of the unit, so everything a use case
    does lands together or not at all. When a commit brings new outbox rows, the bell
    rings.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        turn: Turn | None = None,
        bell: OutboxBell | None = None,
        *,
        reads_only: bool = False,
        background: bool = False,
    ) -> None:
        self._sessions = sessions
        self._reads_only = reads_only
        self._urgent = not background
        self._session: AsyncSession | None = None
        self._turn = turn
        self._holds_turn = False
        self._bell = bell

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    async def __aenter__(self) -> Self:
        if self._turn is not None and not _inside_unit.get():
            await self._turn.acquire(urgent=self._urgent)
            self._holds_turn = True
            _inside_unit.set(True)
        self._session = self._sessions()
        self.contacts = ContactsRepository(self._session)
        self.subscriptions = SubscriptionRepository(self._session)
        self.outbox = OutboxRepository(self._session)
        self.statuses = StatusRepository(self._session)
        self.engine_state = EngineStateRepository(self._session)
        self.members = MembersRepository(self._session)
        self.audit = AuditRepository(self._session)
        self.admins = AdminsRepository(self._session)
        self.plan_versions = PlanVersionsRepository(self._session)
        self.drafts = PlanDraftsRepository(self._session)
        self.broadcasts = BroadcastsRepository(self._session)
        self.calendar = CalendarRepository(self._session)
        self.reviews = ReviewsRepository(self._session)
        self.item_deadlines = ItemDeadlinesRepository(self._session)
        self.extensions = ExtensionsRepository(self._session)
        self.interim = InterimRepository(self._session)
        self.snoozes = SnoozesRepository(self._session)
        self.calendar_events = CalendarEventsRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        planned = 0
        try:
            if exc_type is None and not self._reads_only:
                await self.audit.flush()
                await session.commit()
                planned = self.outbox.planned
            else:
                await session.rollback()
        finally:
            await session.close()
            self._session = None
            if self._holds_turn and self._turn is not None:
                self._holds_turn = False
                _inside_unit.set(False)
                self._turn.release()
        if planned and self._bell is not None:
            self._bell.ring()


# Whether the running task is inside a unit of work already, so that a nested one does not
# wait for the turn its own task holds.
_inside_unit: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "eskertu_inside_unit", default=False
)


class Database:
    """The engine, its session factory, and a way to open units of work on them."""

    def __init__(self, engine: AsyncEngine, bell: OutboxBell | None = None) -> None:
        self.engine = engine
        self.bell = bell
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        # SQLite's writers take turns (scheduler/storage/turn.py); PostgreSQL lets many in at once.
        self._turn = Turn() if engine.dialect.name == "sqlite" else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def close(self) -> None:
        await self.engine.dispose()

    def unit_of_work(self, *, background: bool = False) -> UnitOfWork:
        """A unit of work; ``background`` for one nobody is waiting for (the planner's, the
        delivery worker's), which on SQLite lets the urgent ones write first."""
        return UnitOfWork(self.sessions, self._turn, self.bell, background=background)

    def reading(self) -> UnitOfWork:
        """A unit of work that only reads: it does not wait for the turn, and whatever it
        might write is rolled back. On SQLite a reader sees the last commit (WAL) while a
        writer holds the database, so long reads need not keep the writers waiting."""
        return UnitOfWork(self.sessions, None, None, reads_only=True)
