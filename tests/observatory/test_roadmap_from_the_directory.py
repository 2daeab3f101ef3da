"""The two services together: a coordinator records an itinerant permanence of a conseiller numérique in the
real directory, and the observatory's computation — reading the directory over HTTP (its ASGI app) — puts it
on the roadmap (2.2) and takes its stop's commune out of the zones blanches, nobody typing a figure."""

from datetime import date

import httpx
from fastapi import FastAPI
from httpx import AsyncClient

from fne_kernel.identity import Role
from fne_observatory.coop.client import CoopClient
from fne_observatory.directory_figures.client import DirectoryClient
from fne_observatory.roadmap_values.service import Sources
from fne_observatory.roadmap_values.sources import DirectorySource, NetworkSource
from tests.directory.conftest import directory, directory_app, directory_settings  # noqa: F401  (fixtures)
from tests.directory.factories import place_payload
from tests.directory.territories_fixtures import communes  # noqa: F401  (fixture)
from tests.observatory.jobs import computed as computed_job
from tests.observatory.test_imports import value_of
from tests.support import identity_header, user_principal

BONNEVAL = "73047"


async def test_an_itinerant_permanence_reaches_the_roadmap_without_typing(
    directory_app: FastAPI,  # noqa: F811
    directory: AsyncClient,  # noqa: F811
    communes,  # noqa: F811
    observatory_app: FastAPI,
    observatory: AsyncClient,
    coordinator: dict,
    identity_keys,
):
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    france_services = await directory.post(
        "/lieux",
        json=place_payload(
            nom="France Services de Chambéry", dispositif_programmes_nationaux=["France Services"]
        ),
        headers=headers,
    )
    assert france_services.status_code == 201, france_services.text
    tour = {
        "role": "conseiller_numerique",
        "creneaux": [
            {"lieu_id": france_services.json()["id"], "jour": "mardi", "debut": "09:00", "fin": "12:00"},
            {
                "code_insee": BONNEVAL,
                "precision_lieu": "Salle des fêtes",
                "jour": "jeudi",
                "debut": "10:00",
                "fin": "12:00",
            },
        ],
    }
    assert (await directory.post("/permanences", json=tour, headers=headers)).status_code == 201

    over_http = httpx.ASGITransport(app=directory_app)
    observatory_app.state.directory_client = DirectoryClient(
        "http://directory", timeout=5, retries=0, transport=over_http
    )
    observatory_app.state.roadmap_sources = Sources(
        DirectorySource("annuaire", "http://directory", 5, 0, transport=over_http),
        NetworkSource("réseau", "http://127.0.0.1:9", 5, 0),
        CoopClient("http://127.0.0.1:9", "", 5, 0),
    )
    job = await computed_job(
        observatory_app, observatory, coordinator, "/calculs/feuille-de-route?source=annuaire"
    )
    assert job["jeu"].startswith("fdr-permanences-")
    objective = (await observatory.get("/feuille-de-route/objectifs/2")).json()
    indicator = next(item for item in objective["indicateurs"] if item["id"] == "2.2")
    assert (
        indicator["derniere_valeur"]["valeur"] == 1 and "Annuaire" in indicator["derniere_valeur"]["source"]
    )

    await computed_job(observatory_app, observatory, coordinator, "/calculs/annuaire")
    period = date.today().strftime("%Y-%m")
    assert (await value_of(observatory, "zones_blanches_communes", "commune", BONNEVAL, period))[
        "valeur"
    ] == 0
