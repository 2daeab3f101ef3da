"""The roadmap refresh is a job (202, progress, 409 while one runs), jobs are cancelled (`…/annulation`) and
interrupted ones publish nothing; an unchanged computation stores no new dataset version, only its date of
check."""

import asyncio
from datetime import timedelta

import pytest
from aiohttp import web
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.imports.models import DatasetImport
from fne_observatory.jobs import service as jobs
from fne_observatory.jobs.models import ComputationJob
from fne_observatory.roadmap_values.background import refresh_every_source
from tests.fakes.network import FakeNetwork, fake_network, measure
from tests.observatory.fakes import serve
from tests.observatory.jobs import finished_job
from tests.observatory.test_computed_roadmap import CHAMBERY, MEASURES, YEAR, _indicator, use_sources

PROBLEM = "application/problem+json"
CLOSED = "http://127.0.0.1:9"


class SlowNetwork:
    """The network service answering only when released (the job is caught while it reads)."""

    def __init__(self) -> None:
        self.entered, self.release = asyncio.Event(), asyncio.Event()

    async def statistics(self, request: web.Request) -> web.Response:
        self.entered.set()
        await self.release.wait()
        return web.json_response({"genere_le": "2026-12-03T12:00:00Z", "mesures": MEASURES})


async def _job(db: AsyncSession, job_id: str) -> ComputationJob:
    job = await db.get(ComputationJob, job_id, populate_existing=True)
    assert job is not None
    return job


async def _count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(DatasetImport)) or 0


async def test_the_roadmap_refresh_is_a_job_followed_then_cancelled(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, mediator: dict, db: AsyncSession
):
    slow = SlowNetwork()
    async with serve([web.get("/statistiques", slow.statistics)]) as url:
        use_sources(observatory_app, CLOSED, url, CLOSED, token="")
        started = await observatory.post(
            "/calculs/feuille-de-route", params={"source": "reseau"}, headers=coordinator
        )
        assert started.status_code == 202, started.text
        job = started.json()
        location = started.headers["location"]
        assert location == f"/calculs/taches/{job['id']}" and job["type"] == "feuille-de-route"
        assert job["parametres"] == {"sources": ["reseau"], "ignorees": {}}
        await asyncio.wait_for(slow.entered.wait(), 10)
        running = (await observatory.get(location, headers=coordinator)).json()
        assert (running["statut"], running["message"]) == ("en_cours", "Lecture du service réseau")
        again = await observatory.post("/calculs/feuille-de-route", headers=coordinator)
        assert again.status_code == 409 and again.json()["tache_id"] == job["id"]
        listed = await observatory.get(
            "/calculs/taches", params={"type": "feuille-de-route"}, headers=coordinator
        )
        assert [item["id"] for item in listed.json()["items"]] == [job["id"]]

        assert (await observatory.post(f"{location}/annulation", headers=mediator)).status_code == 403
        cancelled = await observatory.post(f"{location}/annulation", headers=coordinator)
        assert cancelled.status_code == 200, cancelled.text
        body = cancelled.json()
        assert body["statut"] == "annulee" and body["annule_par"]
        assert "rien n'a été publié" in body["message"] and body["termine_le"]
        task = observatory_app.state.computation_tasks.get(job["id"])
        if task is not None:
            await asyncio.wait_for(task, 10)  # stopped at once, ending normally
        slow.release.set()
    assert await _count(db) == 0
    shown = (await observatory.get(location, headers=coordinator)).json()
    assert shown["statut"] == "annulee" and shown["resultats"] == []
    twice = await observatory.post(f"{location}/annulation", headers=coordinator)
    assert twice.status_code == 409 and twice.headers["content-type"] == PROBLEM
    assert twice.json()["title"] == "Calcul terminé : rien à annuler"
    assert (twice.json()["tache_id"], twice.json()["statut"]) == (job["id"], "annulee")
    unknown = await observatory.post(
        "/calculs/taches/00000000-0000-0000-0000-000000000000/annulation", headers=coordinator
    )
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM
    # A cancelled job does not block the next one.
    async with fake_network(FakeNetwork(MEASURES)) as network:
        use_sources(observatory_app, CLOSED, network.url, CLOSED, token="")
        done = await finished_job(
            observatory_app, observatory, coordinator, "/calculs/feuille-de-route?source=reseau"
        )
    assert done["statut"] == "reussie" and [item["jeu"] for item in done["resultats"]] == ["fdr-reseau"]


