from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from fne_directory.config import Settings
from fne_directory.main import create_app


@pytest.fixture
async def service_app(databases, identity_keys) -> AsyncIterator[FastAPI]:
    """A real service (the directory) on a migrated database: the kernel as every service uses it."""
    url = await databases.migrated("fne_directory", "directory")
    app = create_app(
        Settings(
            database_url=url, identity_public_key=identity_keys[1], access_log=False, max_body_bytes=1024
        )
    )
    yield app
    await app.state.engine.dispose()


@pytest.fixture
async def service_client(service_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=service_app), base_url="http://directory") as client:
        yield client
