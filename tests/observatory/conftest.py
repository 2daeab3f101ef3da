"""The observatory bound to rolled-back sessions, over a database holding the reference territories of
Savoie and Haute-Savoie (loaded once per backend: seconds of work) and the roadmap and catalogue."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import create_engine, session_factory
from fne_kernel.identity import Principal, Role
from fne_observatory.config import Settings
from fne_observatory.main import create_app
from fne_observatory.roadmap.seed import seed_reference
from fne_observatory.territories.loader import LoadReport, load_territories
from tests.support import app_in_rolled_back_transaction, asgi_client, identity_header, user_principal

# Savoie, the focus, and Haute-Savoie: enough to aggregate above one department (region, France).
LOADED_DEPARTEMENTS = {"73", "74"}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def reference(databases) -> LoadReport:
    engine = create_engine(await databases.migrated("fne_observatory", "observatory"))
    try:
        async with session_factory(engine)() as session, session.begin():
            report = await load_territories(session, LOADED_DEPARTEMENTS)
            await seed_reference(session)
            return report
    finally:
        await engine.dispose()


@pytest.fixture
async def observatory_settings(databases, identity_keys, reference) -> Settings:
    return Settings(
        database_url=await databases.migrated("fne_observatory", "observatory"),
        identity_public_key=identity_keys[1],
        access_log=False,
    )


@pytest.fixture
async def observatory_app(observatory_settings: Settings) -> AsyncIterator[FastAPI]:
    """The observatory with every database access inside one transaction, rolled back after the test."""
    async with app_in_rolled_back_transaction(create_app(observatory_settings)) as app:
        yield app


@pytest.fixture
async def observatory(observatory_app: FastAPI) -> AsyncIterator[AsyncClient]:
    """An anonymous client: what the public sees."""
    async with asgi_client(observatory_app, "http://observatory") as client:
        yield client


@pytest.fixture
def coordinator(identity_keys: tuple[str, str]) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR))


@pytest.fixture
def observatory_key(identity_keys: tuple[str, str]) -> dict[str, str]:
    """An external platform's API key with the observatory:write scope."""
    return identity_header(
        identity_keys[0],
        Principal(kind="api_key", subject="key-1", name="Agate", scopes=frozenset({"observatory:write"})),
    )


@pytest.fixture
def mediator(identity_keys: tuple[str, str]) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.MEDIATOR))


@pytest.fixture
async def db(observatory_app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with observatory_app.state.sessions() as session:
        yield session
