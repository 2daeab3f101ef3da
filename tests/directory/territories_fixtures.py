"""The reference communes, loaded and committed once per backend database, for every test that needs them.

Imported by tests/directory/conftest.py. Loading takes seconds, so it happens once per session, outside the
per-test rolled-back transaction: the rows are reference data that no test changes for good.
"""

import pytest_asyncio

from fne_directory.territories.loader import LoadReport, load_communes
from fne_kernel.db import create_engine, session_factory


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def communes(databases) -> LoadReport:
    engine = create_engine(await databases.migrated("fne_directory", "directory"))
    try:
        async with session_factory(engine)() as session, session.begin():
            return await load_communes(session)
    finally:
        await engine.dispose()
