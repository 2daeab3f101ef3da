"""The places a run's new records may be: read once into memory with the origins that describe them, proposed
by commune and distance, confirmed active by the database before an automatic merge; and the table statistics
a first run keeps fresh on PostgreSQL."""

from datetime import timedelta
from typing import Any

from sqlalchemy import event

from fne_directory.places.models import Place
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import create_places, withdraw_place
from fne_directory.sync import candidates, linkage, storing
from fne_directory.sync.candidates import CandidateIndex, active_places, origin_of
from fne_directory.sync.models import SourceRecord
from fne_kernel.db import utcnow
from fne_kernel.identity import Principal
from tests.directory.factories import place_payload
from tests.sync.fakes import FakeSource
from tests.sync.test_data_inclusion import catalogue

ACTOR = Principal(kind="user", subject="user-1", name="Camille")
SOURCE = "essai"
# Chambéry's library, and where the others are from it.
HERE = {"code_insee": "73065", "latitude": 45.5667, "longitude": 5.9236}
PLACES: dict[str, dict[str, Any]] = {
    "here": {},
    "next door, another commune": {
        "code_postal": "73290",
        "code_insee": "73179",
        "latitude": 45.575,
        "longitude": 5.91,
    },
    "same commune, further": {"latitude": 45.60, "longitude": 5.98},
    "far": {"code_postal": "73200", "code_insee": "73011", "latitude": 45.6755, "longitude": 6.3925},
    "described by the source": {},
    "withdrawn": {},
}


async def directory(db) -> dict[str, str]:
    """The places above (by name → id), one described by a record of the source, one withdrawn."""
    created = await create_places(
        db,
        [PlaceInput.model_validate(place_payload(nom=name, **values)) for name, values in PLACES.items()],
        ACTOR,
    )
    ids = {place.nom: place.id for place in created}
    await describe(db, ids["described by the source"], "r1")
    await withdraw_place(db, created[-1], ACTOR)
    return ids


async def describe(db, place_id: str, source_id: str) -> SourceRecord:
    now = utcnow()
    record = SourceRecord(
        source=SOURCE,
        kind="lieu",
        source_id=source_id,
        raw={},
        content_hash="",
        status="active",
        place_id=place_id,
        first_seen_at=now,
        last_seen_at=now,
        changed_at=now,
        needs_merge=False,
    )
    db.add(record)
    await db.flush()
    return record


def near(index: CandidateIndex, refused: set[str] = set()) -> list[str]:  # noqa: B006 (never mutated)
    # A record sharing the places' address, phone and SIRET: blocking keeps those of its commune or close.
    record = linkage.features({**place_payload(nom="ici"), **HERE})
    return [place_id for place_id, _ in index.sharing(record, refused)]


async def test_the_index_proposes_close_places_with_who_describes_them(db, monkeypatch):
    ids = await directory(db)
    index = CandidateIndex(SOURCE)
    await index.refresh(db)
    expected = sorted(
        ids[name]
        for name in ("here", "next door, another commune", "same commune, further", "described by the source")
    )
    assert near(index) == expected  # by id, as the query it replaces
    assert near(index, refused={ids["here"]}) == [
        place_id for place_id in expected if place_id != ids["here"]
    ]
    # The place the source describes is a candidate too, known as described by it: the clustering decides.
    assert index.origins(ids["described by the source"]) == {SOURCE} and index.origins(ids["here"]) == set()
    index.discard(ids["next door, another commune"])
    remaining = [place_id for place_id in expected if place_id != ids["next door, another commune"]]
    assert near(index) == remaining
    monkeypatch.setattr(candidates, "MAX_CANDIDATES", 1)
    assert near(index) == remaining[:1]


async def test_a_later_look_reads_what_changed_meanwhile(db, monkeypatch):
    ids = await directory(db)
    index = CandidateIndex(SOURCE)
    await index.refresh(db)
    [newcomer] = await create_places(db, [PlaceInput.model_validate(place_payload(nom="newcomer"))], ACTOR)
    here = await db.get(Place, ids["here"])
    await withdraw_place(db, here, ACTOR)
    await index.refresh(db)
    assert newcomer.id not in near(index) and ids["here"] in near(index)  # looked too recently to look again
    monkeypatch.setattr(candidates, "LOOK_AGAIN_AFTER", timedelta(0))
    await index.refresh(db)
    assert newcomer.id in near(index) and ids["here"] not in near(index)


async def test_the_database_has_the_last_word_before_a_merge(db):
    ids = await directory(db)
    assert await active_places(db, [ids["here"], ids["withdrawn"]]) == {ids["here"]}
    assert await active_places(db, []) == set()


def test_data_inclusion_producers_are_origins() -> None:
    assert origin_of("data-inclusion", {"source": "dora"}) == "data-inclusion/dora"
    assert origin_of("data-inclusion", {"source": "mediation-numerique"}) != origin_of(
        "data-inclusion", {"source": "dora"}
    )
    assert origin_of("data-inclusion", {}) == "data-inclusion"
    assert (
        origin_of("mednum73", {"source": "dora"}) == "mednum73"
    )  # a producer only means so for the aggregator


async def test_a_run_that_adds_many_records_refreshes_the_statistics_on_postgresql(
    sync, sync_app, fake_data_inclusion: FakeSource, monkeypatch
):
    catalogue(fake_data_inclusion)
    monkeypatch.setattr(storing, "ANALYZE_FROM_ROWS", 3)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, …)
    event.listen(sync_app.state.engine.sync_engine, "before_cursor_execute", listener)
    try:
        assert (await sync("data-inclusion")).status == "succeeded"
    finally:
        event.remove(sync_app.state.engine.sync_engine, "before_cursor_execute", listener)
    analyses = [statement for statement in statements if statement.startswith("ANALYZE")]
    postgresql = sync_app.state.engine.dialect.name == "postgresql"
    # 3 structures then 3 services, stored 2 by 2 (pages): analysed once 3 rows are stored, then once they
    # doubled.
    assert len(analyses) == (2 if postgresql else 0)
