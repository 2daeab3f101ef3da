"""Helpers shared by several test packages (fixtures stay in the conftest next to their tests)."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import cast

from aiohttp import web
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fne_kernel.identity import ROLE_SCOPES, IdentitySigner, Principal, Role

# The outside systems' real schemas and samples, beside the repository (never copied into it).
# (A git worktree may sit one level deeper than the checkout: the first ancestor that has it.)
REFERENCE = next(
    (
        parent / "shared" / "reference"
        for parent in Path(__file__).resolve().parents[2:4]
        if (parent / "shared" / "reference").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "reference",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bound_port(site: web.TCPSite) -> int:
    """The port a started aiohttp site listens on (asked for port 0: the system chose one)."""
    server = site._server
    assert server is not None, "the site is not started"
    port: int = cast(asyncio.Server, server).sockets[0].getsockname()[1]  # uvloop's server has them too
    return port


def free_ports(count: int) -> list[int]:
    """`count` distinct free ports: the sockets are held together, so no two calls return the same port."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def user_principal(role: Role = Role.COORDINATOR) -> Principal:
    return Principal(kind="user", subject="user-1", name="Camille", role=role.value, scopes=ROLE_SCOPES[role])


def identity_header(
    private_pem: str, principal: Principal, lifetime: timedelta = timedelta(seconds=60)
) -> dict[str, str]:
    return {
        "x-fne-identity": IdentitySigner(private_pem, lifetime=int(lifetime.total_seconds())).token_for(
            principal
        )
    }


@asynccontextmanager
async def rolled_back_sessions(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions whose commits are savepoints inside one transaction, rolled back at the end of the test."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield async_sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False, autoflush=False
        )
        await transaction.rollback()


@asynccontextmanager
async def app_in_rolled_back_transaction(app: FastAPI) -> AsyncIterator[FastAPI]:
    """A service whose every database access happens inside one transaction, rolled back after the test."""
    async with rolled_back_sessions(app.state.engine) as sessions:
        app.state.sessions = sessions
        yield app
    await app.state.engine.dispose()


@asynccontextmanager
async def asgi_client(app: FastAPI, base_url: str) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url=base_url) as client:
        yield client


async def migrated_fresh(databases, package: str, name: str) -> str:
    """A new database at head that no other test shares (for tests that commit, e.g. concurrent writers)."""
    import asyncio

    from fne_kernel import migrations

    url = await databases.fresh(name)
    await asyncio.to_thread(migrations.upgrade, package, url)
    return url


async def all_at_once(app: FastAPI, base_url: str, requests: list[tuple[str, str, dict]]) -> list[int]:
    """Sends the requests (method, path, keyword arguments) concurrently; their statuses, in order."""
    import asyncio

    async with AsyncClient(transport=ASGITransport(app=app), base_url=base_url) as client:
        responses = await asyncio.gather(
            *(client.request(method, path, **options) for method, path, options in requests)
        )
    return [response.status_code for response in responses]
