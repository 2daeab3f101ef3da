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
    allowed = await spa_client.options("/api/health", headers={"origin": "https://www.chambery.fr", **preflight})
    refused = await spa_client.options("/api/health", headers={"origin": "https://evil.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://www.chambery.fr"
    assert "access-control-allow-origin" not in refused.headers
