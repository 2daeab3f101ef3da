"""Matching through the sync: a review queue for the doubtful, with the evidence and the cluster; confirm,
reject, split. (The model itself: test_linkage.py; on a realistic scenario: test_scenario.py.)"""

from sqlalchemy import select

from fne_directory.places.models import Place, PlaceChange
from fne_directory.sync.models import SourceRecord
from tests.sync.fakes import FakeSource, dora_service, dora_structure, yeswiki_entry


async def doubtful_pair(sync, fake_dora: FakeSource, fake_yeswiki: FakeSource):
    """The library on DORA, and the same building on Mednum73 under another name, with no position, phone or
    e-mail to corroborate."""
    fake_dora.records = {
        "structures": [dora_structure("a1b2", siret=None, telephone=None, courriel=None)],
        "services": [dora_service("s1", "a1b2")],
    }
    await sync("dora")
    fake_yeswiki.records = {
        "entries": [
            yeswiki_entry(
                "MediathequeChambery",
                bf_titre="Bibliothèque municipale de Chambéry",
                bf_adresse="Carré Curial",
                bf_code_postal="73000",
                bf_ville="Chambéry",
                bf_latitude="",
                bf_longitude="",
                bf_telephone="",
                geolocation=None,
            )
        ]
    }
    return await sync("mednum73")


async def test_a_doubtful_pair_goes_to_review_then_confirm_merges_it(
    sync, fake_dora: FakeSource, fake_yeswiki: FakeSource, client, coordinator, db
):
    job = await doubtful_pair(sync, fake_dora, fake_yeswiki)
    assert job.counts["for_review"] == 1 and job.counts["created"] == 1
    queue = (await client.get("/sync/revue", headers=coordinator)).json()
    [candidate] = queue["items"]
    assert (
        candidate["record"]["source"] == "mednum73"
        and candidate["place_values"]["nom"] == "Médiathèque J.-J. Rousseau"
    )
    # A match probability (sync/linkage.py) below the automatic bar, and why, criterion by criterion.
    assert (
        0.3 <= candidate["score"] < 0.99
        and candidate["reasons"]["criteres"]["adresse"]["niveau"] == "meme_voie"
    )
    assert candidate["reasons"]["criteres"]["nom"]["niveau"] == "generique_meme_type"
    assert [member["source"] for member in candidate["cluster"]] == ["dora"]  # the place it would join
    duplicate_id = candidate["record"]["place_id"]

    answer = await client.post(f"/sync/revue/{candidate['id']}/confirmation", headers=coordinator)
    assert answer.status_code == 200, answer.text
    assert (await db.get(Place, duplicate_id)).status == "withdrawn"
    merged = await db.get(Place, candidate["place_id"])
    assert merged.status == "active" and "Mednum73" in merged.source
    # The place changed by the coordinator's decision: the audit trail names the coordinator.
    last = await db.scalar(
        select(PlaceChange)
        .where(PlaceChange.place_id == merged.id)
        .order_by(PlaceChange.version.desc())
        .limit(1)
    )
    assert (last.actor_kind, last.actor_name) == ("user", "Camille")
    provenance = (await client.get(f"/sync/lieux/{merged.id}/provenance", headers=coordinator)).json()
    [merge] = provenance["merges"]
    assert merge["status"] == "confirmed" and merge["reasons"]["criteres"]["adresse"]["poids"] > 0
    again = await client.post(f"/sync/revue/{candidate['id']}/rejet", headers=coordinator)
    assert again.status_code == 409 and again.json()["code"] == "sync-candidate-decided"

    # A wrong merge is split: the record gets its own place again and is never merged back.
    record_id = candidate["record"]["id"]
    split = await client.post(f"/sync/enregistrements/{record_id}/separation", headers=coordinator)
    assert split.status_code == 200, split.text
    own_place = split.json()["place_id"]
    assert own_place not in (candidate["place_id"], duplicate_id)
    assert (await db.get(Place, own_place)).nom == "Bibliothèque municipale de Chambéry"
    await sync("mednum73")
    record = await db.get(SourceRecord, record_id)
    assert record.place_id == own_place


async def test_a_rejected_pair_is_not_proposed_again(
    sync, fake_dora: FakeSource, fake_yeswiki: FakeSource, client, coordinator, db
):
    await doubtful_pair(sync, fake_dora, fake_yeswiki)
    [candidate] = (await client.get("/sync/revue", headers=coordinator)).json()["items"]
    assert (await client.post(f"/sync/revue/{candidate['id']}/rejet", headers=coordinator)).status_code == 200
    fake_yeswiki.records["entries"][0]["bf_description"] = "Modifiée"
    job = await sync("mednum73")
    assert job.counts.get("for_review", 0) == 0
    assert (await client.get("/sync/revue", headers=coordinator)).json()["total"] == 0
    assert len(list(await db.scalars(select(Place).where(Place.status == "active")))) == 2
