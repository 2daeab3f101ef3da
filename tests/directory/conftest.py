from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.config import Settings
from fne_directory.main import create_app
from tests.directory.territories_fixtures import communes  # noqa: F401  (a fixture for the whole package)
from tests.support import app_in_rolled_back_transaction, asgi_client


@pytest.fixture
async def directory_settings(databases, identity_keys) -> Settings:
    return Settings(
        database_url=await databases.migrated("fne_directory", "directory"),
        identity_public_key=identity_keys[1],
        access_log=False,
    )


@pytest.fixture
async def directory_app(directory_settings: Settings) -> AsyncIterator[FastAPI]:
    """The directory with every database access inside one transaction, rolled back after the test."""
    async with app_in_rolled_back_transaction(create_app(directory_settings)) as app:
        yield app


@pytest.fixture
async def directory(directory_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(directory_app, "http://directory") as client:
        yield client


@pytest.fixture
async def db(directory_app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with directory_app.state.sessions() as session:
        yield session
