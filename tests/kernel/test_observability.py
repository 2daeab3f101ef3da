"""Metrics and traces of a service (fne_kernel.metrics, fne_kernel.tracing), on the directory as every
service."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

from fne_directory.config import Settings
from fne_directory.main import create_app
from fne_kernel import tracing
from tests.support import free_port


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_requests_are_counted_by_route_template_and_status(service_client: AsyncClient):
    labels = {"component": "directory", "method": "GET", "route": "/lieux/{place_id}", "status": "404"}
    before = sample("fne_http_requests_total", **labels)
    buckets_before = sample(
        "fne_http_request_duration_seconds_count",
        component="directory",
        method="GET",
        route="/lieux/{place_id}",
    )
    for place_id in ("absent-1", "absent-2"):
        assert (await service_client.get(f"/lieux/{place_id}")).status_code == 404
    unmatched_before = sample(
        "fne_http_requests_total", component="directory", method="GET", route="unmatched", status="404"
    )
    await service_client.get("/wp-admin/install.php")
    for invented in ("FOO1", "FOO2"):
        await service_client.request(invented, "/health")

    response = await service_client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert sample("fne_http_requests_total", **labels) == before + 2
    assert (
        sample(
            "fne_http_request_duration_seconds_count",
            component="directory",
            method="GET",
            route="/lieux/{place_id}",
        )
        == buckets_before + 2
    )
    # Scanners' paths all land on one label value: the series cannot grow without bound.
    assert (
        sample(
            "fne_http_requests_total", component="directory", method="GET", route="unmatched", status="404"
        )
        == unmatched_before + 1
    )
    text = response.text
    assert "absent-1" not in text and "wp-admin" not in text and "FOO1" not in text
    assert (
        sample(
            "fne_http_requests_total", component="directory", method="OTHER", route="/health", status="405"
        )
        >= 2
    )
    assert 'fne_db_pool_connections_in_use{component="directory"}' in text
    assert "fne_http_requests_in_flight" in text and "process_resident_memory_bytes" in text


async def test_metrics_are_refused_to_requests_relayed_by_the_gateway(service_client: AsyncClient):
    relayed = await service_client.get("/metrics", headers={"x-forwarded-for": "203.0.113.9"})
    assert relayed.status_code == 404 and "fne_http_requests" not in relayed.text
    assert (await service_client.post("/metrics")).status_code == 404


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


async def test_a_request_is_traced_with_its_request_id_and_its_database_statements(traced_app):
    app, exporter = traced_app
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    headers = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01", "x-request-id": "rid-trace-1"}
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://directory") as client:
        assert (await client.get("/lieux/absent", headers=headers)).status_code == 404
    spans = exporter.get_finished_spans()
    [server] = [span for span in spans if span.name == "GET /lieux/{place_id}"]
    assert format(server.context.trace_id, "032x") == trace_id  # continues the gateway's trace
    assert server.attributes["fne.request_id"] == "rid-trace-1"
    assert server.attributes["http.response.status_code"] == 404
    statements = [span for span in spans if span.attributes.get("db.system.name")]
    assert statements, [span.name for span in spans]
    assert all(
        span.parent is not None and span.parent.span_id == server.context.span_id for span in statements
    )
    assert all("absent" not in str(span.attributes) for span in statements)  # parameters are never recorded


async def test_spans_reach_the_otlp_endpoint_set_in_the_environment(databases, identity_keys, monkeypatch):
    received: list[tuple[str, bytes]] = []

    async def collector(request: web.Request) -> web.Response:
        received.append((request.path, await request.read()))
        return web.Response(status=200)

    server = web.Application()
    server.router.add_post("/v1/traces", collector)
    runner = web.AppRunner(server)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{port}")
    tracing.disable()
    url = await databases.migrated("fne_directory", "directory")
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    try:
        assert tracing.enabled()
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://directory") as client:
            await client.get("/lieux/absent", headers={"x-request-id": "rid-otlp-7"})
        await asyncio.to_thread(tracing.flush)
    finally:
        tracing.disable()
        await app.state.engine.dispose()
        await runner.cleanup()
    assert received and received[0][0] == "/v1/traces"
    body = b"".join(payload for _, payload in received)
    assert b"rid-otlp-7" in body and b"fne-directory" in body and b"/lieux/{place_id}" in body


async def test_tracing_is_off_without_an_endpoint(service_client: AsyncClient, monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert not tracing.enabled()
    headers: dict[str, str] = {}
    tracing.inject(headers)
    assert headers == {}
    assert (await service_client.get("/health")).status_code == 200
