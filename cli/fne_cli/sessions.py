"""Database access for commands that read or change a component's data."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_cli.components import Component
from fne_kernel.db import create_engine, session_factory

T = TypeVar("T")


def run_with_sessions(
    component: Component, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]
) -> T:
    """Runs `work` with a session factory on the component's configured database (it manages transactions)."""

    async def run() -> T:
        engine = create_engine(component.settings().database_url)
        try:
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def run_in_session(component: Component, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs `work` in one transaction on the component's database, committed if `work` returns."""

    async def in_transaction(sessions: async_sessionmaker[AsyncSession]) -> T:
        async with sessions() as session, session.begin():
            return await work(session)

    return run_with_sessions(component, in_transaction)
