"""Faults of the sources: after each, nothing stored is lost, the job says what happened, the next run
converges."""

import pytest
from sqlalchemy import func, select

from fne_directory.places.models import Place
from fne_directory.sync.models import SourceRecord
from tests.sync.fakes import FakeSource, di_structure
from tests.sync.test_data_inclusion import catalogue


async def active_places(db) -> set[str]:
    return set(await db.scalars(select(Place.nom).where(Place.status == "active")))


@pytest.mark.parametrize("fault", ["500", "timeout", "malformed", "truncated", "429"])
async def test_a_transient_fault_is_retried_and_the_run_completes(
    sync, fake_data_inclusion: FakeSource, db, fault
):
    catalogue(fake_data_inclusion)
    fake_data_inclusion.faults = ["ok", fault]  # the second request (page 2 of the structures) fails once
    job = await sync("data-inclusion")
    assert job.status == "succeeded", job.errors
    assert job.complete_snapshot and job.counts["created"] == 2


@pytest.mark.parametrize("fault", ["500", "timeout", "truncated"])
async def test_a_lasting_fault_keeps_what_is_stored_withdraws_nothing_and_the_next_run_converges(
    sync, fake_data_inclusion: FakeSource, db, fault
):
    catalogue(fake_data_inclusion)
    assert (await sync("data-inclusion")).status == "succeeded"
    removed = fake_data_inclusion.records["structures"].pop(2)  # withdrawn at the source meanwhile
    fake_data_inclusion.records["structures"][0] = di_structure(
        "dora--mediatheque", telephone="04 79 60 04 99"
    )
    fake_data_inclusion.failing = {"/api/v1/services": fault}
    job = await sync("data-inclusion")
    assert job.status == "partial"
    assert job.counts.get("withdrawn", 0) == 0 and not job.complete_snapshot
    assert "/api/v1/services" in job.errors[0]["message"] and "3 essais" in job.errors[0]["message"]
    # What came before the fault is stored and merged; the place missing from the source is still there.
    assert await active_places(db) == {"Médiathèque Jean-Jacques Rousseau", "Espace numérique d'Aix"}
    assert (
        await db.scalar(select(Place).where(Place.nom == "Médiathèque Jean-Jacques Rousseau"))
    ).telephone == "+33479600499"

    fake_data_inclusion.failing = {}
    job = await sync("data-inclusion")
    assert job.status == "succeeded" and job.counts["withdrawn"] == 1
    assert await active_places(db) == {"Médiathèque Jean-Jacques Rousseau"}
    assert removed["id"] in set(
        await db.scalars(select(SourceRecord.source_id).where(SourceRecord.status == "withdrawn"))
    )


async def test_an_unauthorised_token_fails_the_job_without_retrying(
    sync, fake_data_inclusion: FakeSource, sync_settings
):
    catalogue(fake_data_inclusion)
    sync_settings.sync_data_inclusion_token = "wrong"
    job = await sync("data-inclusion")
    assert job.status == "failed" and "HTTP 401" in job.errors[0]["message"]
    assert len(fake_data_inclusion.requests) == 1


async def test_records_moving_between_pages_during_a_run_are_neither_lost_nor_counted_twice(
    sync, fake_data_inclusion: FakeSource, db
):
    catalogue(fake_data_inclusion)
    arrived = di_structure(
        "mediation-numerique--gare",
        source="mediation-numerique",
        siret=None,
        nom="Point numérique de la Gare",
        adresse="Place de la Gare",
        latitude=45.5712,
        longitude=5.9196,
    )

    def insert_in_front_once(collection: str, page: int, state: FakeSource) -> None:
        # While page 2 is being asked for, a new structure appears on page 1: everything shifts by one.
        if collection == "structures" and page == 2 and arrived not in state.records["structures"]:
            state.records["structures"].insert(0, arrived)

    fake_data_inclusion.before_page = insert_in_front_once
    job = await sync("data-inclusion")
    assert job.status == "succeeded" and job.complete_snapshot, job.errors
    assert job.counts["duplicates"] >= 1  # the shifted record was met twice in the first pass
    assert "a bougé pendant la lecture" in job.errors[0]["message"]
    structures = await db.scalar(
        select(func.count()).select_from(SourceRecord).where(SourceRecord.kind == "lieu")
    )
    assert structures == 4  # three in Savoie and the new one, each once
    assert "Point numérique de la Gare" in await active_places(db)


async def test_duplicate_ids_across_pages_are_kept_once(sync, fake_data_inclusion: FakeSource, db):
    catalogue(fake_data_inclusion)
    structures = fake_data_inclusion.records["structures"]
    # The same structure served on pages 1 and 2, in two versions: the later one wins.
    structures.insert(2, {**structures[0], "telephone": "04 79 60 04 77"})
    job = await sync("data-inclusion")
    assert job.status == "succeeded" and job.complete_snapshot
    assert job.counts["duplicates"] == 1
    place = await db.scalar(select(Place).where(Place.nom == "Médiathèque Jean-Jacques Rousseau"))
    assert place.telephone == "+33479600477"


async def test_a_snapshot_missing_most_records_is_not_believed(sync, fake_data_inclusion: FakeSource, db):
    fake_data_inclusion.records = {
        "structures": [
            di_structure(
                f"dora--{index}",
                nom=f"Lieu numérique {index}",
                siret=None,
                adresse=f"{index} rue de Boigne",
                latitude=None,
                longitude=None,
            )
            for index in range(1, 13)
        ],
        "services": [],
    }
    for structure in fake_data_inclusion.records["structures"]:
        structure["source"] = "mediation-numerique"
    assert (await sync("data-inclusion")).counts["created"] == 12
    del fake_data_inclusion.records["structures"][3:]
    job = await sync("data-inclusion")
    assert job.status == "partial" and job.counts.get("withdrawn", 0) == 0
    assert "trop pour être cru" in job.errors[0]["message"]
    assert len(await active_places(db)) == 12


async def test_one_record_that_breaks_the_merge_does_not_stop_the_others(
    sync, sync_settings, fake_data_inclusion: FakeSource, db, monkeypatch: pytest.MonkeyPatch
):
    from fne_directory.sync import sources

    catalogue(fake_data_inclusion)
    connector = sources.connector_for(sync_settings, "data-inclusion")
    normalise = connector.normalise

    def broken_for_aix(raw, services):
        if raw["id"] == "mediation-numerique--aix":
            raise RuntimeError("bug")
        return normalise(raw, services)

    monkeypatch.setattr(connector, "normalise", broken_for_aix)
    job = await sync("data-inclusion", connector)
    assert job.status == "succeeded" and job.counts["created"] == 1
    assert job.errors == [{**job.errors[0], "stage": "merge", "source_id": "mediation-numerique--aix"}]
    assert await active_places(db) == {"Médiathèque Jean-Jacques Rousseau"}
    # The broken record was not left behind: with the bug gone, the next run merges it.
    assert (await sync("data-inclusion")).counts["created"] == 1
