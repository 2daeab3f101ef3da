"""The gateway's metrics (a separate listener, never the public port) and its part of a trace."""

import aiohttp
from httpx import ASGITransport, AsyncClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

from fne_gateway.config import Settings
from fne_gateway.main import create_app
from fne_kernel import tracing
from tests.gateway.test_proxy import fake_upstream, gateway_settings  # noqa: F401 (fixtures)
from tests.support import free_port


async def test_a_services_metrics_are_never_forwarded(client: AsyncClient):
    assert (await client.get("/api/directory/echo")).status_code == 200  # the fake service answers the rest
    for path in (
        "/api/directory/metrics",
        "/api/directory//metrics",
        "/api/directory/%6Detrics",
        "/api/directory/metrics/",
        "/api/directory/./metrics",
        "/api/surveys/metrics?format=text",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "headers" not in response.text, f"{path} reached the service"


async def test_the_gateway_serves_its_metrics_on_their_own_listener_only(gateway_settings: Settings):  # noqa: F811
    gateway_settings.metrics_port = free_port()
    app = create_app(gateway_settings)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        assert (await client.get("/api/directory/echo/lieux/abc")).status_code == 200
        assert "fne_http_requests" not in (await client.get("/metrics")).text
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{gateway_settings.metrics_port}/metrics") as response:
                assert response.status == 200
                text = await response.text()
    assert 'route="/api/directory/{chemin}"' in text and "lieux/abc" not in text
    assert 'fne_db_pool_size{component="gateway"}' in text


async def test_rate_limit_refusals_are_counted(gateway_settings: Settings):  # noqa: F811
    gateway_settings.rate_limit_anonymous_per_minute = 1
    app = create_app(gateway_settings)
    labels = {"component": "gateway", "route": "/api/directory/{chemin}"}
    before = REGISTRY.get_sample_value("fne_rate_limit_refusals_total", labels) or 0.0
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
        await client.get("/api/directory/echo")
        assert (await client.get("/api/directory/echo")).status_code == 429
    await app.state.pool.close()
    assert REGISTRY.get_sample_value("fne_rate_limit_refusals_total", labels) == before + 1


async def test_the_gateway_starts_the_trace_and_passes_it_on(gateway_settings: Settings):  # noqa: F811
    exporter = InMemorySpanExporter()
    tracing.configure("gateway", exporter=exporter)
    try:
        app = create_app(gateway_settings)
        claimed = "00-11111111111111111111111111111111-2222222222222222-01"
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
            response = await client.get(
                "/api/directory/echo", headers={"traceparent": claimed, "x-request-id": "rid-gw-1"}
            )
        await app.state.pool.close()
    finally:
        tracing.disable()
    forwarded = response.json()["headers"]["traceparent"]
    [span] = [span for span in exporter.get_finished_spans() if span.name == "GET /api/directory/{chemin}"]
    trace_id = format(span.context.trace_id, "032x")
    # A new trace, not the one the client claimed; the service continues it under the gateway's span.
    assert trace_id != "1" * 32 and forwarded.split("-")[1] == trace_id
    assert forwarded.split("-")[2] == format(span.context.span_id, "016x")
    assert span.attributes is not None and span.attributes["fne.request_id"] == "rid-gw-1"
