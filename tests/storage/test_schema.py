"""The migrations build the schema the tables describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import BigInteger, inspect, text
from sqlalchemy.exc import IntegrityError

from scheduler.clock import FakeClock
from scheduler.participants import Caller, ChatInfo, LanguagePrefs, UserInfo
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import current_revision, head_revision, upgrade
from scheduler.storage.tables import Base, ChatRow, UserRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.contacts import ContactMemory, save_contact

KAZAKH_NAME = "Әсел Құрманғазықызы"


async def test_upgrade_reaches_head_and_is_idempotent(database_url: str) -> None:
    database = Database(create_engine(database_url))
    try:
        before, after = await upgrade(database.engine)
        assert before is None
        assert after == head_revision()
        again = await upgrade(database.engine)
        assert again == (after, after)
        assert await current_revision(database.engine) == head_revision()
    finally:
        await database.close()


async def test_migrated_tables_match_the_models(db: Database) -> None:
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        columns = await conn.run_sync(
            lambda c: {t: {col["name"] for col in inspect(c).get_columns(t)} for t in tables}
        )
    for table in Base.metadata.sorted_tables:
        assert table.name in tables
        assert columns[table.name] == {c.name for c in table.columns}


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: object) -> None:
    database = Database(create_engine(f"sqlite+aiosqlite:///{tmp_path}/wal.sqlite3"))
    try:
        async with database.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
    finally:
        await database.close()


async def test_sqlite_file_folder_is_created_on_first_use(tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "nested" / "deeper" / "bot.sqlite3"
    database = Database(create_engine(f"sqlite+aiosqlite:///{target}"))
    try:
        await upgrade(database.engine)
    finally:
        await database.close()
    assert target.is_file()


async def record_contact(
    db: Database, clock: FakeClock, user: UserInfo, chat: ChatInfo
) -> LanguagePrefs:
    """Record the contact as a fresh process would, and read back its languages."""
    async with db.unit_of_work() as uow:
        prefs, _ = await save_contact(uow, Caller(user, chat), ContactMemory(), clock.now())
    return prefs


async def test_record_contact_stores_user_and_chat_verbatim(db: Database) -> None:
    clock = FakeClock(dt.datetime(2016, 3, 1, 4, 0, tzinfo=dt.UTC))
    user = UserInfo(id=7_000_000_001, first_name=KAZAKH_NAME, username="asel", language_code="kk")
    chat = ChatInfo(id=-1_001_234_567_890, type="supergroup", title="МСМ үйлестірушілері")
    prefs = await record_contact(db, clock, user, chat)
    assert prefs.user is None and prefs.chat is None

    clock.advance(dt.timedelta(hours=1))
    renamed = UserInfo(id=user.id, first_name="Әсел", username="asel_k")
    await record_contact(db, clock, renamed, chat)

    async with db.unit_of_work() as uow:
        row = await uow.contacts.get_user(user.id)
        chat_row = await uow.contacts.get_chat(chat.id)
    assert row is not None and chat_row is not None
    assert row.first_name == "Әсел" and row.username == "asel_k"
    assert row.first_seen == dt.datetime(2016, 3, 1, 4, 0, tzinfo=dt.UTC)
    assert row.last_seen == dt.datetime(2016, 3, 1, 5, 0, tzinfo=dt.UTC)
    assert chat_row.title == "МСМ үйлестірушілері"
    assert chat_row.type == "supergroup"


async def test_language_choice_is_kept_per_user_and_per_group(db: Database) -> None:
    clock = FakeClock(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    user = UserInfo(id=42, first_name="Ivan")
    group = ChatInfo(id=-100, type="group", title="ИДМ")
    await record_contact(db, clock, user, group)
    async with db.unit_of_work() as uow:
        await uow.contacts.set_user_language(42, "ru")
        await uow.contacts.set_chat_language(-100, "en")
    prefs = await record_contact(db, clock, user, group)
    assert (prefs.user, prefs.chat) == ("ru", "en")
    assert prefs.resolve("kk") == "en"
    private = await record_contact(db, clock, user, ChatInfo(id=42, type="private"))
    assert private.resolve("kk") == "ru"


async def test_a_failed_unit_of_work_leaves_nothing(db: Database) -> None:
    clock = FakeClock(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(RuntimeError):
        async with db.unit_of_work() as uow:
            await uow.contacts.save_user(UserInfo(id=5, first_name="x"), clock.now())
            raise RuntimeError("boom")
    async with db.unit_of_work() as uow:
        assert await uow.session.get(UserRow, 5) is None
        assert await uow.session.get(ChatRow, 5) is None


async def test_acknowledgements_keep_to_versions_and_chats_that_were_told(
    database_url: str,
) -> None:
    """The migration that fences the acknowledgements keeps only the ones a notice explains.

    Before it, any press of ``ack:N`` was stored: for versions that never existed, from
    chats never told, and once per person. Afterwards one per told chat remains, and the
    database itself refuses an acknowledgement of a version it does not hold.
    """
    database = Database(create_engine(database_url))
    at = dt.datetime(2016, 6, 1, 4, 0, tzinfo=dt.UTC)
    try:
        await upgrade(database.engine, "0004")
        async with database.engine.begin() as conn:
            for version in (1, 2):
                await conn.execute(
                    text(
                        "INSERT INTO plan_versions (id, created_at, source, document, summary) "
                        "VALUES (:id, :at, 'edit', '{}', '')"
                    ),
                    {"id": version, "at": at},
                )
            await conn.execute(
                text(
                    "INSERT INTO outbox (chat_id, control_point, slot, kind, payload, due_at, "
                    "state, attempts, next_attempt_at, created_at) VALUES (:chat, 'plan:2', "
                    "'change', 'plan_change', '{}', :at, 'sent', 1, :at, :at)"
                ),
                {"chat": -700, "at": at},
            )
            acks = [(2, -700, 11), (2, -700, 12), (2, 501, 501), (1, -700, 11), (999, 502, 502)]
            for version, chat, user in acks:
                await conn.execute(
                    text(
                        "INSERT INTO plan_change_acks (version_id, chat_id, user_id, at) "
                        "VALUES (:v, :c, :u, :at)"
                    ),
                    {"v": version, "c": chat, "u": user, "at": at},
                )
        await upgrade(database.engine)
        async with database.engine.connect() as conn:
            kept = (
                await conn.execute(
                    text("SELECT version_id, chat_id, user_id FROM plan_change_acks")
                )
            ).all()
        assert [tuple(row) for row in kept] == [(2, -700, 11)]
        for version, chat in ((999, -700), (2, -700)):
            with pytest.raises(IntegrityError):
                async with database.engine.begin() as conn:
                    await conn.execute(
                        text(
                            "INSERT INTO plan_change_acks (version_id, chat_id, user_id, at) "
                            "VALUES (:v, :c, 13, :at)"
                        ),
                        {"v": version, "c": chat, "at": at},
                    )
    finally:
        await database.close()


async def test_reports_of_done_from_before_acceptance_stand_as_accepted(database_url: str) -> None:
    """Nothing closed before acceptance existed reopens: the migration accepts those reports."""
    database = Database(create_engine(database_url))
    at = dt.datetime(2016, 6, 1, 4, 0, tzinfo=dt.UTC)
    reports = [
        ("T06-deadline-2016-06-30", "done", None),
        ("T09-deadline-2016-06-30", "in_progress", None),
        ("T04-deadline-2016-02-29", "done", at),
    ]
    try:
        await upgrade(database.engine, "0004")
        async with database.engine.begin() as conn:
            for point, status, revoked in reports:
                await conn.execute(
                    text(
                        "INSERT INTO status_updates (control_point, task_number, agency, status, "
                        "text, source, user_id, chat_id, created_at, revoked_at) VALUES "
                        "(:point, 6, 'МСМ', :status, 'орындалды', 'reply', 501, 501, :at, :revoked)"
                    ),
                    {"point": point, "status": status, "at": at, "revoked": revoked},
                )
        await upgrade(database.engine)
        async with database.engine.connect() as conn:
            accepted = (
                await conn.execute(
                    text(
                        "SELECT s.control_point, r.decision, r.by FROM reviews r "
                        "JOIN status_updates s ON s.id = r.status_update_id"
                    )
                )
            ).all()
        assert [tuple(row) for row in accepted] == [("T06-deadline-2016-06-30", "accept", None)]
    finally:
        await database.close()


# Columns that hold an id Telegram gives (a user, a chat, a message, an update).
TELEGRAM_ID_COLUMNS = {
    ("users", "id"),
    ("chats", "id"),
    ("processed_updates", "update_id"),
}
TELEGRAM_ID_NAMES = {"user_id", "chat_id", "message_id", "created_by", "promoted_by"}


async def test_every_telegram_id_column_is_64_bits_wide(db: Database) -> None:
    expected = set(TELEGRAM_ID_COLUMNS)
    for table in Base.metadata.sorted_tables:
        expected |= {(table.name, c.name) for c in table.columns if c.name in TELEGRAM_ID_NAMES}
    async with db.engine.connect() as conn:
        found = await conn.run_sync(
            lambda c: {
                (table, col["name"]): col["type"]
                for table in inspect(c).get_table_names()
                for col in inspect(c).get_columns(table)
            }
        )
    narrow = {
        key: str(found[key]) for key in sorted(expected) if not isinstance(found[key], BigInteger)
    }
    assert narrow == {}
    models = {(t.name, c.name): c.type for t in Base.metadata.sorted_tables for c in t.columns}
    assert all(isinstance(models[key], BigInteger) for key in expected)
    assert len(expected) >= 20
