from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.config import Settings
from fne_directory.main import create_app
from fne_directory.sync import service, sources
from fne_directory.sync.models import SyncJob
from fne_kernel.identity import Role
from tests.directory.territories_fixtures import communes  # noqa: F401  (reference communes, loaded once)
from tests.support import app_in_rolled_back_transaction, asgi_client, identity_header, user_principal
from tests.sync.fakes import FakeSource, data_inclusion_app, dora_app, serve, yeswiki_app

DI_TOKEN, DORA_TOKEN, FORM_ID = "di-secret", "dora-secret", "7"


@asynccontextmanager
async def served(make_app: Callable[[FakeSource], web.Application]) -> AsyncIterator[FakeSource]:
    state = FakeSource()
    runner, state.url = await serve(make_app(state))
    try:
        yield state
    finally:
        await runner.cleanup()


@pytest.fixture
async def fake_data_inclusion() -> AsyncIterator[FakeSource]:
    async with served(lambda state: data_inclusion_app(state, DI_TOKEN)) as state:
        yield state


@pytest.fixture
async def fake_dora() -> AsyncIterator[FakeSource]:
    async with served(lambda state: dora_app(state, DORA_TOKEN)) as state:
        yield state


@pytest.fixture
async def fake_yeswiki() -> AsyncIterator[FakeSource]:
    async with served(lambda state: yeswiki_app(state, FORM_ID)) as state:
        yield state


@pytest.fixture
async def sync_settings(
    databases,
    identity_keys,
    communes,  # noqa: F811 (the fixture imported above)
    fake_data_inclusion,
    fake_dora,
    fake_yeswiki,
) -> Settings:
    return Settings(
        database_url=await databases.migrated("fne_directory", "directory"),
        identity_public_key=identity_keys[1],
        access_log=False,
        sync_scheduler=False,
        sync_page_size=2,
        sync_http_timeout=0.5,
        sync_http_retries=2,
        sync_http_backoff=0.01,
        sync_data_inclusion_url=fake_data_inclusion.url,
        sync_data_inclusion_token=DI_TOKEN,
        sync_data_inclusion_sources="dora,mediation-numerique",
        sync_dora_url=fake_dora.url,
        sync_dora_token=DORA_TOKEN,
        sync_mednum73_url=fake_yeswiki.url + "/",
        sync_mednum73_form_id=FORM_ID,
        sync_mednum73_fields={"services": "checkboxListeServices"},
    )


@pytest.fixture
async def sync_app(sync_settings: Settings) -> AsyncIterator[FastAPI]:
    async with app_in_rolled_back_transaction(create_app(sync_settings)) as app:
        yield app


@pytest.fixture
async def client(sync_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(sync_app, "http://directory") as client:
        yield client


@pytest.fixture
async def db(sync_app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with sync_app.state.sessions() as session:
        yield session


@pytest.fixture
def coordinator(identity_keys: tuple[str, str]) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR))


Sync = Callable[..., Any]


@pytest.fixture
def sync(sync_app: FastAPI) -> Sync:
    """Runs one source to its end, as the CLI does; returns the finished job."""

    async def run(source: str, connector: Any = None) -> SyncJob:
        settings = sync_app.state.settings
        connector = connector or sources.connector_for(settings, source)
        async with sync_app.state.sessions() as session, session.begin():
            job = await service.start_job(session, connector.source, "cli", "tests")
        return await service.execute_run(sync_app.state.sessions, settings, job, connector)

    return run
