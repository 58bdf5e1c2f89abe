"""SQLAlchemy tables of Eskertu, shared by SQLite and PostgreSQL.

Telegram ids do not fit in 32 bits, so every chat and user id is a BigInteger.
Constraint names follow one convention so that Alembic's batch mode can alter
SQLite tables and the same migration names the same objects on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(mapped: type[Base]) -> Table:
    """The table a class is mapped to, for the statements of plain columns that the hot paths
    run: without the ORM's handling of each execution, result and new object."""
    return Base.metadata.tables[mapped.__tablename__]


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC timestamp on every engine.

    SQLite drops the offset of a stored datetime, so values are converted to UTC on the
    way in and marked UTC on the way out; PostgreSQL keeps them as timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class UserRow(Base):
    """A Telegram user who has written to the bot."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(256))
    last_name: Mapped[str | None] = mapped_column(String(256))
    username: Mapped[str | None] = mapped_column(String(64))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ChatRow(Base):
    """A private chat, group or channel the bot has seen."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(256))
    language: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CalendarOverrideRow(Base):
    """An administrator's correction of the calendar: a worked weekend or an extra day off."""

    __tablename__ = "calendar_overrides"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class MembershipRow(Base):
    """A user's membership of an agency, with a role: coordinator or officer."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    agency: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class SubscriptionRow(Base):
    """A chat's subscription to an agency's control points, or to one task's.

    ``target`` is the agency code when ``kind`` is "agency" and the task number when it
    is "task"; one text column keeps the unique key free of NULLs, which PostgreSQL
    would treat as distinct.
    """

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("chat_id", "kind", "target"),
        Index("ix_subscriptions_kind_target", "kind", "target", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class StatusUpdateRow(Base):
    """One status report of one agency for one control point, with its text verbatim."""

    __tablename__ = "status_updates"
    __table_args__ = (
        Index("ix_status_updates_point_agency", "control_point", "agency", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    control_point: Mapped[str] = mapped_column(String(96))
    task_number: Mapped[int] = mapped_column(Integer, index=True)
    agency: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    evidence_kind: Mapped[str | None] = mapped_column(String(16))
    evidence_file_id: Mapped[str | None] = mapped_column(String(256))
    evidence_name: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # Read with the report itself, so a report's state needs no second query.
    review: Mapped[ReviewRow | None] = relationship(lazy="joined", viewonly=True)


class OutboxRow(Base):
    """A message planned for delivery; the unique key stops the same reminder twice.

    ``slot`` names the occasion within the control point ("-10", "0", "+1", "esc",
    "bc:17" …). ``state`` moves pending → sending → sent, or to failed, missed or
    cancelled; a row left in "sending" past its lease by a dead process goes back to
    pending, which is the one way a message can be sent twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("chat_id", "control_point", "slot"),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at", "id"),
        Index("ix_outbox_chat_message", "chat_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    control_point: Mapped[str] = mapped_column(String(96))
    slot: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class EngineStateRow(Base):
    """Small durable facts of the reminder engine, such as how far ahead it has planned."""

    __tablename__ = "engine_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AuditRow(Base):
    """Who did what, when, and whether it was allowed: admin actions and refused attempts."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    allowed: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text, default="{}")


class InviteRow(Base):
    """An invitation to join an agency; only a hash of its token is kept."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agency: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    max_uses: Mapped[int] = mapped_column(Integer, default=1)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class AdminRow(Base):
    """A user promoted to administrator by another; those in ADMIN_IDS need no row."""

    __tablename__ = "admins"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    promoted_by: Mapped[int] = mapped_column(BigInteger)
    promoted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PlanVersionRow(Base):
    """One version of the plan in force; the newest is the one every instance follows.

    ``based_on`` is the version a confirmed change was made from; it is unique, so that two
    changes made from the same version cannot both be put in force, however they race.
    """

    __tablename__ = "plan_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(16))
    file_hash: Mapped[str | None] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    based_on: Mapped[int | None] = mapped_column(Integer, unique=True)


class PlanDraftRow(Base):
    """A change of the plan shown to its author and waiting for confirmation.

    ``document`` is the plan it would put in force, made from version ``base_version``;
    ``state`` moves from "draft" to "applied", "cancelled" or "stale" (the plan changed
    meanwhile), once.
    """

    __tablename__ = "plan_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(16))
    base_version: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(12), default="draft")
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[int | None] = mapped_column(BigInteger)


