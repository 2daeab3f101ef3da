"""Local servers speaking the wire formats of data·inclusion API v1, DORA API v2 and YesWiki Bazar, with
faults.

Records are built from the reference schemas and samples in ../shared/reference/ (read from there), and every
generated data·inclusion / DORA record is checked against the reference JSON schema before it is served.
"""

import asyncio
import json
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from aiohttp import web

from tests.support import REFERENCE, bound_port


def reference(name: str) -> Any:
    return json.loads((REFERENCE / name).read_text())


STRUCTURE_V1 = reference("data-inclusion-schema-v1-structure.json")
SERVICE_V1 = reference("data-inclusion-schema-v1-service.json")
STRUCTURE_V0 = reference("data-inclusion-schema-v0-structure.json")


def checked(record: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    jsonschema.validate(record, schema)
    return record


def di_structure(id_: str, **overrides: Any) -> dict[str, Any]:
    """A data·inclusion v1 structure in Chambéry, every schema field present."""
    record = {
        "source": "dora",
        "id": id_,
        "nom": "Médiathèque Jean-Jacques Rousseau",
        "date_maj": "2026-10-01",
        "siret": "21730065600006",
        "adresse": "Carré Curial",
        "complement_adresse": None,
        "code_postal": "73000",
        "code_insee": "73065",
        "commune": "Chambéry",
        "latitude": 45.5667,
        "longitude": 5.9236,
        "telephone": "04 79 60 04 04",
        "courriel": "mediatheques@chambery.fr",
        "site_web": "https://www.bm-chambery.fr/",
        "description": "Ateliers numériques et accès libre à Internet.",
        "horaires_accueil": "Tu-Sa 10:00-18:00",
        "accessibilite_lieu": None,
        "lien_source": None,
        "reseaux_porteurs": ["conseillers-numeriques"],
    }
    return checked({**record, **overrides}, STRUCTURE_V1)


def di_service(id_: str, structure_id: str, **overrides: Any) -> dict[str, Any]:
    record = {
        "source": "dora",
        "id": id_,
        "structure_id": structure_id,
        "nom": "Atelier numérique",
        "description": "Prendre en main un ordinateur, un smartphone, ses démarches en ligne.",
        "date_maj": "2026-10-01",
        "type": "atelier",
        "thematiques": [
            "numerique--maitriser-les-fondamentaux-du-numerique",
            "numerique--acceder-a-des-services-en-ligne",
        ],
        "frais": "gratuit",
        "publics": ["seniors"],
        "modes_accueil": ["en-presentiel"],
        "modes_mobilisation": ["se-presenter", "telephoner"],
        "mobilisable_par": ["usagers"],
    }
    return checked({**record, **overrides}, SERVICE_V1)


def dora_structure(id_: str, **overrides: Any) -> dict[str, Any]:
    """A DORA structure in the v0 shape (what /api/v2/structures/ serves)."""
    record = {
        "id": id_,
        "source": "dora",
        "nom": "Médiathèque J.-J. Rousseau",
        "date_maj": "2026-11-15",
        "siret": "21730065600006",
        "rna": None,
        "adresse": "Carre Curial",
        "complement_adresse": None,
        "code_postal": "73000",
        "code_insee": "73065",
        "commune": "Chambéry",
        "latitude": 45.56672,
        "longitude": 5.92361,
        "telephone": "0479600405",
        "courriel": "mediatheques@chambery.fr",
        "site_web": "https://www.bm-chambery.fr/",
        "horaires_ouverture": "Tu-Sa 10:00-18:00",
        "presentation_resume": "Médiathèque municipale : ateliers numériques.",
        "presentation_detail": None,
        "typologie": "BIB",
        "labels_nationaux": ["conseiller-numerique"],
        "labels_autres": [],
        "thematiques": None,
        "accessibilite": None,
        "lien_source": None,
        "antenne": False,
    }
    return checked({**record, **overrides}, STRUCTURE_V0)


def dora_service(id_: str, structure_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "structure_id": structure_id,
        "source": "dora",
        "nom": "Accompagnement numérique",
        "thematiques": ["numerique--realiser-des-demarches-administratives-avec-un-accompagnement"],
        "frais": ["gratuit"],
        "types": ["accompagnement"],
        "modes_accueil": ["en-presentiel"],
        "prise_rdv": None,
        "date_maj": "2026-11-15",
        **overrides,
    }


@dataclass
class FakeSource:
    """State of one fake server: its records, the faults to play, the requests it received."""

    url: str = ""
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Played one per request, in order: "500", "timeout", "malformed", "truncated", "429", "null", "ok".
    faults: list[str] = field(default_factory=list)
    # Faults played on every request whose path contains the key (a persistent outage of one page…).
    failing: dict[str, str] = field(default_factory=dict)
    # Called before a page is served: (collection, page number, state), to change data during a run.
    before_page: Callable[[str, int, "FakeSource"], None] | None = None
    requests: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    slow_seconds: float = 2.0


async def play(state: FakeSource, request: web.Request) -> web.Response | None:
    """The fault to answer with, if any."""
    key = request.path_qs
    fault = next((mode for marker, mode in state.failing.items() if marker in key), None)
    if fault is None and state.faults:
        fault = state.faults.pop(0)
    if fault in (None, "ok"):
        return None
    if fault == "500":
        return web.Response(status=500, text="Internal Server Error")
    if fault == "429":
        return web.Response(status=429, headers={"Retry-After": "0"}, text="Too many requests")
    if fault == "timeout":
        await asyncio.sleep(state.slow_seconds)
        return web.Response(status=504)
    if fault == "malformed":
        return web.Response(body=b"<html>Bad gateway</html>", content_type="application/json")
    if fault == "truncated":
        return web.Response(body=b'{"items": [{"id": "x", "nom": "Tronq', content_type="application/json")
    if fault == "null":
        return web.json_response(None)
    raise AssertionError(fault)


Collection = Callable[[web.Request, str, int, int], Awaitable[web.Response]]


def _collections_app(
    state: FakeSource, authorization: str, size_parameter: str, route: str, collection: Collection
) -> web.Application:
    """/structures and /services: the request recorded, the credentials checked, the page's hook and fault
    played, then `collection(request, name, page, size)` answers."""

    async def handler(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in ("structures", "services"):
            return web.Response(status=404)
        state.requests.append((request.path, dict(request.query), dict(request.headers)))
        if request.headers.get("Authorization") != authorization:
            return web.json_response({"detail": "Not authenticated"}, status=401)
        page, size = int(request.query.get("page", "1")), int(request.query.get(size_parameter, "50"))
        if state.before_page:
            state.before_page(name, page, state)
        if (faulty := await play(state, request)) is not None:
            return faulty
        return await collection(request, name, page, size)

    app = web.Application()
    app.router.add_get(route, handler)
    return app


def data_inclusion_app(state: FakeSource, token: str) -> web.Application:
    async def collection(request: web.Request, name: str, page: int, size: int) -> web.Response:
        items = state.records.get(name, [])
        departement = request.query.get("code_departement")
        if departement:
            items = [
                item
                for item in items
                if name == "services"
                or (item.get("code_insee") or item.get("code_postal") or "").startswith(departement)
            ]
        producers = request.query.getall("sources", [])
        if producers:
            items = [item for item in items if item["source"] in producers]
        chunk = items[(page - 1) * size : page * size]
        return web.json_response(
            {
                "items": chunk,
                "total": len(items),
                "page": page,
                "size": len(chunk),
                "pages": math.ceil(len(items) / size) if size else 0,
            }
        )

    return _collections_app(state, f"Bearer {token}", "size", "/api/v1/{name}", collection)


def dora_app(state: FakeSource, token: str) -> web.Application:
    async def collection(request: web.Request, name: str, page: int, size: int) -> web.Response:
        items = state.records.get(name, [])
        chunk = items[(page - 1) * size : page * size]
        following = (
            f"{state.url}/api/v2/{name}/?page={page + 1}&page_size={size}"
            if page * size < len(items)
            else None
        )
        previous = f"{state.url}/api/v2/{name}/?page={page - 1}&page_size={size}" if page > 1 else None
        return web.json_response(
            {"count": len(items), "next": following, "previous": previous, "results": chunk}
        )

    return _collections_app(state, f"Token {token}", "page_size", "/api/v2/{name}/", collection)


def yeswiki_form(form_id: str) -> dict[str, Any]:
    """The form definition `?api/forms/{id}` serves, its list field decoded by the reference list sample."""
    services_list = {
        "label": {
            "1": "Aide aux démarches administratives",
            "2": "Maîtrise des outils numériques du quotidien",
            "3": "Accès internet et matériel informatique",
        },
        "titre_liste": "Services",
    }
    fields: list[dict[str, Any]] = [
        {"id": name, "propertyname": name, "label": label, "type": kind, "name": name}
        for name, label, kind in (
            ("bf_titre", "Nom du lieu", "titre"),
            ("bf_adresse", "Adresse", "texte"),
            ("bf_code_postal", "Code postal", "texte"),
            ("bf_ville", "Ville", "texte"),
            ("bf_telephone", "Téléphone", "texte"),
            ("bf_mail", "Courriel", "champs_mail"),
        )
    ]
    fields.append(
        {
            "id": "checkboxListeServices",
            "propertyname": "checkboxListeServices",
            "type": "checkbox",
            "label": "Services",
            "linkedObjectName": "ListeServices",
            "options": services_list["label"],
        }
    )
    sample_list = reference("yeswiki-bazar-list-sample.json")["ListeType"]
    fields.append(
        {
            "id": "checkboxListeType",
            "propertyname": "checkboxListeType",
            "type": "checkbox",
            "label": sample_list["titre_liste"],
            "linkedObjectName": "ListeType",
            "options": sample_list["label"],
        }
    )
    return {"bn_id_nature": form_id, "bn_label_nature": "Lieux de médiation numérique", "prepared": fields}


def yeswiki_entry(id_fiche: str, **values: str | None) -> dict[str, Any]:
    """An entry shaped like the reference sample's (all strings, empty when unknown), in Savoie."""
    template = reference("yeswiki-bazar-entries-sample.json")["TesT2"]
    entry = {
        name: value
        for name, value in template.items()
        if name
        in ("id_typeannonce", "date_creation_fiche", "statut_fiche", "date_maj_fiche", "imagebf_image")
    }
    entry |= {
        "bf_titre": "Espace numérique d'Aix",
        "bf_adresse": "12 avenue de Marlioz",
        "bf_code_postal": "73100",
        "bf_ville": "Aix-les-Bains",
        "bf_latitude": "45.6843",
        "bf_longitude": "5.9121",
        "bf_telephone": "04 79 35 00 00",
        "bf_mail": "",
        "bf_site_internet": "",
        "checkboxListeServices": "1,3",
        "bf_description": "Un espace public numérique.",
        "id_fiche": id_fiche,
        "id_typeannonce": "5",
        "owner": "AdminMednum",
        "user": "AdminMednum",
        "geolocation": {"bf_latitude": "45.6843", "bf_longitude": "5.9121"},
    }
    entry.update(values)
    return entry


def yeswiki_app(state: FakeSource, form_id: str) -> web.Application:
    async def route(request: web.Request) -> web.Response:
        state.requests.append((request.path, dict(request.query), dict(request.headers)))
        if (faulty := await play(state, request)) is not None:
            return faulty
        wanted = next(iter(request.query), "")
        if wanted == f"api/forms/{form_id}":
            return web.json_response(yeswiki_form(form_id))
        if wanted == f"api/forms/{form_id}/entries":
            entries = {entry["id_fiche"]: entry for entry in state.records.get("entries", [])}
            return web.json_response(entries or None)
        return web.Response(status=404)

    app = web.Application()
    app.router.add_get("/", route)
    return app


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = bound_port(site)
    return runner, f"http://127.0.0.1:{port}"
