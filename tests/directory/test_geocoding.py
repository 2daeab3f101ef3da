"""The BAN connector against a local server speaking the BAN's wire format (GeoJSON FeatureCollection)."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from httpx import AsyncClient

from fne_directory.geocoding.ban import BanGeocoder
from fne_kernel.identity import Role
from tests.directory.factories import place_payload
from tests.support import bound_port, identity_header, user_principal


def ban_feature(lon: float, lat: float, score: float, kind: str, citycode: str, label: str) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": label,
            "score": score,
            "type": kind,
            "citycode": citycode,
            "postcode": "73000",
            "city": "Chambéry",
            "id": "73065_0420_00001",
        },
    }


@dataclass
class FakeBan:
    url: str = ""
    calls: list[dict[str, str]] = field(default_factory=list)
    mode: str = "ok"  # ok | low-score | error-then-ok | error | slow


@pytest.fixture
async def fake_ban() -> AsyncIterator[FakeBan]:
    state = FakeBan()

    async def search(request: web.Request) -> web.Response:
        state.calls.append(dict(request.query))
        if state.mode == "error" or (state.mode == "error-then-ok" and len(state.calls) == 1):
            return web.Response(status=502, text="Bad gateway")
        if state.mode == "slow":
            await asyncio.sleep(1)
        score = 0.3 if state.mode == "low-score" else 0.93
        features = [
            ban_feature(
                5.9205,
                45.5646,
                score,
                "housenumber",
                request.query.get("citycode", ""),
                "Carré Curial 73000 Chambéry",
            )
        ]
        return web.json_response(
            {
                "type": "FeatureCollection",
                "version": "draft",
                "features": features,
                "query": request.query.get("q"),
            }
        )

    app = web.Application()
    app.router.add_get("/geocodage/search", search)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{bound_port(site)}/geocodage/search"
    yield state
    await runner.cleanup()


async def test_an_address_is_geocoded_and_cached(fake_ban: FakeBan):
    geocoder = BanGeocoder(fake_ban.url)
    assert await geocoder("Carré Curial", "73000", "73065") == (45.5646, 5.9205)
    assert await geocoder("Carré Curial ", "73000", "73065") == (45.5646, 5.9205)
    assert len(fake_ban.calls) == 1
    assert fake_ban.calls[0] == {"q": "Carré Curial", "citycode": "73065", "postcode": "73000", "limit": "1"}
    await geocoder.close()


@pytest.mark.parametrize("mode", ["low-score", "error", "slow"])
async def test_doubtful_or_failed_answers_give_nothing(fake_ban: FakeBan, mode: str):
    fake_ban.mode = mode
    geocoder = BanGeocoder(fake_ban.url, timeout=0.5, retries=1)
    assert await geocoder("Carré Curial", "73000", "73065") is None
    assert len(fake_ban.calls) == (1 if mode == "low-score" else 2)  # failures are retried once
    await geocoder.close()


async def test_a_transient_error_is_retried(fake_ban: FakeBan):
    fake_ban.mode = "error-then-ok"
    geocoder = BanGeocoder(fake_ban.url, retries=1)
    assert await geocoder("Carré Curial", "73000", "73065") == (45.5646, 5.9205)
    await geocoder.close()


async def test_a_place_without_coordinates_is_geocoded_when_the_base_answers(
    directory: AsyncClient, directory_app, identity_keys, communes, fake_ban: FakeBan
):
    directory_app.state.geocoder = BanGeocoder(fake_ban.url)
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    response = await directory.post(
        "/lieux", headers=headers, json=place_payload(latitude=None, longitude=None)
    )
    assert response.status_code == 201
    assert response.json()["geo_precision"] == "geocodee"
    assert (response.json()["latitude"], response.json()["longitude"]) == (45.5646, 5.9205)
    fake_ban.mode = "low-score"
    fallback = await directory.post(
        "/lieux",
        headers=headers,
        json=place_payload(adresse="Lieu-dit introuvable", latitude=None, longitude=None),
    )
    assert fallback.json()["geo_precision"] == "commune"
