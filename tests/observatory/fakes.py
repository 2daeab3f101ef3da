"""Local servers speaking the wire formats the observatory reads: the directory's national-standard JSON
export, OSRM's table service, the surveys service's aggregates."""

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from aiohttp import web

from tests.support import bound_port


@asynccontextmanager
async def serve(routes: list[web.RouteDef]) -> AsyncIterator[str]:
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{bound_port(site)}"
    finally:
        await runner.cleanup()


def standard_place(
    number: int,
    code_insee: str,
    latitude: float,
    longitude: float,
    programmes: list[str],
    date_maj: str = "2026-10-01",
) -> dict[str, Any]:
    """A place as the directory's /exports/lieux.json writes it (national standard v1.0.2 fields)."""
    return {
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "pivot": "00000000000000",
        "nom": f"Lieu {number}",
        "commune": "Commune",
        "code_postal": "73000",
        "code_insee": code_insee,
        "adresse": "1 place de la Mairie",
        "complement_adresse": None,
        "latitude": latitude,
        "longitude": longitude,
        "typologie": "MUNI",
        "telephone": None,
        "courriels": None,
        "site_web": None,
        "horaires": "Mo-Fr 09:00-12:00",
        "presentation_resume": None,
        "presentation_detail": None,
        "source": "FNE Savoie",
        "itinerance": None,
        "structure_parente": None,
        "date_maj": date_maj,
        "services": "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien",
        "publics_specifiquement_adresses": None,
        "prise_en_charge_specifique": None,
        "frais_a_charge": "Gratuit",
        "dispositif_programmes_nationaux": "|".join(programmes) or None,
        "formations_labels": None,
        "autres_formations_labels": None,
        "modalites_acces": "Se présenter",
        "modalites_accompagnement": None,
        "fiche_acces_libre": None,
        "prise_rdv": None,
    }


@dataclass
class FakeDirectory:
    places: list[dict[str, Any]] = field(default_factory=list)
    failing: bool = False
    requests: int = 0
    url: str = ""
    # GET /permanences/communes: [{"code_insee", "roles", "itinerante"}], as the directory answers it.
    permanences: list[dict[str, Any]] = field(default_factory=list)
    # GET /permanences (page, size): the items as the directory publishes them (role, creneaux…).
    permanence_items: list[dict[str, Any]] = field(default_factory=list)


@asynccontextmanager
async def fake_directory(places: list[dict[str, Any]], chunk_size: int = 97) -> AsyncIterator[FakeDirectory]:
    """Streams the export the way the directory does (one object per line), in small odd-sized chunks."""
    state = FakeDirectory(places)

    async def export(request: web.Request) -> web.StreamResponse:
        state.requests += 1
        if state.failing:
            return web.Response(status=503, text="Service Unavailable")
        body = b"[" + b",\n".join(orjson.dumps(place) for place in state.places) + b"]"
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for start in range(0, len(body), chunk_size):
            await response.write(body[start : start + chunk_size])
        await response.write_eof()
        return response

    async def permanences(_request: web.Request) -> web.Response:
        if state.failing:
            return web.Response(status=503, text="Service Unavailable")
        return web.json_response(state.permanences)

    async def permanence_page(request: web.Request) -> web.Response:
        page, size = int(request.query.get("page", "1")), int(request.query.get("size", "50"))
        items = state.permanence_items[(page - 1) * size : page * size]
        return web.json_response(
            {"items": items, "total": len(state.permanence_items), "page": page, "size": size}
        )

    async with serve(
        [
            web.get("/exports/lieux.json", export),
            web.get("/permanences/communes", permanences),
            web.get("/permanences", permanence_page),
        ]
    ) as url:
        state.url = url
        yield state


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@dataclass
class FakeOsrm:
    """Durations: straight line × 1.4 at 50 km/h, so that the test can tell them from the estimate."""

    max_locations: int
    calls: list[tuple[int, int]] = field(default_factory=list)  # (sources, destinations) of each request
    url: str = ""

    @staticmethod
    def seconds(origin: tuple[float, float], destination: tuple[float, float]) -> float:
        return haversine_km(origin[1], origin[0], destination[1], destination[0]) * 1.4 / 50 * 3600


@asynccontextmanager
async def fake_osrm(max_locations: int = 100) -> AsyncIterator[FakeOsrm]:
    state = FakeOsrm(max_locations)

    async def table(request: web.Request) -> web.Response:
        coordinates = [
            cast(tuple[float, float], tuple(float(part) for part in pair.split(",")))
            for pair in request.match_info["coordinates"].split(";")
        ]
        if len(coordinates) > state.max_locations:
            return web.json_response({"code": "TooBig", "message": "Too many table coordinates"}, status=400)
        sources = [int(index) for index in request.query["sources"].split(";")]
        destinations = [int(index) for index in request.query["destinations"].split(";")]
        assert request.query["annotations"] == "duration"
        state.calls.append((len(sources), len(destinations)))
        durations = [
            [round(FakeOsrm.seconds(coordinates[s], coordinates[d]), 1) for d in destinations]
            for s in sources
        ]
        waypoint = {"hint": "", "distance": 0.0, "name": "", "location": [0.0, 0.0]}
        return web.json_response(
            {
                "code": "Ok",
                "durations": durations,
                "sources": [waypoint for _ in sources],
                "destinations": [waypoint for _ in destinations],
            }
        )

    async with serve([web.get(r"/table/v1/driving/{coordinates:[-0-9.,;]+}", table)]) as url:
        state.url = url
        yield state


@dataclass
class FakeSurveys:
    api_key: str
    frameworks: list[dict[str, Any]]
    aggregates: dict[str, Any]
    progress: dict[str, Any]
    queries: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


@asynccontextmanager
async def fake_surveys(
    api_key: str, frameworks: list[dict[str, Any]], aggregates: dict[str, Any], progress: dict[str, Any]
) -> AsyncIterator[FakeSurveys]:
    """The surveys service behind the gateway: aggregates need `Authorization: Bearer <key with
    surveys:read>`."""
    state = FakeSurveys(api_key, frameworks, aggregates, progress)

    def authorised(request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {state.api_key}"

    async def referentiels(request: web.Request) -> web.Response:
        return web.json_response(state.frameworks)

    async def agregats(request: web.Request) -> web.Response:
        state.queries.append((request.path, dict(request.query)))
        if not authorised(request):
            return web.json_response(
                {"code": "unauthenticated", "status": 401},
                status=401,
                content_type="application/problem+json",
            )
        return web.json_response(
            state.progress if request.path.endswith("/progression") else state.aggregates
        )

    async with serve(
        [
            web.get("/api/surveys/referentiels", referentiels),
            web.get("/api/surveys/agregats", agregats),
            web.get("/api/surveys/agregats/progression", agregats),
        ]
    ) as url:
        state.url = f"{url}/api/surveys"
        yield state
