"""A synchronisation meeting the requests' writers: on SQLite its transactions wait their turn with them (the
kernel's `write_session`) instead of failing with "database is locked"; nothing is lost on either side."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from fne_directory.places.models import Place
from fne_directory.sync import service, sources
from fne_directory.sync.models import SourceRecord
from fne_directory.sync.transactions import writing
from fne_kernel.identity import Role
from tests.directory.factories import place_payload
from tests.support import asgi_client, identity_header, migrated_fresh, user_principal
from tests.sync.fakes import di_structure

STRUCTURES = 60
WRITERS = 4
REQUESTS_PER_WRITER = 15


async def test_a_sync_and_request_writers_at_once(
    databases, sync_settings, fake_data_inclusion, identity_keys
) -> None:
    from fne_directory.main import create_app
    from fne_directory.territories.loader import load_communes
    from fne_kernel.db import session_factory

    url = await migrated_fresh(databases, "fne_directory", "sync_writers")
    app = create_app(sync_settings.model_copy(update={"database_url": url, "sync_page_size": 5}))
    sessions = session_factory(app.state.engine)
    async with sessions() as session, session.begin():
        await load_communes(session)
    fake_data_inclusion.records = {
        "structures": [
            di_structure(
                f"mn-{n}",
                source="mediation-numerique",
                nom=f"Espace numérique Lieu{n:02d}x",  # names, streets and positions of their own
                siret=None,
                telephone=None,
                courriel=None,
                adresse=f"{n + 1} rue Numéro{n:02d}x",
                latitude=45.5667 + n / 100,
            )
            for n in range(STRUCTURES)
        ],
        "services": [],
    }
    settings = app.state.settings
    async with writing(sessions) as session:
        job = await service.start_job(session, "data-inclusion", "cli", "tests")
    run = asyncio.create_task(
        service.execute_run(sessions, settings, job, sources.connector_for(settings, "data-inclusion"))
    )
    statuses: list[int] = []
    # A signed identity lives 60 s; the run may last longer on a loaded machine.
    coordinator = identity_header(identity_keys[0], user_principal(Role.COORDINATOR), timedelta(hours=1))

    async def write(client, worker: int) -> None:
        n = 0
        while not run.done() and n < REQUESTS_PER_WRITER:  # bounded: a loaded machine slows the run
            response = await client.post(
                "/lieux", headers=coordinator, json=place_payload(nom=f"Lieu saisi {worker}-{n}")
            )
            statuses.append(response.status_code)
            n += 1

    async with asgi_client(app, "http://directory") as client:
        await asyncio.gather(*(write(client, worker) for worker in range(WRITERS)))
    job = await run
    try:
        assert job.status == "succeeded", (job.message, job.errors)
        assert job.errors == []
        assert job.counts["created"] == STRUCTURES, job.counts
        assert statuses and set(statuses) == {201}, statuses
        async with sessions() as session:
            assert (
                await session.scalar(
                    select(func.count()).select_from(SourceRecord).where(SourceRecord.needs_merge.is_(True))
                )
                == 0
            )
            places = await session.scalar(
                select(func.count()).select_from(Place).where(Place.status == "active")
            )
        assert places == STRUCTURES + len(statuses)
    finally:
        await app.state.engine.dispose()
