"""Optimistic concurrency on the network's records (issue #15), the rule of fne_kernel.versions as the
directory applies it: reads carry an ETag, every change and deletion needs it in If-Match — missing: 428,
stale: 412 in French, and nothing written."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

CHAMBERY = "73065"
PAST = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)

PERSON = {"prenom": "Léa", "nom": "Martin", "role": "conseiller_numerique"}
TRAINING = {
    "titre": "Devenir aidant",
    "public": "aidants",
    "debut": PAST.isoformat(),
    "fin": (PAST + timedelta(hours=3)).isoformat(),
    "commune": CHAMBERY,
}
EVENT = {
    "titre": "Café numérique",
    "type": "cafe_numerique",
    "debut": PAST.isoformat(),
    "fin": (PAST + timedelta(hours=2)).isoformat(),
    "commune": CHAMBERY,
    "adresse": "Place Saint-Léger",
}

# (collection, body to create, a change, the field it changes, the 412's title)
RECORDS = [
    ("/personnes", PERSON, {"nom": "Roux"}, "nom", "La personne a été modifiée entre-temps"),
    (
        "/formations",
        TRAINING,
        {"capacite": 12},
        "capacite",
        "La session de formation a été modifiée entre-temps",
    ),
    ("/evenements", EVENT, {"public": "Seniors"}, "public", "L'événement a été modifié entre-temps"),
]


async def _created(network: AsyncClient, headers: dict[str, str], collection: str, body: dict[str, Any]):
    created = await network.post(collection, json=body, headers=headers)
    assert created.status_code == 201, created.text
    record = created.json()
    assert created.headers["etag"] == f'"{record["id"]}.{record["version"]}"'
    return record, created.headers["etag"]


@pytest.mark.parametrize(("collection", "body", "change", "field", "title"), RECORDS)
async def test_a_change_needs_the_version_read_and_a_stale_one_writes_nothing(
    network: AsyncClient, coordinator, collection, body, change, field, title
) -> None:
    record, first = await _created(network, coordinator, collection, body)
    path = f"{collection}/{record['id']}"
    read = await network.get(path, headers=coordinator)
    assert read.headers["etag"] == first

    missing = await network.patch(path, json=change, headers=coordinator)
    assert missing.status_code == 428, missing.text
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["code"] == "precondition-required"
    assert "If-Match" in missing.json()["detail"]

    changed = await network.patch(path, json=change, headers={**coordinator, "if-match": first})
    assert changed.status_code == 200, changed.text
    second = changed.headers["etag"]
    assert second != first and changed.json()["version"] == record["version"] + 1

    # Someone who read the first version: refused, in French, told which version is current; nothing written.
    stale = await network.patch(
        path, json={field: body.get(field)}, headers={**coordinator, "if-match": first}
    )
    assert stale.status_code == 412, stale.text
    problem = stale.json()
    assert problem["code"] == "version-conflict" and problem["title"] == title
    assert "rechargez" in problem["detail"]
    assert (problem["current_etag"], problem["current_version"]) == (second, record["version"] + 1)
    kept = await network.get(path, headers=coordinator)
    assert kept.json()[field] == change[field] and kept.headers["etag"] == second

    # A deletion too: the stale version deletes nothing, the current one does (weak form accepted).
    assert (await network.delete(path, headers=coordinator)).status_code == 428
    assert (await network.delete(path, headers={**coordinator, "if-match": first})).status_code == 412
    assert (await network.get(path, headers=coordinator)).status_code == 200
    deleted = await network.delete(path, headers={**coordinator, "if-match": f"W/{second}"})
    assert deleted.status_code == 204, deleted.text
    assert (await network.get(path, headers=coordinator)).status_code == 404


async def test_a_refused_change_keeps_the_version(network: AsyncClient, coordinator) -> None:
    person, etag = await _created(network, coordinator, "/personnes", PERSON)
    path = f"/personnes/{person['id']}"
    refused = await network.patch(path, json={"nom": None}, headers={**coordinator, "if-match": etag})
    assert refused.status_code == 422
    assert (await network.get(path, headers=coordinator)).headers["etag"] == etag


async def test_an_event_report_is_a_change_of_the_event(network: AsyncClient, coordinator) -> None:
    event, etag = await _created(network, coordinator, "/evenements", EVENT)
    path = f"/evenements/{event['id']}"
    report = {"participants": 12, "partenaires": 3}
    assert (await network.put(f"{path}/bilan", json=report, headers=coordinator)).status_code == 428
    counted = await network.put(f"{path}/bilan", json=report, headers={**coordinator, "if-match": etag})
    assert counted.status_code == 200 and counted.headers["etag"] != etag
    again = await network.put(
        f"{path}/bilan",
        json={"participants": 20, "partenaires": 3},
        headers={**coordinator, "if-match": etag},
    )
    assert again.status_code == 412
    assert (await network.get(path)).json()["participants"] == 12
