"""A local server speaking the network service's statistics contract (/work/wt/notes/network-contract.md):
`GET /statistiques?annee=` → `{"genere_le", "mesures": [{"mesure", "categorie", "commune", "annee", "mois",
"valeur"}]}`, 422 problem+json for a bad year."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support import bound_port


def measure(
    name: str,
    commune: str | None,
    annee: int,
    valeur: float,
    categorie: str | None = None,
    mois: int | None = None,
) -> dict[str, Any]:
    return {
        "mesure": name,
        "categorie": categorie,
        "commune": commune,
        "annee": annee,
        "mois": mois,
        "valeur": valeur,
    }


@dataclass
class FakeNetwork:
    measures: list[dict[str, Any]] = field(default_factory=list)
    failing: bool = False
    requests: int = 0
    url: str = ""


@asynccontextmanager
async def fake_network(state: FakeNetwork | None = None) -> AsyncIterator[FakeNetwork]:
    state = state or FakeNetwork()

    async def statistics(request: web.Request) -> web.Response:
        state.requests += 1
        if state.failing:
            return web.Response(status=503, text="Service Unavailable")
        year = request.query.get("annee")
        if year is not None and not (year.isdigit() and len(year) == 4):
            return web.json_response(
                {"type": "about:blank", "title": "Données invalides", "status": 422},
                status=422,
                content_type="application/problem+json",
            )
        rows = [row for row in state.measures if year is None or row["annee"] == int(year)]
        return web.json_response({"genere_le": "2026-12-03T12:00:00Z", "mesures": rows})

    app = web.Application()
    app.add_routes([web.get("/statistiques", statistics)])
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        state.url = f"http://127.0.0.1:{bound_port(site)}"
        yield state
    finally:
        await runner.cleanup()
