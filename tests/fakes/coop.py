"""A local server speaking La Coop de la médiation numérique's API v1
(reference/coop-mediation-api-v1-openapi.json): bearer authentication (client-id:client-secret),
`/structures` and `/activites` as JSON:API-like lists with cursor paging (`page[size]` ≤ 500,
`page[after]`, `links.next`, `meta.has_next_page`) and `filter[creation][depuis]`, `/statistiques`
computed from the same activities with `filter[du]`, `filter[au]`, `filter[departements]` and
`filter[conseiller_numerique]`."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aiohttp import web

from tests.support import bound_port

TOKEN = "fne-savoie:secret-de-test-coop"
BASE_PATH = "/api/v1"


def structure(number: int, code_insee: str | None, nom: str = "Espace numérique") -> dict[str, Any]:
    """A structure with every attribute the OpenAPI requires."""
    identifier = str(uuid.UUID(int=number))
    return {
        "type": "structure",
        "id": identifier,
        "attributes": {
            "id_pg": None,
            "structure_cartographie_nationale_id": None,
            "creation": "2024-01-10T09:00:00Z",
            "modification": "2024-01-10T09:00:00Z",
            "suppression": None,
            "nom": f"{nom} {number}",
            "adresse": "1 place de la Mairie",
            "commune": "Commune",
            "code_postal": "73000",
            "code_insee": code_insee,
            "complement_adresse": None,
            "latitude": None,
            "longitude": None,
            "siret": None,
            "rna": None,
            "visible_pour_cartographie_nationale": True,
            "typologies": ["MUNI"],
            "presentation_resume": None,
            "presentation_detail": None,
            "site_web": None,
            "telephone": None,
            "courriels": None,
            "fiche_acces_libre": None,
            "horaires": None,
            "prise_rdv": None,
            "structure_parente": None,
            "services": ["Aide aux démarches administratives"],
            "publics_specifiquement_adresses": None,
            "prise_en_charge_specifique": None,
            "frais_a_charge": ["Gratuit"],
            "dispositif_programmes_nationaux": ["Conseillers numériques"],
            "formations_labels": None,
            "autres_formations_labels": None,
            "itinerance": None,
            "modalites_acces": None,
            "modalites_accompagnement": None,
        },
    }


@dataclass
class FakeActivity:
    """An activity, with what the fake needs to compute statistics (not published in /activites)."""

    number: int
    type: str
    day: date
    accompagnements: int
    structure_id: str | None = None
    code_insee: str | None = None  # for activities outside a place of activity
    thematiques: list[str] = field(default_factory=list)
    beneficiaires: list[str] = field(default_factory=list)
    conseiller_numerique: bool = True
    created: str = "2025-01-01T10:00:00Z"
    deleted: bool = False

    def published(self) -> dict[str, Any]:
        in_place = self.structure_id is not None
        return {
            "type": "activite",
            "id": str(uuid.UUID(int=10**6 + self.number)),
            "attributes": {
                "type": self.type,
                "mediateur_id": str(uuid.UUID(int=42)),
                "accompagnements": self.accompagnements,
                "date": self.day.isoformat(),
                "duree": 90,
                "type_lieu": "lieu_activite" if in_place else "domicile",
                "structure_id": self.structure_id,
                "lieu_code_postal": None if in_place else "73000",
                "lieu_commune": None if in_place else "Commune",
                "lieu_code_insee": None if in_place else self.code_insee,
                "creation": self.created,
                "modification": self.created,
                "suppression": "2025-06-01T10:00:00Z" if self.deleted else None,
                "autonomie": None,
                "oriente_vers_structure": None,
                "structure_de_redirection": None,
                "materiel": ["ordinateur"],
                "thematiques": self.thematiques,
                "tags": [],
                "precisions_demarche": None,
                "titre_atelier": "Atelier" if self.type == "collectif" else None,
                "niveau_atelier": "debutant" if self.type == "collectif" else None,
            },
        }


@dataclass
class FakeCoop:
    structures: list[dict[str, Any]] = field(default_factory=list)
    activities: list[FakeActivity] = field(default_factory=list)
    requests: list[tuple[str, dict[str, str], str]] = field(
        default_factory=list
    )  # path, query, authorization
    url: str = ""

    def commune_of(self, activity: FakeActivity) -> str | None:
        if activity.structure_id is None:
            return activity.code_insee
        found = next(item for item in self.structures if item["id"] == activity.structure_id)
        return found["attributes"]["code_insee"]


def _page(request: web.Request, items: list[dict[str, Any]], path: str) -> web.Response:
    try:
        size = int(request.query.get("page[size]", "500"))
    except ValueError:
        size = 0
    if not 1 <= size <= 500:
        return web.json_response({"error": "page[size] doit être compris entre 1 et 500"}, status=400)
    after = request.query.get("page[after]")
    start = next((index + 1 for index, item in enumerate(items) if item["id"] == after), 0) if after else 0
    page = items[start : start + size]
    has_next = start + size < len(items)
    links: dict[str, str] = {"self": f"{request.url}"}
    if has_next:
        # A next link on another host: the client must keep its own base URL (and its token) anyway.
        links["next"] = (
            f"https://coop.example.org{BASE_PATH}{path}?page[size]={size}&page[after]={page[-1]['id']}"
        )
    return web.json_response(
        {
            "data": page,
            "links": links,
            "meta": {
                "total_count": len(items),
                "items_per_page": size,
                "total_pages": -(-len(items) // size),
                "has_next_page": has_next,
                "has_prev_page": start > 0,
            },
        }
    )


@asynccontextmanager
async def fake_coop(state: FakeCoop | None = None) -> AsyncIterator[FakeCoop]:
    state = state or FakeCoop()

    @web.middleware
    async def authenticate(request: web.Request, handler: Any) -> web.StreamResponse:
        state.requests.append((request.path, dict(request.query), request.headers.get("Authorization", "")))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "Unauthorized"}, status=401)
        return await handler(request)

    async def structures(request: web.Request) -> web.Response:
        return _page(request, state.structures, "/structures")

    async def activities(request: web.Request) -> web.Response:
        since = request.query.get("filter[creation][depuis]")
        items = [item.published() for item in state.activities if since is None or item.created >= since]
        return _page(request, items, "/activites")

    async def statistics(request: web.Request) -> web.Response:
        du, au = request.query.get("filter[du]", "0000-01-01"), request.query.get("filter[au]", "9999-12-31")
        departements = [code for code in request.query.get("filter[departements]", "").split(",") if code]
        cn = request.query.get("filter[conseiller_numerique]")
        chosen = [
            item
            for item in state.activities
            if not item.deleted
            and du <= item.day.isoformat() <= au
            and (cn is None or item.conseiller_numerique == (cn == "1"))
            and (not departements or any((state.commune_of(item) or "").startswith(d) for d in departements))
        ]
        people = {person for item in chosen for person in item.beneficiaires}
        total = sum(item.accompagnements for item in chosen)
        return web.json_response(
            {
                "data": {
                    "type": "statistiques",
                    "id": "statistiques",
                    "attributes": {
                        "accompagnements_par_jour": [],
                        "accompagnements_par_mois": [],
                        "beneficiaires": {
                            "total": len(people),
                            "genres": [],
                            "tranche_ages": [],
                            "statuts_social": [],
                        },
                        "activites": {
                            "total": len(chosen),
                            "type_activites": [],
                            "durees": [],
                            "type_lieu": [],
                            "thematiques": [],
                            "materiels": [],
                        },
                        "totaux": {
                            "activites": {"total": len(chosen)},
                            "accompagnements": {"total": total},
                            "beneficiaires": {
                                "total": len(people),
                                "nouveaux": 0,
                                "suivis": len(people),
                                "anonymes": 0,
                            },
                        },
                    },
                },
                "links": {"self": {"href": str(request.url)}},
                "meta": {},
            }
        )

    app = web.Application(middlewares=[authenticate])
    app.add_routes(
        [
            web.get(f"{BASE_PATH}/structures", structures),
            web.get(f"{BASE_PATH}/activites", activities),
            web.get(f"{BASE_PATH}/statistiques", statistics),
        ]
    )
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        state.url = f"http://127.0.0.1:{bound_port(site)}{BASE_PATH}"
        yield state
    finally:
        await runner.cleanup()
