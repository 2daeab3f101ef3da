"""Batches merged at once (PostgreSQL with a pool of connections), on a database of their own: each run's
transactions commit for real here, which the other tests' rolled-back sessions (one connection) cannot
show."""

import asyncio
from collections.abc import AsyncIterator
from typing import cast

import pytest
from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.config import Settings
from fne_directory.places.models import Place
from fne_directory.sync import merging, service, sources
from fne_directory.sync.models import FieldProvenance, SourceRecord
from fne_directory.territories.models import Commune, CommunePostalCode
from fne_kernel.db import create_engine, session_factory
from tests.sync.conftest import DI_TOKEN, DORA_TOKEN
from tests.sync.fakes import FakeSource, di_service, di_structure
from tests.sync.test_data_inclusion import catalogue
from tests.sync.test_sources import dora_catalogue


@pytest.fixture
async def committed_sessions(databases, communes) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a fresh database holding Savoie's communes, copied from the reference database."""
    reference = create_engine(await databases.migrated("fne_directory", "directory"))
    fresh = create_engine(await databases.migrated("fne_directory", "sync_batches"))
    try:
        async with reference.connect() as source, fresh.begin() as target:
            for table, savoie in (
                (Commune.__table__, Commune.departement_code == "73"),
                (CommunePostalCode.__table__, CommunePostalCode.code_postal.startswith("73")),
            ):
                rows = [dict(row._mapping) for row in await source.execute(select(table).where(savoie))]
                await target.execute(insert(cast(Table, table)), rows)
        yield session_factory(fresh)
    finally:
        await reference.dispose()
        await fresh.dispose()


async def run(sessions, settings: Settings, source: str):
    async with sessions() as session, session.begin():
        job = await service.start_job(session, source, "cli", "tests")
    return await service.execute_run(sessions, settings, job, sources.connector_for(settings, source))


async def test_batches_merged_at_once_give_what_one_batch_at_a_time_gives(
    committed_sessions, databases, fake_data_inclusion: FakeSource, fake_dora: FakeSource, monkeypatch
) -> None:
    settings = Settings(
        database_url="unused",
        sync_scheduler=False,
        sync_page_size=3,
        sync_data_inclusion_url=fake_data_inclusion.url,
        sync_data_inclusion_token=DI_TOKEN,
        sync_data_inclusion_sources="dora,mediation-numerique",
        sync_dora_url=fake_dora.url,
        sync_dora_token=DORA_TOKEN,
    )
    catalogue(fake_data_inclusion)
    for index in range(8):  # more places, in Chambéry and Aix, each its own batch below
        fake_data_inclusion.records["structures"].append(
            di_structure(
                f"dora--lieu{index}",
                nom=f"Lieu numérique {index}",
                siret=None,
                adresse=f"{index + 1} rue Sommeiller",
                telephone=None,
                courriel=None,
                latitude=45.5667 + index / 100,
            )
        )
        fake_data_inclusion.records["services"].append(di_service(f"dora--t{index}", f"dora--lieu{index}"))
    dora_catalogue(fake_dora)
    monkeypatch.setattr(merging, "MERGE_BATCH", 1)
    at_once, most = 0, 0
    merge_batch = merging._merge_batch

    async def counted(*args, **kwargs):
        nonlocal at_once, most
        at_once += 1
        most = max(most, at_once)
        try:
            await asyncio.sleep(0)  # let the other batch start
            return await merge_batch(*args, **kwargs)
        finally:
            at_once -= 1

    monkeypatch.setattr(merging, "_merge_batch", counted)

    first = await run(committed_sessions, settings, "data-inclusion")
    assert first.status == "succeeded" and first.counts["created"] == 10 and first.counts["out_of_scope"] == 1
    assert most == (merging.MERGE_CONCURRENCY if databases.backend == "postgresql" else 1)
    dora = await run(committed_sessions, settings, "dora")
    assert dora.status == "succeeded" and (dora.counts["merged"], dora.counts["created"]) == (1, 1)
    again = await run(committed_sessions, settings, "data-inclusion")
    assert again.counts["unchanged"] == again.counts["fetched"] and not again.counts.get("created")

    async with committed_sessions() as session:
        places = await session.scalar(select(func.count()).select_from(Place).where(Place.status == "active"))
        assert places == 11  # 10 from data·inclusion, DORA's library merged into one of them, its other new
        unplaced = await session.scalar(
            select(func.count())
            .select_from(SourceRecord)
            .where(
                SourceRecord.kind == "lieu", SourceRecord.status == "active", SourceRecord.place_id.is_(None)
            )
        )
        assert unplaced == 0
        without_provenance = await session.scalar(
            select(func.count())
            .select_from(Place)
            .where(~select(FieldProvenance.place_id).where(FieldProvenance.place_id == Place.id).exists())
        )
        assert without_provenance == 0
