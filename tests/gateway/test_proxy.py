import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from httpx import AsyncClient

from fne_gateway.config import Settings
from fne_kernel.identity import IdentityVerifier, Role
from tests.gateway.conftest import login, make_user
from tests.support import bound_port

BIG = bytes(range(256)) * 8192  # 2 MiB, streamed in chunks


async def echo(request: web.Request) -> web.Response:
    body = await request.read()
    return web.json_response(
        {
            "method": request.method,
            "path": request.raw_path,
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "body": body.decode(errors="replace"),
        },
        status=201 if request.method == "POST" else 200,
        headers={"x-upstream": "yes"},
    )


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(2)
    return web.Response(text="too late")


async def big(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"content-type": "application/octet-stream"})
    await response.prepare(request)
    for start in range(0, len(BIG), 65536):
        await response.write(BIG[start : start + 65536])
    await response.write_eof()
    return response


@pytest.fixture
async def fake_upstream() -> AsyncIterator[str]:
    """A real HTTP server in the test's event loop, standing in for a service."""
    app = web.Application(client_max_size=10 * 1024 * 1024)
    app.router.add_route("*", "/echo", echo)
    app.router.add_route("*", "/echo/{tail:.*}", echo)
    app.router.add_get("/slow", slow)
    app.router.add_get("/big", big)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = bound_port(site)
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
def gateway_settings(gateway_settings: Settings, fake_upstream: str) -> Settings:
    """Directory and surveys are the fake server (surveys with a short timeout); observatory is down."""
    gateway_settings.directory_url = fake_upstream
    gateway_settings.surveys_url = fake_upstream
    gateway_settings.surveys_timeout = 0.5
    return gateway_settings


async def test_forwards_method_path_query_and_body_and_returns_the_upstream_answer(client: AsyncClient):
    response = await client.post(
        "/api/directory/echo/lieux?commune=73065&q=m%C3%A9diath%C3%A8que",
        json={"nom": "Médiathèque"},
        headers={"x-request-id": "rid-42"},
    )
    assert response.status_code == 201
    assert response.headers["x-upstream"] == "yes"
    assert response.headers["x-request-id"] == "rid-42"
    seen = response.json()
    assert seen["method"] == "POST"
    assert seen["path"] == "/echo/lieux?commune=73065&q=m%C3%A9diath%C3%A8que"
    assert seen["body"] == '{"nom":"Médiathèque"}'
    assert seen["headers"]["x-request-id"] == "rid-42"
    assert "x-fne-identity" not in seen["headers"]  # anonymous: no identity vouched for


async def test_credentials_stop_at_the_gateway_and_services_get_a_signed_identity(
    client: AsyncClient, db, identity_keys
):
    await make_user(db, Role.COORDINATOR)
    await login(client, "coordinator@savoie.fr")
    forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."
    response = await client.get("/api/directory/echo", headers={"x-fne-identity": forged, "x-api-key": ""})
    headers = response.json()["headers"]
    assert "cookie" not in headers and "x-api-key" not in headers and "authorization" not in headers
    principal = IdentityVerifier(identity_keys[1]).verify(headers["x-fne-identity"])
    assert principal.role == "coordinator" and "directory:write" in principal.scopes


async def test_percent_encoded_paths_reach_the_service_unchanged(client: AsyncClient):
    response = await client.get("/api/directory/echo/sources/dora%2F123/caf%C3%A9")
    assert response.json()["path"] == "/echo/sources/dora%2F123/caf%C3%A9"


async def test_client_cannot_forge_an_identity_header(client: AsyncClient):
    response = await client.get("/api/directory/echo", headers={"x-fne-identity": "anything"})
    assert "x-fne-identity" not in response.json()["headers"]


async def test_a_service_that_is_down_gives_503_naming_it_while_others_work(client: AsyncClient):
    down = await client.get("/api/observatory/indicateurs")
    assert down.status_code == 503
    assert down.headers["content-type"] == "application/problem+json"
    assert down.json()["service"] == "observatory" and down.json()["code"] == "upstream-unavailable"
    assert down.json()["detail"].startswith("L'observatoire est momentanément indisponible")
    assert (await client.get("/api/directory/echo")).status_code == 200


async def test_a_slow_service_gives_504_within_its_timeout(client: AsyncClient):
    started = time.perf_counter()
    response = await client.get("/api/surveys/slow")
    elapsed = time.perf_counter() - started
    assert response.status_code == 504
    assert response.json() | {"request_id": None, "detail": None} == {
        "type": "https://fne-savoie.fr/problems/upstream-timeout",
        "code": "upstream-timeout",
        "title": "Service trop lent",
        "status": 504,
        "service": "surveys",
        "request_id": None,
        "detail": None,
    }
    assert elapsed < 2


async def test_large_responses_stream_through_intact(client: AsyncClient):
    response = await client.get("/api/directory/big")
    assert response.status_code == 200
    assert response.content == BIG


async def test_bodies_over_the_limit_are_refused_with_413(client: AsyncClient):
    declared = await client.post("/api/directory/echo", content=b"x" * (65 * 1024))

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"y" * 8192

    streamed = await client.post("/api/directory/echo", content=chunks())
    assert declared.status_code == streamed.status_code == 413
    assert streamed.json()["code"] == "payload-too-large"


async def test_streamed_request_bodies_under_the_limit_are_forwarded(client: AsyncClient):
    async def chunks() -> AsyncIterator[bytes]:
        for index in range(4):
            yield f"part{index};".encode()

    response = await client.put("/api/directory/echo", content=chunks())
    assert response.status_code == 200
    assert response.json()["body"] == "part0;part1;part2;part3;"
