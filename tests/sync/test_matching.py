"""Matching: pivot first, then an explained score; a review queue for the doubtful; confirm, reject, split."""

from sqlalchemy import select

from fne_directory.places.models import Place, PlaceChange
from fne_directory.sync.matching import compare, decide
from fne_directory.sync.models import SourceRecord
from tests.sync.fakes import FakeSource, dora_service, dora_structure, yeswiki_entry

BASE = {"nom": "Médiathèque Jean-Jacques Rousseau", "adresse": "Carré Curial", "code_insee": "73065",
        "latitude": 45.5667, "longitude": 5.9236, "telephone": "+33479600404", "courriels": ["m@chambery.fr"],
        "pivot": None}


def test_the_same_siret_in_the_same_commune_is_the_same_place_but_not_in_another() -> None:
    assert compare({**BASE, "pivot": "21730065600006"}, {**BASE, "nom": "BM", "pivot": "21730065600006"}).score == 1
    elsewhere = {**BASE, "nom": "Bibliothèque du Biollay", "adresse": "Place du Forum", "pivot": "21730065600006",
                 "code_insee": "73051", "latitude": 45.6, "longitude": 5.88, "telephone": None, "courriels": []}
    assert decide(compare({**BASE, "pivot": "21730065600006"}, elsewhere), 0.85, 0.6) == "distinct"


def test_spelling_variants_of_one_place_merge_and_the_score_says_why() -> None:
    other = {**BASE, "nom": "Mediatheque J-J Rousseau", "adresse": "carre curial", "latitude": 45.56672,
             "longitude": 5.92361, "telephone": "+33479600405"}
    match = compare(BASE, other)
    assert decide(match, 0.85, 0.6) == "merge"
    assert match.reasons["adresse"] == 1.0 and match.reasons["distance_m"] < 10 and match.reasons["telephone"] is False


def test_two_places_at_different_numbers_of_one_street_are_not_merged() -> None:
    a = {**BASE, "nom": "Espace numérique", "adresse": "3 rue de la Gare", "telephone": None, "courriels": [],
         "latitude": None, "longitude": None}
    b = {**a, "adresse": "30 rue de la Gare"}
    assert decide(compare(a, b), 0.85, 0.6) != "merge"


def test_a_similar_name_alone_is_not_enough_for_an_automatic_merge() -> None:
    a = {"nom": "France Services", "adresse": "Place de l'Hôtel de Ville", "code_insee": "73065"}
    b = {"nom": "France Services", "adresse": "Avenue du Grand Arietaz", "code_insee": "73065"}
    assert decide(compare(a, b), 0.85, 0.6) != "merge"


async def doubtful_pair(sync, fake_dora: FakeSource, fake_yeswiki: FakeSource):  # type: ignore[no-untyped-def]
    """The library on DORA, and the same building on Mednum73 under another name, with no position, phone or
    e-mail to corroborate."""
    fake_dora.records = {"structures": [dora_structure("a1b2", siret=None, telephone=None, courriel=None)],
                         "services": [dora_service("s1", "a1b2")]}
    await sync("dora")
    fake_yeswiki.records = {"entries": [yeswiki_entry(
        "MediathequeChambery", bf_titre="Bibliothèque municipale de Chambéry", bf_adresse="Carré Curial",
        bf_code_postal="73000", bf_ville="Chambéry", bf_latitude="", bf_longitude="", bf_telephone="",
        geolocation=None)]}
    return await sync("mednum73")


async def test_a_doubtful_pair_goes_to_review_then_confirm_merges_it(sync, fake_dora: FakeSource,
                                                                    fake_yeswiki: FakeSource, client, coordinator, db):
    job = await doubtful_pair(sync, fake_dora, fake_yeswiki)
    assert job.counts["for_review"] == 1 and job.counts["created"] == 1
    queue = (await client.get("/sync/revue", headers=coordinator)).json()
    [candidate] = queue["items"]
    assert candidate["record"]["source"] == "mednum73" and candidate["place_values"]["nom"] == \
        "Médiathèque J.-J. Rousseau"
    # A match probability (sync/linkage.py) below the automatic bar, and why, criterion by criterion.
    assert 0.3 <= candidate["score"] < 0.99 and candidate["reasons"]["criteres"]["adresse"]["niveau"] == "meme_voie"
    assert candidate["reasons"]["criteres"]["nom"]["niveau"] == "generique_meme_type"
    duplicate_id = candidate["record"]["place_id"]

    answer = await client.post(f"/sync/revue/{candidate['id']}/confirmation", headers=coordinator)
    assert answer.status_code == 200, answer.text
    assert (await db.get(Place, duplicate_id)).status == "withdrawn"
    merged = await db.get(Place, candidate["place_id"])
    assert merged.status == "active" and "Mednum73" in merged.source
    # The place changed by the coordinator's decision: the audit trail names the coordinator.
    last = await db.scalar(select(PlaceChange).where(PlaceChange.place_id == merged.id)
                           .order_by(PlaceChange.version.desc()).limit(1))
    assert (last.actor_kind, last.actor_name) == ("user", "Camille")
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


async def test_a_rejected_pair_is_not_proposed_again(sync, fake_dora: FakeSource, fake_yeswiki: FakeSource,
                                                    client, coordinator, db):
    await doubtful_pair(sync, fake_dora, fake_yeswiki)
    [candidate] = (await client.get("/sync/revue", headers=coordinator)).json()["items"]
    assert (await client.post(f"/sync/revue/{candidate['id']}/rejet", headers=coordinator)).status_code == 200
    fake_yeswiki.records["entries"][0]["bf_description"] = "Modifiée"
    job = await sync("mednum73")
    assert job.counts.get("for_review", 0) == 0
    assert (await client.get("/sync/revue", headers=coordinator)).json()["total"] == 0
    assert len(list(await db.scalars(select(Place).where(Place.status == "active")))) == 2
