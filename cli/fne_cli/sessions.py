"""One transaction on a component's database, for commands that read or change its data."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from fne_cli.components import Component
from fne_kernel.db import create_engine, session_factory

T = TypeVar("T")


def run_in_session(component: Component, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs `work` in a transaction on the component's configured database, committed if `work` returns."""

    async def run() -> T:
        engine = create_engine(component.settings().database_url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())
