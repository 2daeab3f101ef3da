from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway import ratelimit
from fne_gateway.auth import service
from fne_gateway.auth.models import User
from fne_gateway.config import Settings
from fne_gateway.main import create_app
from fne_kernel.identity import Role
from tests.support import free_port, rolled_back_sessions

PASSWORD = "correct horse battery staple"


@pytest.fixture
async def gateway_settings(databases, identity_keys) -> Settings:
    closed_port = free_port()
    return Settings(
        database_url=await databases.migrated("fne_gateway", "gateway"),
        identity_private_key=identity_keys[0],
        directory_url=f"http://127.0.0.1:{closed_port}",
        observatory_url=f"http://127.0.0.1:{closed_port}",
        surveys_url=f"http://127.0.0.1:{closed_port}",
        network_url=f"http://127.0.0.1:{closed_port}",
        access_log=False,
        max_body_bytes=64 * 1024,
    )


@pytest.fixture
async def gateway_app(gateway_settings: Settings) -> AsyncIterator[FastAPI]:
    """The gateway with every database access inside one transaction, rolled back after the test."""
    app = create_app(gateway_settings)
    async with rolled_back_sessions(app.state.engine) as sessions:
        app.state.sessions = sessions
        app.state.credentials.sessions = sessions
        yield app
    await app.state.pool.close()
    await app.state.engine.dispose()


@pytest.fixture
async def client(gateway_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=gateway_app), base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def db(gateway_app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with gateway_app.state.sessions() as session:
        yield session


async def make_user(db: AsyncSession, role: Role = Role.ADMIN, email: str | None = None) -> User:
    user = await service.create_user(
        db,
        email=email or f"{role.value}@savoie.fr",
        display_name=role.value.title(),
        password=PASSWORD,
        role=role,
    )
    await db.commit()
    return user


async def login(client: AsyncClient, email: str) -> str:
    """Logs in; the client keeps the cookies. Returns the CSRF token."""
    response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


@pytest.fixture
def one_rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limiter's clock held 30 s into a minute: a fixed-window count never resets in the middle of a
    test."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
