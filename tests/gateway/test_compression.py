"""The gateway gzips services' JSON answers to reads, except those that could carry a secret (BREACH)."""

import gzip
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from httpx import AsyncClient

from fne_gateway.config import Settings
from fne_gateway.proxy import compressible

ITEMS = [{"nom": f"Espace numérique {n}", "adresse": f"{n} rue de la République"} for n in range(200)]


async def results(request: web.Request) -> web.Response:
    """A search page; `?avec=` adds what a service may send with it."""
    headers = {}
    extra = request.query.get("avec")
    if extra == "cookie":
        headers["set-cookie"] = "trace=1; HttpOnly"
    elif extra == "etag":
        headers["etag"] = '"v3"'
    elif extra == "etag-faible":
        headers["etag"] = 'W/"v3"'
    elif extra == "no-store":
        headers["cache-control"] = "no-store"
    elif extra == "petit":
        return web.json_response({"total": 0, "items": []})
    elif extra == "csv":
        return web.Response(text="nom\n" * 2000, content_type="text/csv")
    return web.json_response({"total": len(ITEMS), "items": ITEMS}, headers=headers, status=200)


async def created(request: web.Request) -> web.Response:
    return web.json_response({"items": ITEMS}, status=201)


@pytest.fixture
async def fake_upstream() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/lieux", results)
    app.router.add_post("/lieux", created)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
def gateway_settings(gateway_settings: Settings, fake_upstream: str) -> Settings:
    gateway_settings.directory_url = fake_upstream
    return gateway_settings


def _raw_get(client: AsyncClient, url: str, encoding: str | None):
    headers = {"accept-encoding": encoding} if encoding is not None else {"accept-encoding": "identity"}
    # httpx would decode the body: the bytes on the wire are read from the stream.
    return client.stream("GET", url, headers=headers)


async def _wire(client: AsyncClient, url: str, encoding: str | None = "gzip, deflate, br"):
    async with _raw_get(client, url, encoding) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


async def test_a_json_answer_to_a_read_is_gzipped_for_a_browser_that_accepts_it(client: AsyncClient):
    response, body = await _wire(client, "/api/directory/lieux")
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert int(response.headers["content-length"]) == len(body)
    plain = json.dumps({"total": len(ITEMS), "items": ITEMS}).encode()
    assert len(body) < len(plain) / 4
    assert json.loads(gzip.decompress(body)) == {"total": len(ITEMS), "items": ITEMS}


async def test_sent_as_it_is_to_a_client_without_gzip(client: AsyncClient):
    for encoding in ("identity", "br", "gzip;q=0"):
        response, body = await _wire(client, "/api/directory/lieux", encoding)
        assert "content-encoding" not in response.headers, encoding
        assert "accept-encoding" in response.headers["vary"].lower()
        assert json.loads(body)["total"] == len(ITEMS)


@pytest.mark.parametrize(
    "extra",
    [
        "cookie",  # a cookie set: the answer may carry a secret
        "no-store",  # how a service marks an answer that carries a secret
        "etag",  # a strong ETag is compared byte for byte by If-Match
        "petit",  # too small to gain anything
        "csv",  # not JSON (exports are compressed by the directory itself)
    ],
)
async def test_not_compressed(client: AsyncClient, extra: str):
    response, body = await _wire(client, f"/api/directory/lieux?avec={extra}")
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(body)


async def test_a_weak_etag_does_not_prevent_compression(client: AsyncClient):
    response, _ = await _wire(client, "/api/directory/lieux?avec=etag-faible")
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["etag"] == 'W/"v3"'


async def test_answers_to_writes_are_never_compressed(client: AsyncClient):
    """A write may hand out a secret (a new link's token…) and echo what the caller sent: never compressed."""
    response = await client.post("/api/directory/lieux", json={}, headers={"accept-encoding": "gzip"})
    assert response.status_code == 201
    assert "content-encoding" not in response.headers
    assert len(response.json()["items"]) == len(ITEMS)


async def test_the_gateways_own_answers_are_not_compressed(client: AsyncClient):
    """Login and CSRF tokens come from the gateway's own routes, which never take this path."""
    response = await client.post(
        "/api/auth/login",
        json={"email": "personne@example.org", "password": "x" * 40},
        headers={"accept-encoding": "gzip"},
    )
    assert "content-encoding" not in response.headers


def test_compressible_rules():
    json_type = (b"content-type", b"application/problem+json")
    assert compressible([json_type])
    assert compressible([(b"content-type", b"application/geo+json; charset=utf-8")])
    assert not compressible([(b"content-type", b"text/html")])
    assert not compressible([json_type, (b"content-encoding", b"gzip")])
    assert not compressible([json_type, (b"cache-control", b"private, No-Store")])
