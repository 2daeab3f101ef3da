"""The synchronisation's own transactions (outside any request): every one that writes goes through the
kernel's `write_session`, so on SQLite it waits its turn with the requests' writers (one queue per database in
the process) and begins with `BEGIN IMMEDIATE` (writers of other processes wait in SQLite's busy handler)
instead of failing with "database is locked" when it meets one. PostgreSQL: an ordinary transaction."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_kernel.db import write_session


@asynccontextmanager
async def writing(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One transaction that writes: committed at the end of the block, rolled back on any error."""
    async with write_session(sessions) as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()
