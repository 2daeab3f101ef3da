"""The observatory reading the REAL network service and the REAL directory (separate processes, through
HTTP only, as deployed): a coordinator records, through the gateway, trainings with their attendees, an
itinerant permanence and an event; the roadmap computation job then moves the corresponding indicators to
the expected values without anything typed into the roadmap (issue #15).

One backend is enough here (PostgreSQL when the run has it, as deployed): what this test proves is the
services talking over HTTP; each service's own tests cover both backends."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS, Databases
from tests.directory.factories import place_payload
from tests.integration.conftest import Platform, login_admin

CHAMBERY, BONNEVAL = "73065", "73047"
# The roadmap indicators this test moves, and the value each must reach (docs/roadmap-computed.md).
EXPECTED = {
    "2.2": 1,  # one conseiller's permanence with a slot in a France Services place
    "8.1": 2,  # aidants who completed their training (one of three registered did not)
    "9.3": 1,  # one training session for secrétaires de mairie
    "3.1": 1,  # one event held
    "3.2": 1,  # a café numérique
    "3.3": 1,  # in one commune
    "3.5": 12,  # its participants
    "17.1": 1,
    "17.2": 12,
    "17.3": 3,  # its partner structures
}


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Databases:
    return Databases(BACKENDS[-1], tmp_path_factory.mktemp("db-live-sources"))


async def _computed(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/observatory/feuille-de-route/indicateurs-calcules")
    assert response.status_code == 200, response.text
    return {item["indicateur"]: item for item in response.json()}


async def _follow(client: httpx.AsyncClient, headers: dict[str, str], location: str) -> dict[str, Any]:
    for _ in range(600):
        job = (await client.get(f"/api/observatory{location}", headers=headers)).json()
        if job["statut"] not in ("en_attente", "en_cours"):
            return job
        await asyncio.sleep(0.2)
    raise TimeoutError(job)


async def _training(
    client: httpx.AsyncClient, csrf: dict[str, str], audience: str, attendees: list[tuple[str, bool]]
) -> None:
    now = datetime.now(UTC)
    created = await client.post(
        "/api/network/formations",
        headers=csrf,
        json={
            "titre": f"Formation {audience}",
            "public": audience,
            "debut": (now - timedelta(hours=2)).isoformat(),
            "fin": (now - timedelta(hours=1)).isoformat(),
            "commune": CHAMBERY,
            "adresse": "Hôtel de ville",
        },
    )
    assert created.status_code == 201, created.text
    for name, completed in attendees:
        registered = await client.post(
            f"/api/network/formations/{created.json()['id']}/inscriptions",
            headers=csrf,
            json={"nom_participant": name, "presence": True, "achevement": completed},
        )
        assert registered.status_code == 201, registered.text


async def test_records_in_the_network_and_the_directory_move_the_roadmap(
    platform: Platform, gateway: httpx.AsyncClient
):
    await platform.load_reference_data()
    csrf = await login_admin(gateway)
    before = await _computed(gateway)
    assert all(before[roadmap_id]["valeur"] is None for roadmap_id in EXPECTED)

    # The network: two trainings and their attendees, an event and its report.
    await _training(gateway, csrf, "aidants", [("Aidant A", True), ("Aidant B", True), ("Aidant C", False)])
    await _training(gateway, csrf, "secretaires_mairie", [("Secrétaire D", True)])
    now = datetime.now(UTC)
    event = await gateway.post(
        "/api/network/evenements",
        headers=csrf,
        json={
            "titre": "Café numérique de Chambéry",
            "type": "cafe_numerique",
            "debut": (now - timedelta(hours=2)).isoformat(),
            "fin": (now - timedelta(hours=1)).isoformat(),
            "commune": CHAMBERY,
            "adresse": "Place Saint-Léger",
        },
    )
    assert event.status_code == 201, event.text
    report = await gateway.put(
        f"/api/network/evenements/{event.json()['id']}/bilan",
        headers={**csrf, "if-match": event.headers["etag"]},
        json={"participants": 12, "partenaires": 3},
    )
    assert report.status_code == 200, report.text

    # The directory: a France Services place and a conseiller's tour through it and a mountain commune.
    place = await gateway.post(
        "/api/directory/lieux",
        headers=csrf,
        json=place_payload(
            nom="France Services de Chambéry", dispositif_programmes_nationaux=["France Services"]
        ),
    )
    assert place.status_code == 201, place.text
    tour = await gateway.post(
        "/api/directory/permanences",
        headers=csrf,
        json={
            "role": "conseiller_numerique",
            "creneaux": [
                {"lieu_id": place.json()["id"], "jour": "mardi", "debut": "09:00", "fin": "12:00"},
                {
                    "code_insee": BONNEVAL,
                    "precision_lieu": "Salle des fêtes",
                    "jour": "jeudi",
                    "debut": "10:00",
                    "fin": "12:00",
                },
            ],
        },
    )
    assert tour.status_code == 201, tour.text

    # The roadmap computation: a job followed to its end, one dataset per source.
    started = await gateway.post(
        "/api/observatory/calculs/feuille-de-route",
        headers=csrf,
        params=[("source", "annuaire"), ("source", "reseau"), ("source", "observatoire")],
    )
    assert started.status_code == 202, started.text
    job = await _follow(gateway, csrf, started.headers["location"])
    assert job["statut"] == "reussie", job
    assert {item["jeu"] for item in job["resultats"]} >= {"fdr-reseau", f"fdr-permanences-{now:%Y-%m}"}

    after = await _computed(gateway)
    reached = {roadmap_id: after[roadmap_id]["valeur"] for roadmap_id in EXPECTED}
    assert reached == EXPECTED
    assert "Service réseau" in after["8.1"]["source"] and "Annuaire" in after["2.2"]["source"]
    objective = (await gateway.get("/api/observatory/feuille-de-route/objectifs/9")).json()
    indicator = next(item for item in objective["indicateurs"] if item["id"] == "9.3")
    assert indicator["derniere_valeur"]["valeur"] == 1 and indicator["derniere_valeur"]["verifie_le"]

    # Computed again with nothing changed: no new version, the same values, checked later.
    again = await gateway.post(
        "/api/observatory/calculs/feuille-de-route", headers=csrf, params={"source": "reseau"}
    )
    repeated = await _follow(gateway, csrf, again.headers["location"])
    assert repeated["statut"] == "reussie", repeated
    network = next(item for item in job["resultats"] if item["jeu"] == "fdr-reseau")
    assert [item["version"] for item in repeated["resultats"]] == [network["version"]]
    assert repeated["resultats"][0]["verifie_le"] > network["verifie_le"]
