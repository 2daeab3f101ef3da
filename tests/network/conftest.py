from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from fne_kernel.identity import Principal, Role
from fne_network.config import Settings
from fne_network.main import create_app
from tests.support import app_in_rolled_back_transaction, asgi_client, identity_header, user_principal


@pytest.fixture
async def network_settings(databases, identity_keys) -> Settings:
    return Settings(
        database_url=await databases.migrated("fne_network", "network"),
        identity_public_key=identity_keys[1],
        access_log=False,
        public_url="https://inclusion.example.org",
    )


@pytest.fixture
async def network_app(network_settings: Settings) -> AsyncIterator[FastAPI]:
    """The network service with every database access inside one transaction, rolled back after the test."""
    async with app_in_rolled_back_transaction(create_app(network_settings)) as app:
        yield app


@pytest.fixture
async def network(network_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(network_app, "http://network") as client:
        yield client


@pytest.fixture
def coordinator(identity_keys) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR))


@pytest.fixture
def mediator(identity_keys) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.MEDIATOR))


@pytest.fixture
def writer_key(identity_keys) -> dict[str, str]:
    return identity_header(
        identity_keys[0],
        Principal(
            kind="api_key", subject="plateforme", name="Plateforme", scopes=frozenset({"network:write"})
        ),
    )
