"""An INSERT … ON CONFLICT DO UPDATE that reads the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert(
    session: AsyncSession,
    table: Table,
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ``values`` or, when a row with the same ``key`` exists, update the ``update`` columns.

    Two instances recording the same user at once would race on a read-then-insert;
    the database settles it in one statement instead.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    module: Any = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(table).values(**values)
    if update:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key), set_={col: stmt.excluded[col] for col in update}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
    await session.execute(stmt)
