"""The /sync API: access, running a source, one run per source, cancellation, listings."""

from fne_directory.sync import service
from fne_kernel.identity import Principal, Scope
from tests.support import identity_header
from tests.sync.fakes import FakeSource
from tests.sync.test_data_inclusion import catalogue


def key(identity_keys: tuple[str, str], *scopes: str) -> dict[str, str]:
    return identity_header(
        identity_keys[0], Principal(kind="api_key", subject="key-1", name="DORA", scopes=frozenset(scopes))
    )


async def test_every_sync_route_needs_the_right_scope(client, identity_keys):
    reader_without_scope = key(identity_keys, Scope.OBSERVATORY_WRITE)
    runner, reviewer = key(identity_keys, Scope.SYNC_RUN), key(identity_keys, Scope.DIRECTORY_WRITE)
    for method, path, allowed in (
        ("get", "/sync/taches", runner),
        ("get", "/sync/enregistrements", runner),
        ("post", "/sync/sources/data-inclusion/taches", runner),
        ("get", "/sync/revue", reviewer),
        ("get", "/sync/rapprochement", reviewer),
        ("post", "/sync/revue/1/confirmation", reviewer),
        ("post", "/sync/enregistrements/1/separation", reviewer),
        ("delete", "/sync/lieux/1/manuel/telephone", reviewer),
    ):
        assert (await client.request(method, path)).status_code == 401, path
        assert (await client.request(method, path, headers=reader_without_scope)).status_code == 403, path
        other = reviewer if allowed is runner else runner
        assert (await client.request(method, path, headers=other)).status_code == 403, path


async def test_a_run_started_through_the_api_is_followed_to_its_end(
    client, sync_app, identity_keys, fake_data_inclusion: FakeSource
):
    catalogue(fake_data_inclusion)
    runner = key(identity_keys, Scope.SYNC_RUN)
    started = await client.post("/sync/sources/data-inclusion/taches", headers=runner)
    assert started.status_code == 202 and started.json()["statut"] == "en_cours"
    assert started.headers["Location"] == f"/sync/taches/{started.json()['id']}"
    await sync_app.state.sync_tasks[started.json()["id"]]
    job = (await client.get(started.headers["Location"], headers=runner)).json()
    assert job["statut"] == "reussie" and job["declencheur"] == "api" and job["cree_par"] == "DORA"
    assert job["compteurs"]["crees"] == 2 and job["compteurs"]["lus"] == 6 and job["termine_le"]
    assert not job["annulation_demandee"] and job["erreurs"] == []
    listed = (await client.get("/sync/taches", params={"source": "data-inclusion"}, headers=runner)).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == job["id"]
    sources = {source["nom"]: source for source in (await client.get("/sync/sources", headers=runner)).json()}
    assert sources["data-inclusion"]["derniere_tache"] == job and sources["dora"]["configuree"]


async def test_one_run_per_source_at_a_time_and_a_cancelled_run_withdraws_nothing(
    client, sync_app, db, identity_keys, fake_data_inclusion: FakeSource, sync
):
    catalogue(fake_data_inclusion)
    runner = key(identity_keys, Scope.SYNC_RUN)
    async with sync_app.state.sessions() as session, session.begin():
        running = await service.start_job(session, "data-inclusion", "cli", "ailleurs")
    busy = await client.post("/sync/sources/data-inclusion/taches", headers=runner)
    assert busy.status_code == 409 and busy.json()["tache_id"] == running.id
    cancelled = await client.post(f"/sync/taches/{running.id}/annulation", headers=runner)
    assert cancelled.status_code == 200 and cancelled.json()["annulation_demandee"]
    assert cancelled.json()["declencheur"] == "cli" and cancelled.json()["statut"] == "en_cours"
    job = await service.execute_run(
        sync_app.state.sessions,
        sync_app.state.settings,
        running,
        service.sources.connector_for(sync_app.state.settings, "data-inclusion"),
    )
    assert job.status == "cancelled" and job.counts.get("created", 0) == 0
    finished = await client.post(f"/sync/taches/{running.id}/annulation", headers=runner)
    assert finished.status_code == 409
    assert (finished.json()["tache_id"], finished.json()["statut"]) == (running.id, "annulee")
    shown = (await client.get(f"/sync/taches/{running.id}", headers=runner)).json()
    assert shown["statut"] == "annulee" and shown["compteurs"].get("crees", 0) == 0
    assert (await sync("data-inclusion")).status == "succeeded"


async def test_the_former_jobs_paths_answer_as_the_tasks_paths_and_stay_out_of_openapi(
    client, sync_app, identity_keys
):
    """`/sync/jobs…` were renamed `/sync/taches…`: the old paths answer the same for one release, hidden."""
    runner = key(identity_keys, Scope.SYNC_RUN)
    async with sync_app.state.sessions() as session, session.begin():
        running = await service.start_job(session, "data-inclusion", "cli", "ailleurs")
    for new, old in (
        ("/sync/taches", "/sync/jobs"),
        (f"/sync/taches/{running.id}", f"/sync/jobs/{running.id}"),
    ):
        assert (await client.get(old, headers=runner)).json() == (
            await client.get(new, headers=runner)
        ).json()
    assert (await client.get("/sync/jobs")).status_code == 401
    cancelled = await client.post(f"/sync/jobs/{running.id}/annulation", headers=runner)
    assert cancelled.status_code == 200 and cancelled.json()["annulation_demandee"]
    again = await client.post(f"/sync/taches/{running.id}/annulation", headers=runner)
    assert again.json() == (await client.post(f"/sync/jobs/{running.id}/annulation", headers=runner)).json()
    busy = await client.post("/sync/sources/data-inclusion/runs", headers=runner)  # the former start path
    assert busy.status_code == 409 and busy.json()["tache_id"] == running.id
    paths = sync_app.openapi()["paths"]
    assert "/sync/taches/{job_id}/annulation" in paths and "/sync/sources/{source}/taches" in paths
    assert not any("/jobs" in path or path.endswith("/runs") for path in paths)


async def test_unknown_or_unconfigured_sources_are_clear_errors(client, identity_keys, sync_settings):
    runner = key(identity_keys, Scope.SYNC_RUN)
    unknown = await client.post("/sync/sources/facebook/taches", headers=runner)
    assert unknown.status_code == 404 and unknown.json()["allowed"] == ["data-inclusion", "dora", "mednum73"]
    sync_settings.sync_dora_url = ""
    off = await client.post("/sync/sources/dora/taches", headers=runner)
    assert off.status_code == 409 and "DIRECTORY_SYNC_DORA_URL" in off.json()["detail"]
    assert (await client.get("/sync/taches/nope", headers=runner)).status_code == 404


async def test_due_sources_run_once_per_interval(sync_app, fake_data_inclusion: FakeSource):
    catalogue(fake_data_inclusion)
    sessions, settings = sync_app.state.sessions, sync_app.state.settings
    first = await service.run_due(sessions, settings, None)
    assert sorted(job.source for job in first) == ["data-inclusion", "dora", "mednum73"]
    assert all(job.trigger == "schedule" for job in first)
    assert await service.run_due(sessions, settings, None) == []  # none is due again before its interval
    settings.sync_dora_interval_minutes = 0  # never scheduled
    settings.sync_data_inclusion_interval_minutes = 0
    assert await service.run_due(sessions, settings, None) == []
