import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from fne_gateway.config import Settings
from fne_gateway.main import create_app


@pytest.fixture
async def spa_client(gateway_settings: Settings, tmp_path: Path) -> AsyncIterator[AsyncClient]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>FNE Savoie</title>")
    (tmp_path / "assets" / "app.js").write_text("console.log('fne')")
    gateway_settings.frontend_dir = tmp_path
    gateway_settings.cors_origins = ["https://www.chambery.fr"]
    app = create_app(gateway_settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    await app.state.engine.dispose()


async def test_the_app_is_served_with_history_fallback(spa_client: AsyncClient):
    home = await spa_client.get("/")
    deep_link = await spa_client.get("/lieux/42?ouvert=1")
    asset = await spa_client.get("/assets/app.js")
    assert home.status_code == deep_link.status_code == asset.status_code == 200
    assert deep_link.text == home.text and "FNE Savoie" in home.text
    assert "javascript" in asset.headers["content-type"]


async def test_missing_files_and_unknown_api_routes_are_404s(spa_client: AsyncClient):
    assert (await spa_client.get("/assets/missing.js")).status_code == 404
    api = await spa_client.get("/api/nothing")
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"


async def test_cors_allows_only_configured_origins(spa_client: AsyncClient):
    preflight = {"access-control-request-method": "GET"}
    allowed = await spa_client.options(
        "/api/health", headers={"origin": "https://www.chambery.fr", **preflight}
    )
    refused = await spa_client.options("/api/health", headers={"origin": "https://evil.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://www.chambery.fr"
    assert "access-control-allow-origin" not in refused.headers


@pytest.fixture
async def built_client(gateway_settings: Settings, tmp_path: Path) -> AsyncIterator[AsyncClient]:
    """A build as Vite writes it: hashed assets with their brotli and gzip copies."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "dsfr").mkdir()
    script = b"console.log('fne');" * 200
    html = b"<!doctype html><title>FNE Savoie</title>" + b" " * 2000
    for path, content in (("assets/index-Ab12Cd34.js", script), ("index.html", html)):
        (tmp_path / path).write_bytes(content)
        (tmp_path / f"{path}.br").write_bytes(b"brotli copy of " + path.encode())  # sent as it is
        (tmp_path / f"{path}.gz").write_bytes(gzip.compress(content))
    (tmp_path / "dsfr" / "dsfr.min.css").write_text("body{}")
    gateway_settings.frontend_dir = tmp_path
    app = create_app(gateway_settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    await app.state.engine.dispose()


async def test_precompressed_copies_are_served_to_browsers_that_accept_them(built_client: AsyncClient):
    async with built_client.stream(
        "GET", "/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip, deflate, br"}
    ) as br:
        raw = b"".join([chunk async for chunk in br.aiter_raw()])
    assert br.headers["content-encoding"] == "br" and br.headers["vary"] == "Accept-Encoding"
    assert br.headers["content-type"].startswith("text/javascript")
    assert br.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert raw == b"brotli copy of assets/index-Ab12Cd34.js"
    gz = await built_client.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and gz.text.startswith("console.log")  # httpx inflates
    plain = await built_client.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text.startswith("console.log")
    assert plain.headers["vary"] == "Accept-Encoding"
    refused = await built_client.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "br;q=0, gzip"})
    assert refused.headers["content-encoding"] == "gzip"


async def test_the_page_is_revalidated_and_client_routes_get_it_compressed(built_client: AsyncClient):
    for path in ("/", "/lieux/42"):
        page = await built_client.get(path, headers={"accept-encoding": "br"})
        assert page.status_code == 200 and page.headers["content-encoding"] == "br", path
        assert page.headers["cache-control"] == "no-cache" and page.headers["content-type"].startswith(
            "text/html"
        )
    design_system = await built_client.get("/dsfr/dsfr.min.css")
    assert design_system.headers["cache-control"] == "public, max-age=86400"
    missing = await built_client.get("/assets/missing.js", headers={"accept-encoding": "br"})
    assert missing.status_code == 404


async def test_a_revalidation_of_a_compressed_file_is_a_304(built_client: AsyncClient):
    headers = {"accept-encoding": "br"}
    first = await built_client.get("/assets/index-Ab12Cd34.js", headers=headers)
    again = await built_client.get(
        "/assets/index-Ab12Cd34.js", headers={**headers, "if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304


async def test_other_addresses_get_the_page_without_the_prerendered_home(
    gateway_settings: Settings, tmp_path: Path
):
    """index.html holds the search screen painted in advance (frontend/scripts/prerender.mjs): "/" only."""
    home = b"<!doctype html><div id=root><form role=search></form></div>"
    other = b"<!doctype html><div id=root></div>"
    for path, content in (("index.html", home), ("app.html", other)):
        (tmp_path / path).write_bytes(content + b" " * 2000)
        (tmp_path / f"{path}.gz").write_bytes(gzip.compress(content + b" " * 2000))
    gateway_settings.frontend_dir = tmp_path
    app = create_app(gateway_settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
        pages = {
            url: await client.get(url, headers={"accept-encoding": "gzip"})
            for url in ("/", "/?q=mairie", "/lieux/42", "/administration/lieux/nouveau")
        }
    await app.state.engine.dispose()
    assert pages["/"].content.startswith(home) and pages["/?q=mairie"].content.startswith(home)
    for url in ("/lieux/42", "/administration/lieux/nouveau"):
        assert pages[url].content.startswith(other), url
        assert pages[url].headers["content-encoding"] == "gzip"
        assert pages[url].headers["cache-control"] == "no-cache"
