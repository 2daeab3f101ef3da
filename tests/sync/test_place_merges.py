"""Two published places that are one real place: merged by a coordinator or by a sync that finds a record
bridging them, retired with a redirect, undone; and who may do it."""

from sqlalchemy import select

from fne_directory.places.models import Place
from fne_directory.sync.models import PlaceMerge, SourceRecord
from fne_kernel.db import utcnow
from fne_kernel.identity import Principal, Scope
from tests.support import identity_header
from tests.sync.fakes import FakeSource, di_service, di_structure, dora_service, dora_structure, yeswiki_entry

LIBRARY = "Bibliothèque municipale de Chambéry"


async def two_places(sync, fake_dora: FakeSource, fake_yeswiki: FakeSource, **entry: str) -> None:
    """The library on DORA (no phone, no e-mail), and on Mednum73 under another name with no position: two
    places, the pair in review (a record against a place)."""
    fake_dora.records = {
        "structures": [dora_structure("a1b2", siret=None, telephone=None, courriel=None)],
        "services": [dora_service("s1", "a1b2")],
    }
    await sync("dora")
    values = {
        "bf_titre": LIBRARY,
        "bf_adresse": "Carré Curial",
        "bf_code_postal": "73000",
        "bf_ville": "Chambéry",
        "bf_latitude": "",
        "bf_longitude": "",
        "bf_telephone": "",
        "geolocation": None,
    }
    fake_yeswiki.records = {"entries": [yeswiki_entry("MediathequeChambery", **(values | entry))]}
    await sync("mednum73")


async def places_by_source(db) -> dict[str, str]:
    rows = await db.execute(
        select(SourceRecord.source, SourceRecord.place_id).where(SourceRecord.kind == "lieu")
    )
    return {source: place_id for source, place_id in rows}


def bridging_record(**overrides):
    """data·inclusion's mediation-numerique producer lists the library under DORA's name, at DORA's position,
    with Mednum73's phone: it is surely each of the two places."""
    return {
        "structures": [
            di_structure(
                "mediation-numerique--bm",
                **{
                    "source": "mediation-numerique",
                    "nom": "Médiathèque J.-J. Rousseau",
                    "adresse": "Carré Curial",
                    "telephone": "04 79 60 04 05",
                    "siret": None,
                    "latitude": 45.56672,
                    "longitude": 5.92361,
                    **overrides,
                },
            )
        ],
        "services": [
            di_service("mediation-numerique--s1", "mediation-numerique--bm", source="mediation-numerique")
        ],
    }


async def test_a_record_bridging_two_published_places_makes_them_one(
    sync,
    fake_dora: FakeSource,
    fake_yeswiki: FakeSource,
    fake_data_inclusion: FakeSource,
    client,
    coordinator,
    db,
):
    await two_places(
        sync, fake_dora, fake_yeswiki, bf_telephone="04 79 60 04 05", bf_mail="mediatheques@chambery.fr"
    )
    before = await places_by_source(db)
    dora_place, mednum_place = before["dora"], before["mednum73"]
    assert dora_place != mednum_place
    assert (await client.get("/lieux", params={"q": "Carré Curial"})).json()["total"] == 2

    fake_data_inclusion.records = bridging_record()
    job = await sync("data-inclusion")
    assert job.counts["places_merged"] == 1
    # One place, the older one (DORA's) kept under its id; Mednum73's answers with a redirect.
    after = await places_by_source(db)
    assert set(after.values()) == {dora_place}
    gone = await client.get(f"/lieux/{mednum_place}", follow_redirects=False)
    assert gone.status_code == 308 and gone.headers["location"] == f"/lieux/{dora_place}"
    assert gone.json()["remplace_par"] == dora_place and gone.json()["code"] == "place-merged"
    assert (await client.get("/lieux", params={"q": "Carré Curial"})).json()["total"] == 1
    # The decision is explained: the places' own pair, the record that bridges them, automatic.
    [merge] = (await client.get("/sync/revue/lieux?statut=merged", headers=coordinator)).json()["items"]
    assert merge["place_id"] == dora_place and merge["other_id"] == mednum_place
    assert (
        merge["reasons"]["decision"] == "automatique"
        and merge["decided_by"] == "Synchronisation data-inclusion"
    )
    assert merge["reasons"]["pont"]["confiance"] >= 0.99 and merge["reasons"]["criteres"]["nom"]["poids"] > 0
    assert [record["source"] for record in merge["other_records"]] == ["mednum73", "data-inclusion"]
    # No review is left about pairs that are now one place.
    assert (await client.get("/sync/revue", headers=coordinator)).json()["total"] == 0
    provenance = (await client.get(f"/sync/lieux/{dora_place}/provenance", headers=coordinator)).json()
    assert {record["source"] for record in provenance["records"]} == {"dora", "mednum73", "data-inclusion"}
    assert [pair["id"] for pair in provenance["place_merges"]] == [merge["id"]]
    assert {m["record_id"] for m in provenance["merges"]} >= {
        record["id"] for record in provenance["records"] if record["source"] == "data-inclusion"
    }

    # A later run changes nothing; undone, the pair is never merged again by a run.
    again = await sync("data-inclusion")
    assert again.counts.get("places_merged", 0) == 0
    split = await client.post(f"/sync/revue/lieux/{merge['id']}/separation", headers=coordinator)
    assert split.status_code == 200, split.text
    assert split.json()["status"] == "split" and split.json()["split_by"] == "Camille"
    assert (await client.get(f"/lieux/{mednum_place}")).json()["status"] == "active"
    assert (await places_by_source(db))["mednum73"] == mednum_place
    fake_data_inclusion.records = bridging_record(description="Changée")
    await sync("data-inclusion")
    assert (await client.get(f"/lieux/{mednum_place}")).status_code == 200


