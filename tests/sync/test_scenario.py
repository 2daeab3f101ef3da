"""The held-out scenario (tests/sync/scenario.py) through the real connectors, fakes of the real APIs and the
engine: one published place per real place, across sources and inside data·inclusion."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place
from fne_directory.sync import sources
from fne_directory.sync.models import MatchCandidate, SourceRecord
from fne_directory.territories.models import Commune
from tests.sync.scenario import Scenario, evaluate, generate


async def departement_communes(session: AsyncSession, code: str) -> list[dict[str, Any]]:
    rows = await session.scalars(select(Commune).where(Commune.departement_code == code,
                                                       Commune.latitude.is_not(None)).order_by(Commune.code))
    return [{"code": c.code, "nom": c.nom, "codes_postaux": c.codes_postaux, "population": c.population,
             "latitude": c.latitude, "longitude": c.longitude} for c in rows]


async def measured(session: AsyncSession, scenario: Scenario) -> dict[str, Any]:
    placed = {(source, source_id): place_id if status == "active" else None
              for source, source_id, place_id, status in await session.execute(
                  select(SourceRecord.source, SourceRecord.source_id, SourceRecord.place_id, SourceRecord.status)
                  .where(SourceRecord.kind == "lieu"))}
    pending = [((source, source_id), place_id) for source, source_id, place_id in await session.execute(
        select(SourceRecord.source, SourceRecord.source_id, MatchCandidate.place_id)
        .join(SourceRecord, SourceRecord.id == MatchCandidate.record_id).where(MatchCandidate.status == "pending"))]
    return evaluate(scenario.truth, placed, pending)


async def run_scenario(sync: Any, sync_app: Any, db: AsyncSession, fake_data_inclusion: Any,
                       fake_yeswiki: Any, **options: Any) -> tuple[Scenario, dict[str, Any]]:
    scenario = generate(await departement_communes(db, "73"), await departement_communes(db, "74"), **options)
    fake_data_inclusion.records = {"structures": scenario.structures, "services": scenario.services}
    fake_yeswiki.records = {"entries": scenario.entries}
    settings = sync_app.state.settings.model_copy(update={"sync_page_size": 500, "sync_data_inclusion_sources": ""})
    for source in ("data-inclusion", "mednum73"):
        job = await sync(source, sources.connector_for(settings, source))
        assert job.status == "succeeded", (job.message, job.errors)
    return scenario, await measured(db, scenario)


async def test_one_place_per_real_place(sync, sync_app, db, fake_data_inclusion, fake_yeswiki) -> None:  # type: ignore[no-untyped-def]
    scenario, figures = await run_scenario(sync, sync_app, db, fake_data_inclusion, fake_yeswiki)
    print(figures)
    automatic = figures["automatic"]
    assert len(scenario.structures) > 350 and len(scenario.entries) > 180  # the scale the issue describes
    for kind in ("across", "within_di"):
        assert automatic[kind]["precision"] >= 0.99, (kind, figures)
        assert automatic[kind]["recall"] >= 0.90, (kind, figures)
    assert figures["review_queue"] < 0.05 * figures["records"], figures
    assert figures["published_out_of_scope"] == 0, figures


async def test_debug_i19(sync, sync_app, db, fake_data_inclusion, fake_yeswiki) -> None:  # type: ignore[no-untyped-def]
    import os
    if not os.environ.get("I19_DEBUG"):
        return
    scenario, figures = await run_scenario(sync, sync_app, db, fake_data_inclusion, fake_yeswiki)
    rows = (await db.execute(select(SourceRecord.source, SourceRecord.source_id, SourceRecord.place_id,
                                    SourceRecord.normalised, SourceRecord.status))).all()
    by_truth: dict[Any, list[Any]] = {}
    for row in rows:
        by_truth.setdefault(scenario.truth.get((row.source, row.source_id)), []).append(row)
    shown = 0
    for truth, members in by_truth.items():
        if truth is None or len({m.place_id for m in members}) == 1:
            continue
        shown += 1
        if shown > 25:
            break
        print("----", truth)
        for m in members:
            n = m.normalised or {}
            print(m.source, m.source_id, m.place_id[:8] if m.place_id else None, m.status, "|", n.get("nom"), "|",
                  n.get("adresse"), "|", n.get("commune"), n.get("latitude"), n.get("longitude"), n.get("telephone"),
                  n.get("courriels"), n.get("pivot"))
    q = (await db.execute(select(SourceRecord.source_id, SourceRecord.quarantine_reasons, SourceRecord.raw)
                          .where(SourceRecord.status == "quarantined"))).all()
    for row in q[:8]:
        print("QUAR", row.source_id, row.quarantine_reasons, row.raw.get("bf_ville"), row.raw.get("bf_code_postal"))
    print("QUAR count", len(q))
    cands = (await db.execute(select(MatchCandidate.record_id, MatchCandidate.score, MatchCandidate.reasons)
                              .where(MatchCandidate.status == "pending").limit(15))).all()
    for c in cands:
        print("REVIEW", c.score, c.reasons)
