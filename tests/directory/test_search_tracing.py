"""Searches run their statements on the driver connection (places/search.py), outside SQLAlchemy's execution
that tracing follows: each is still a span of the request, with its text and never its parameters."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fne_directory.config import Settings
from fne_directory.main import create_app
from fne_kernel import tracing


@pytest.fixture
async def traced_app(databases, identity_keys) -> AsyncIterator[tuple[FastAPI, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    tracing.configure("directory", exporter=exporter)
    url = await databases.migrated("fne_directory", "directory")
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    try:
        yield app, exporter
    finally:
        tracing.disable()
        await app.state.engine.dispose()


async def test_a_search_is_traced_with_its_statements(traced_app):
    app, exporter = traced_app
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://directory") as client:
        response = await client.get("/lieux", params={"departement": "2A", "facettes": "true", "q": "zzyzx"})
        assert response.status_code == 200
    spans = exporter.get_finished_spans()
    [server] = [span for span in spans if span.name == "GET /lieux"]
    statements = [span for span in spans if span.attributes.get("db.system.name")]
    assert statements, [span.name for span in spans]
    assert all(
        span.parent is not None and span.parent.span_id == server.context.span_id for span in statements
    )
    assert any("places" in str(span.attributes.get("db.query.text")) for span in statements)
    assert all("zzyzx" not in str(span.attributes) for span in statements)  # parameters are never recorded
