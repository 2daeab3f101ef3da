"""A connection the database server closes is replaced before a request uses it (no ping per request)."""

import asyncio
import os

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from fne_kernel.db import create_engine

POSTGRES_URL = os.environ.get("FNE_TEST_POSTGRES_URL", "").rstrip("/")
# SQLite has no server to close a connection: this is PostgreSQL's case only.
pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs FNE_TEST_POSTGRES_URL (CI sets it)")


async def test_a_connection_closed_by_the_server_is_replaced_at_checkout():
    url = f"{POSTGRES_URL}/postgres"
    engine = create_engine(url, pool_size=1)
    server = make_url(url)
    try:
        async with engine.connect() as connection:
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(
            host=server.host,
            port=server.port or 5432,
            user=server.username or "postgres",
            password=server.password,
            database=server.database,
        )
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await asyncio.sleep(0.2)  # the pooled connection's socket is closed; the driver has seen it

        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await engine.dispose()
