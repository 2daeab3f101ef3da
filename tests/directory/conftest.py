from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.config import Settings
from fne_directory.main import create_app
from tests.support import rolled_back_sessions
from tests.directory.territories_fixtures import communes  # noqa: F401  (a fixture for the whole package)


@pytest.fixture
async def directory_settings(databases, identity_keys) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(database_url=await databases.migrated("fne_directory", "directory"),
                    identity_public_key=identity_keys[1], access_log=False)


@pytest.fixture
async def directory_app(directory_settings: Settings) -> AsyncIterator[FastAPI]:
    """The directory with every database access inside one transaction, rolled back after the test."""
    app = create_app(directory_settings)
    async with rolled_back_sessions(app.state.engine) as sessions:
        app.state.sessions = sessions
        yield app
    await app.state.engine.dispose()


@pytest.fixture
async def directory(directory_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=directory_app), base_url="http://directory") as client:
        yield client


@pytest.fixture
async def db(directory_app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with directory_app.state.sessions() as session:
        yield session