class PlanChangeAckRow(Base):
    """A chat acknowledged the notice of a plan change it was sent: once, by whoever pressed.

    The version must exist, and only a chat the notice went to may acknowledge it.
    """

    __tablename__ = "plan_change_acks"
    __table_args__ = (UniqueConstraint("version_id", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("plan_versions.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class BroadcastRow(Base):
    """An administrator's message to everyone, to one agency or to one task's followers."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    chat_id: Mapped[int] = mapped_column(BigInteger)
    audience: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="draft")
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class ProcessedUpdateRow(Base):
    """A Telegram update some instance has taken on, kept a while so a redelivery is dropped."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class ReviewRow(Base):
    """A controller's decision on one report of done: accepted, or returned for rework.

    A report has at most one decision. A return may set a new date for the item, kept in
    ``item_deadlines``.
    """

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status_update_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("status_updates.id"), unique=True
    )
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    new_date: Mapped[dt.date | None] = mapped_column(Date)
    by: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ItemDeadlineRow(Base):
    """A new date for one agency's part of one control point: an extension, or a return's."""

    __tablename__ = "item_deadlines"
    __table_args__ = (Index("ix_item_deadlines_point_agency", "control_point", "agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    control_point: Mapped[str] = mapped_column(String(96))
    task_number: Mapped[int] = mapped_column(Integer)
    agency: Mapped[str] = mapped_column(String(32))
    due: Mapped[dt.date] = mapped_column(Date)
    cause: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int] = mapped_column(Integer)
    by: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ExtensionRequestRow(Base):
    """An agency's request to move its date, and the controller's answer to it."""

    __tablename__ = "extension_requests"
    __table_args__ = (Index("ix_extension_requests_state", "state", "task_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    control_point: Mapped[str] = mapped_column(String(96))
    task_number: Mapped[int] = mapped_column(Integer)
    agency: Mapped[str] = mapped_column(String(32))
    current_due: Mapped[dt.date] = mapped_column(Date)
    requested_due: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean)
    by: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(String(12), default="pending")
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class InterimRequestRow(Base):
    """A controller's request for an interim report on a task, from all its agencies or one."""

    __tablename__ = "interim_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_number: Mapped[int] = mapped_column(Integer)
    agency: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class InterimAnswerRow(Base):
    """An agency's answer to an interim request: the report it made."""

    __tablename__ = "interim_answers"
    __table_args__ = (UniqueConstraint("request_id", "agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(Integer, ForeignKey("interim_requests.id"))
    agency: Mapped[str] = mapped_column(String(32))
    status_update_id: Mapped[int] = mapped_column(Integer, ForeignKey("status_updates.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class SnoozeRow(Base):
    """A chat asked to hear of one agency's part of one point again only on ``until``."""

    __tablename__ = "snoozes"
    __table_args__ = (Index("ix_snoozes_chat_until", "chat_id", "until"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    control_point: Mapped[str] = mapped_column(String(96))
    agency: Mapped[str] = mapped_column(String(32))
    until: Mapped[dt.date] = mapped_column(Date)
    by: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CalendarEventRow(Base):
    """What the calendar files last said of one event, and how often that changed.

    ``key`` names the event across versions of the plan (a task's n-th point of a kind,
    ``scheduler.calendar_events``); ``signature`` is a digest of what its file shows; every
    change of it raises ``sequence`` and sets ``modified_at``, so a calendar that imports the
    file again updates the event instead of adding another.
    """

    __tablename__ = "calendar_events"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    signature: Mapped[str] = mapped_column(String(64))
    modified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