async def test_a_job_cancelled_elsewhere_or_before_it_starts_publishes_nothing(
    observatory_app: FastAPI,
    observatory: AsyncClient,
    coordinator: dict,
    db: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
):
    # Queued, then cancelled before its work began: the work never runs.
    queued = await jobs.start_job(db, "feuille-de-route", {}, "test")
    queued.status = "cancelled"
    await db.commit()
    ran = []

    async def work(progress: jobs.Progress) -> jobs.Store:
        ran.append(True)
        raise AssertionError("never reached")

    await jobs.execute(observatory_app.state.sessions, queued.id, work)
    assert ran == [] and (await _job(db, queued.id)).status == "cancelled"

    # Running, cancelled by another replica (the database says so): its heartbeat stops the work. The
    # heartbeat beats once the mark is written (the test and the job share one connection: never at once).
    waiting = asyncio.Event()

    async def after_the_mark(seconds: float) -> None:
        await waiting.wait()

    monkeypatch.setattr(jobs, "_pause", after_the_mark)
    running = await jobs.start_job(db, "feuille-de-route", {}, "test")
    await db.commit()

    async def endless(progress: jobs.Progress) -> jobs.Store:
        await progress(0.1, "Lecture")
        other = await _job(db, running.id)
        other.status = "cancelled"
        await db.commit()
        waiting.set()
        await asyncio.sleep(60)
        raise AssertionError("never reached")

    await asyncio.wait_for(jobs.execute(observatory_app.state.sessions, running.id, endless), 10)
    assert waiting.is_set() and await _count(db) == 0


async def test_an_interrupted_job_publishes_nothing_and_is_recorded(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, db: AsyncSession
):
    # The service stops while a job runs: the job is marked interrupted at once, nothing published.
    slow = SlowNetwork()
    async with serve([web.get("/statistiques", slow.statistics)]) as url:
        use_sources(observatory_app, CLOSED, url, CLOSED, token="")
        started = await observatory.post(
            "/calculs/feuille-de-route", params={"source": "reseau"}, headers=coordinator
        )
        await asyncio.wait_for(slow.entered.wait(), 10)
        stopping = asyncio.get_running_loop().create_task(jobs.stop_jobs_at_shutdown(observatory_app))
        await asyncio.sleep(0)
        stopping.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stopping
        slow.release.set()
    shown = (await observatory.get(started.headers["location"], headers=coordinator)).json()
    assert shown["statut"] == "interrompue" and "Service arrêté" in shown["message"]
    assert await _count(db) == 0

    # A process that died (no heartbeat for 10 minutes): its job is recorded as interrupted when the next
    # one starts, and if that process was only stalled its work stops instead of publishing.
    stale = await jobs.start_job(db, "feuille-de-route", {}, "test")
    stale.status = "running"
    stale.heartbeat_at -= jobs.STALE_AFTER + timedelta(minutes=1)
    await db.commit()
    async with fake_network(FakeNetwork(MEASURES)) as network:
        use_sources(observatory_app, CLOSED, network.url, CLOSED, token="")
        fresh = await finished_job(
            observatory_app, observatory, coordinator, "/calculs/feuille-de-route?source=reseau"
        )
    assert fresh["statut"] == "reussie"
    recorded = await _job(db, stale.id)
    assert recorded.status == "interrupted" and recorded.finished_at is not None
    with pytest.raises(jobs.Stopped):
        await jobs._update(observatory_app.state.sessions, stale.id, "running", progress=0.5)
    interrupted = await observatory.post(f"/calculs/taches/{stale.id}/annulation", headers=coordinator)
    assert interrupted.status_code == 409 and interrupted.json()["statut"] == "interrompue"


async def test_unchanged_values_store_no_new_version_but_their_date_of_check(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, db: AsyncSession
):
    state = FakeNetwork(list(MEASURES))
    async with fake_network(state) as network:
        use_sources(observatory_app, CLOSED, network.url, CLOSED, token="")
        path = "/calculs/feuille-de-route?source=reseau&source=observatoire"
        first = await finished_job(observatory_app, observatory, coordinator, path)
        assert first["statut"] == "reussie", first
        second = await finished_job(observatory_app, observatory, coordinator, path)
        # The network's values, unchanged, are checked; the committees' dataset now counts one published
        # dataset (the network's): its first version.
        assert await _count(db) == 2
        # The scheduled pass too: each source checked, nothing stored again.
        outcomes = await refresh_every_source(observatory_app)
        assert outcomes["reseau"] == "calculée" and outcomes["observatoire"] == "calculée"
        versions = {item["jeu"]: item for item in second["resultats"]}
        assert (
            versions["fdr-reseau"]["version"] == 1
            and versions["fdr-reseau"]["id"] == first["resultats"][0]["id"]
        )
        assert versions["fdr-reseau"]["verifie_le"] > versions["fdr-reseau"]["cree_le"]
        assert await _count(db) == 2
        listed = (await observatory.get("/feuille-de-route/indicateurs-calcules")).json()
        row = next(item for item in listed if item["indicateur"] == "7.2")
        assert row["verifie_le"] > row["calcule_le"]
        indicator = await _indicator(observatory, "7.2")
        assert indicator["derniere_valeur"]["verifie_le"] > indicator["derniere_valeur"]["calcule_le"]

        # A value changes: a new version, published over the first.
        state.measures.append(measure("conseillers_numeriques_actifs", CHAMBERY, YEAR, 1))
        third = await finished_job(observatory_app, observatory, coordinator, path)
    changed = next(item for item in third["resultats"] if item["jeu"] == "fdr-reseau")
    assert changed["version"] == 2 and changed["statut"] == "publie"
    assert await _count(db) == 3
    assert (await _indicator(observatory, "7.2"))["derniere_valeur"]["valeur"] == 8
    imports = (await observatory.get("/imports", params={"jeu": "fdr-reseau"}, headers=coordinator)).json()
    assert [item["statut"] for item in imports["items"]] == ["publie", "remplace"]
