"""Writes every repository makes alike on SQLite and PostgreSQL: an upsert, an insert made at
most once, a counted change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.tables import Base


async def upsert(
    session: AsyncSession,
    row_type: type[Base],
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    keep: Sequence[str] = (),
) -> None:
    """Insert ``values``, or update the row with the same ``key`` to them.

    The columns in ``keep`` (when the row was first seen, who created it) keep the values
    the row has. Two instances recording the same user at once would race on a
    read-then-insert; the database settles it in one statement instead.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    module: Any = postgresql if dialect == "postgresql" else sqlite
    table: Table = row_type.__table__  # type: ignore[assignment]
    stmt = module.insert(table).values(**values)
    changing = [column for column in values if column not in (*key, *keep)]
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key), set_={column: stmt.excluded[column] for column in changing}
    )
    await session.execute(stmt)


async def insert_once(
    session: AsyncSession, row_type: type[Base], values: Mapping[str, Any], *, key: Sequence[str]
) -> bool:
    """Insert ``values`` unless a row with the same ``key`` exists; True if this one did.

    Two presses at once would race on a read-then-insert; the unique key settles it.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    module: Any = postgresql if dialect == "postgresql" else sqlite
    table: Table = row_type.__table__  # type: ignore[assignment]
    stmt = module.insert(table).values(**values).on_conflict_do_nothing(index_elements=list(key))
    return bool(await changed_rows(session, stmt))


async def changed_rows(session: AsyncSession, statement: Executable) -> int:
    """Run an UPDATE or a DELETE and say how many rows it changed."""
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
