"""The held-out scenario (tests/sync/scenario.py) through the real connectors, fakes of the real APIs and the
engine: one published place per real place, across sources and inside data·inclusion."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place
from fne_directory.sync import sources
from fne_directory.sync.models import MatchCandidate, PlaceMerge, SourceRecord
from fne_directory.territories.models import Commune
from tests.sync.scenario import Scenario, evaluate, generate


async def departement_communes(session: AsyncSession, code: str) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Commune)
        .where(Commune.departement_code == code, Commune.latitude.is_not(None))
        .order_by(Commune.code)
    )
    return [
        {
            "code": c.code,
            "nom": c.nom,
            "codes_postaux": c.codes_postaux,
            "population": c.population,
            "latitude": c.latitude,
            "longitude": c.longitude,
        }
        for c in rows
    ]


async def measured(session: AsyncSession, scenario: Scenario) -> dict[str, Any]:
    placed = {
        (source, source_id): place_id if status == "active" else None
        for source, source_id, place_id, status in await session.execute(
            select(
                SourceRecord.source, SourceRecord.source_id, SourceRecord.place_id, SourceRecord.status
            ).where(SourceRecord.kind == "lieu")
        )
    }
    pending = [
        ((source, source_id), place_id)
        for source, source_id, place_id in await session.execute(
            select(SourceRecord.source, SourceRecord.source_id, MatchCandidate.place_id)
            .join(SourceRecord, SourceRecord.id == MatchCandidate.record_id)
            .where(MatchCandidate.status == "pending")
        )
    ]
    # A pair of places proposed for review (sync/place_merges.py) is one review; accepting it joins the two
    # places (evaluate joins a record's place and the proposed one: one record of the other place is enough).
    for kept, other in await session.execute(
        select(PlaceMerge.place_id, PlaceMerge.other_id).where(PlaceMerge.status == "pending")
    ):
        member = (
            await session.execute(
                select(SourceRecord.source, SourceRecord.source_id)
                .where(SourceRecord.place_id == other, SourceRecord.kind == "lieu")
                .order_by(SourceRecord.id)
                .limit(1)
            )
        ).first()
        if member is not None:
            pending.append(((member[0], member[1]), kept))
    return evaluate(scenario.truth, placed, pending)


async def run_scenario(
    sync: Any, sync_app: Any, db: AsyncSession, fake_data_inclusion: Any, fake_yeswiki: Any, **options: Any
) -> tuple[Scenario, dict[str, Any]]:
    scenario = generate(await departement_communes(db, "73"), await departement_communes(db, "74"), **options)
    fake_data_inclusion.records = {"structures": scenario.structures, "services": scenario.services}
    fake_yeswiki.records = {"entries": scenario.entries}
    settings = sync_app.state.settings.model_copy(
        update={"sync_page_size": 500, "sync_data_inclusion_sources": ""}
    )
    for source in ("data-inclusion", "mednum73"):
        job = await sync(source, sources.connector_for(settings, source))
        assert job.status == "succeeded", (job.message, job.errors)
    return scenario, await measured(db, scenario)


# Seed 73: the scenario the figures of docs/benchmarks.md come from; 2026: one the model was never tuned on
# (held out). The bars on both: recall ≥ 0.90, review queue < 5 % (docs/benchmarks.md: every seed).
@pytest.mark.parametrize(("seed", "recall", "review"), [(73, 0.90, 0.05), (2026, 0.90, 0.05)])
async def test_one_place_per_real_place(
    sync,
    sync_app,
    db,
    fake_data_inclusion,
    fake_yeswiki,
    seed,
    recall,
    review,
) -> None:
    scenario, figures = await run_scenario(sync, sync_app, db, fake_data_inclusion, fake_yeswiki, seed=seed)
    automatic = figures["automatic"]
    assert len(scenario.structures) > 350 and len(scenario.entries) > 180  # the scale the issue describes
    for kind in ("across", "within_di"):
        assert automatic[kind]["precision"] >= 0.99, (kind, figures)
        assert automatic[kind]["recall"] >= recall, (kind, figures)
    assert figures["review_queue"] < review * figures["records"], figures
    assert figures["published_out_of_scope"] == 0, figures


async def test_records_are_put_right_not_lost(sync, sync_app, db, fake_data_inclusion, fake_yeswiki) -> None:
    scenario, _figures = await run_scenario(sync, sync_app, db, fake_data_inclusion, fake_yeswiki)
    records = {(row.source, row.source_id): row for row in await db.scalars(select(SourceRecord))}
    assert scenario.swapped and scenario.named_commune_only
    for key in scenario.swapped:  # latitude and longitude swapped: corrected, and said
        record = records[key]
        assert record.status == "active" and 45 < record.normalised["latitude"] < 46.5, key
        assert any("inversées" in warning["reason"] for warning in record.warnings), record.warnings
    resolved = 0
    for key, code in scenario.named_commune_only.items():  # "St-…", no article, a postal code shared
        record = records[key]
        if record.status == "active":
            place = await db.get(Place, record.place_id)
            assert place.code_insee == code, (key, record.normalised["commune"], place.commune)
            resolved += 1
        else:
            assert record.status == "quarantined" and "code postal" in record.quarantine_reasons[0]["reason"]
    assert resolved == len(scenario.named_commune_only)
    outside = [record for key, record in records.items() if scenario.truth.get(key, 0) is None]
    assert outside and all(
        record.status == "out_of_scope" and "hors du département servi" in record.warnings[0]["reason"]
        for record in outside
    )
    # Every place made of several records says why each joined: per criterion, with the cluster.
    merged = list(await db.scalars(select(MatchCandidate).where(MatchCandidate.status == "merged")))
    explained = {candidate.record_id for candidate in merged if candidate.reasons.get("criteres")}
    for place_id in {record.place_id for record in records.values() if record.place_id}:
        members = sorted(
            record.id
            for record in records.values()
            if record.place_id == place_id and record.status == "active"
        )
        assert len(set(members) - explained) <= 1, (place_id, members)  # all but the one it began with
