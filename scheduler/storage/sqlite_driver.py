"""SQLite through aiosqlite with one trip to its thread per statement.

aiosqlite runs each SQLite connection in a thread of its own, and every call the driver
makes is a trip there and back: a hand-off to the thread and a wake-up of the event loop.
SQLAlchemy's adapter makes four per statement (open a cursor, execute, fetch the rows,
close the cursor), and on a busy machine each trip costs far more than SQLite's own work
on a small statement. The cursor here does the four in the one trip that executes, and
keeps the rows, the description, the row count and the last row id it brought back; a
commit or rollback with no transaction open (which sqlite3 would skip anyway) makes no
trip. The rest (transactions, errors, the pool, the dialect) is SQLAlchemy's aiosqlite
dialect unchanged, so that SQL and its results are exactly what they were.

The adapter classes extended here belong to SQLAlchemy's aiosqlite dialect, and the trip
is aiosqlite's own queue; both versions are pinned in ``constraints.txt``, and the tests
of ``tests/storage/test_sqlite_driver.py`` check this cursor against a plain one.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

# What one trip brings back: description, row count, last row id, rows.
Outcome = tuple[Any, int, int | None, list[Any]]


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """In the connection's thread: execute, read every row, close the cursor."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement, rows and closing take one trip to the thread."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        # No sqlite3 cursor is opened here: each statement opens and closes its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    async def _async_soft_close(self) -> None:
        """Nothing stays open: the statement's cursor was closed in its own trip."""

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._trip(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._trip(operation, seq_of_parameters, many=True)

    async def _trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            driver = self._connection
            outcome: Outcome = await driver._execute(
                _run, driver._conn, operation, parameters, many
            )
        self._description, self._rowcount, self._lastrowid, rows = outcome
        self._rows = collections.deque(rows)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """Hands out the one-trip cursor, and makes no trip to end a transaction that is not open.

    sqlite3's own commit and rollback do nothing when no transaction is open (reads alone
    open none), so asking the thread is a trip for nothing; the pool's rollback of each
    connection given back after a commit was one such trip per unit of work.
    """

    __slots__ = ()
    _cursor_cls = OneTripCursor

    def commit(self) -> None:
        if self._connection.in_transaction:
            super().commit()

    def rollback(self) -> None:
        if self._connection.in_transaction:
            super().rollback()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite module, handing out connections with the one-trip cursor."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        # SQLAlchemy's own connect (the thread made a daemon and so on), re-wrapped.
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def one_trip_dbapi() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
