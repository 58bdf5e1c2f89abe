"""The cheapest question that proves the database answers."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def ping(session: AsyncSession) -> None:
    """Run ``SELECT 1``; raises whatever the driver raises when the database is unreachable."""
    await session.execute(text("SELECT 1"))