async def test_a_coordinator_merges_two_places_and_undoes_it(
    sync, fake_dora: FakeSource, fake_yeswiki: FakeSource, client, coordinator, db
):
    await two_places(sync, fake_dora, fake_yeswiki)
    ids = await places_by_source(db)
    kept, other = ids["dora"], ids["mednum73"]
    [review] = (await client.get("/sync/revue", headers=coordinator)).json()["items"]
    # By hand, each place gets a manual value: a phone on the one to retire, opening hours on both.
    for place_id, patch in (
        (other, {"telephone": "0479600406", "horaires": "Mo 10:00-12:00"}),
        (kept, {"horaires": "Tu-Sa 10:00-18:30"}),
    ):
        read = await client.get(f"/lieux/{place_id}")
        edited = await client.patch(
            f"/lieux/{place_id}", json=patch, headers={**coordinator, "If-Match": read.headers["etag"]}
        )
        assert edited.status_code == 200, edited.text
    permanence = await client.post(
        "/permanences",
        json={
            "role": "conseiller_numerique",
            "creneaux": [{"lieu_id": other, "jour": "mardi", "debut": "09:00", "fin": "12:00"}],
        },
        headers=coordinator,
    )
    assert permanence.status_code == 201, permanence.text
    exported = (await client.get("/exports/data-inclusion/structures.json")).json()
    assert len(exported) == 2

    merged = await client.post(f"/sync/lieux/{kept}/fusion", json={"doublon": other}, headers=coordinator)
    assert merged.status_code == 201, merged.text
    pair = merged.json()
    assert pair["status"] == "merged" and pair["decided_by"] == "Camille"
    assert pair["reasons"]["decision"] == "coordinateur" and "nom" in pair["reasons"]["criteres"]
    # Manual wins over the sources; where both places hold one, the kept place's stays, the conflict listed.
    [conflict] = pair["reasons"]["conflits"]
    assert conflict["champ"] == "horaires" and conflict["valeur_ecartee"] == "Mo 10:00-12:00"
    page = (await client.get(f"/lieux/{kept}")).json()
    assert page["telephone"] == "+33479600406" or page["telephone"].endswith("479600406")
    assert page["horaires"] == "Tu-Sa 10:00-18:30"
    assert "Mednum73" in page["source"]
    assert [held["id"] for held in page["permanences"]] == [permanence.json()["id"]]
    gone = await client.get(f"/lieux/{other}", follow_redirects=False)
    assert gone.status_code == 308 and gone.headers["location"] == f"/lieux/{kept}"
    # The pending review between the Mednum73 record and the kept place is moot: gone from the queue.
    assert (await client.get("/sync/revue", headers=coordinator)).json()["total"] == 0
    # Exports and the national exchange show one place; the change feed has the retired one's tombstone.
    exported = (await client.get("/exports/data-inclusion/structures.json")).json()
    assert [structure["id"] for structure in exported] == [kept]
    csv = (await client.get("/exports/lieux.csv")).text
    assert kept in csv and other not in csv
    feed = (await client.get("/lieux/modifications")).json()["items"]
    assert {item["id"]: item["status"] for item in feed}[other] == "withdrawn"
    # A retired place is changed through the kept one; a merged pair is not merged again.
    read = await client.get(f"/lieux/{other}/historique", headers=coordinator)
    assert read.json()[-1]["action"] == "merge"
    refused = await client.patch(
        f"/lieux/{other}", json={"nom": "X"}, headers={**coordinator, "If-Match": "*"}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "place-merged"
    assert refused.headers["content-type"].startswith("application/problem+json")
    twice = await client.post(f"/sync/lieux/{kept}/fusion", json={"doublon": other}, headers=coordinator)
    assert twice.status_code == 409 and twice.json()["code"] == "sync-places-not-mergeable"

    split = await client.post(f"/sync/revue/lieux/{pair['id']}/separation", headers=coordinator)
    assert split.status_code == 200, split.text
    back = (await client.get(f"/lieux/{other}")).json()
    assert back["status"] == "active" and back["telephone"].endswith("479600406")
    assert [held["id"] for held in back["permanences"]] == [permanence.json()["id"]]
    page = (await client.get(f"/lieux/{kept}")).json()
    assert page["telephone"] is None and page["permanences"] == [] and "Mednum73" not in page["source"]
    assert (await places_by_source(db)) == ids
    [again] = (await client.get("/sync/revue", headers=coordinator)).json()["items"]
    assert (again["record"]["id"], again["place_id"]) == (review["record"]["id"], review["place_id"])
    assert len((await client.get("/exports/data-inclusion/structures.json")).json()) == 2
    twice = await client.post(f"/sync/revue/lieux/{pair['id']}/separation", headers=coordinator)
    assert twice.status_code == 409 and twice.json()["code"] == "sync-place-merge-decided"


async def test_place_pairs_proposed_for_review_are_confirmed_or_rejected(
    sync, fake_dora: FakeSource, fake_yeswiki: FakeSource, client, coordinator, db
):
    await two_places(sync, fake_dora, fake_yeswiki)
    ids = await places_by_source(db)
    for kept, other in ((ids["dora"], ids["mednum73"]),):
        db.add(
            PlaceMerge(
                place_id=kept,
                other_id=other,
                status="pending",
                score=0.8,
                reasons={"criteres": {}},
                moved={},
                created_at=utcnow(),
            )
        )
    await db.commit()
    [pair] = (await client.get("/sync/revue/lieux", headers=coordinator)).json()["items"]
    assert (
        pair["place_values"]["nom"] == "Médiathèque J.-J. Rousseau" and pair["other_values"]["nom"] == LIBRARY
    )
    assert [r["source"] for r in pair["place_records"]] == ["dora"]
    rejected = await client.post(f"/sync/revue/lieux/{pair['id']}/rejet", headers=coordinator)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert (
        await client.post(f"/sync/revue/lieux/{pair['id']}/confirmation", headers=coordinator)
    ).status_code == 409
    assert (await client.get("/sync/revue/lieux", headers=coordinator)).json()["total"] == 0
    # A coordinator may still overrule a rejection by merging by hand.
    merged = await client.post(
        f"/sync/lieux/{ids['dora']}/fusion", json={"doublon": ids["mednum73"]}, headers=coordinator
    )
    assert merged.status_code == 201 and merged.json()["id"] == pair["id"]


async def test_merging_places_needs_a_coordinator_and_sound_input(
    client, identity_keys, coordinator, sync, fake_dora, fake_yeswiki, db
):
    runner = identity_header(
        identity_keys[0],
        Principal(kind="api_key", subject="k", name="DORA", scopes=frozenset({Scope.SYNC_RUN})),
    )
    for method, path, body in (
        ("get", "/sync/revue/lieux", None),
        ("post", "/sync/revue/lieux/1/confirmation", None),
        ("post", "/sync/revue/lieux/1/rejet", None),
        ("post", "/sync/revue/lieux/1/separation", None),
        ("post", "/sync/lieux/x/fusion", {"doublon": "y"}),
    ):
        assert (await client.request(method, path, json=body)).status_code == 401, path
        refused = await client.request(method, path, json=body, headers=runner)
        assert refused.status_code == 403 and refused.headers["content-type"].startswith(
            "application/problem+json"
        ), path
    await two_places(sync, fake_dora, fake_yeswiki)
    ids = await places_by_source(db)
    bodies: tuple[tuple[dict[str, object], int], ...] = (
        ({"doublon": ids["dora"]}, 422),
        ({"doublon": "inconnu"}, 404),
        ({}, 422),
        ({"doublon": ids["mednum73"], "autre": 1}, 422),
    )
    for payload, status in bodies:
        answer = await client.post(f"/sync/lieux/{ids['dora']}/fusion", json=payload, headers=coordinator)
        assert answer.status_code == status, (payload, answer.text)
        assert answer.json()["title"] and answer.headers["content-type"].startswith(
            "application/problem+json"
        )
    missing = await client.post("/sync/revue/lieux/999/confirmation", headers=coordinator)
    assert missing.status_code == 404 and missing.json()["code"] == "sync-place-merge-not-found"
    # Nothing was half-written by the refused requests.
    assert await db.scalar(select(PlaceMerge.id)) is None
    assert {place.status for place in await db.scalars(select(Place))} == {"active"}
