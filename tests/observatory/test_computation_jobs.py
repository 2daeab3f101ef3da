"""Long computations are jobs (issue #12): 202 with a Location, progress while running, the published result
or the problem at the end, nothing half-written; never a 504 however long the work."""

import asyncio

import orjson
from aiohttp import web
from fastapi import FastAPI
from httpx import AsyncClient

from fne_observatory.directory_figures.client import DirectoryClient
from fne_observatory.jobs.service import start_job
from tests.observatory.fakes import serve, standard_place
from tests.observatory.jobs import finished_job


async def test_a_slow_directory_computation_is_followed_while_it_runs(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    entered, release = asyncio.Event(), asyncio.Event()
    commune = (await observatory.get("/territoires/commune/73065")).json()
    place = standard_place(
        1, "73065", commune["latitude"], commune["longitude"], ["Conseillers numériques"], "2026-11-01"
    )

    async def export(request: web.Request) -> web.Response:
        # The directory takes its time: the request that started the job is long answered.
        entered.set()
        await release.wait()
        return web.Response(body=orjson.dumps([place]), content_type="application/json")

    async def no_permanences(request: web.Request) -> web.Response:
        return web.Response(body=b"[]", content_type="application/json")

    routes = [web.get("/exports/lieux.json", export), web.get("/permanences/communes", no_permanences)]
    async with serve(routes) as url:
        observatory_app.state.directory_client = DirectoryClient(url, timeout=30, retries=0)
        started = await observatory.post("/calculs/annuaire", headers=coordinator)
        assert started.status_code == 202, started.text
        job = started.json()
        assert (job["type"], job["statut"], job["avancement"]) == ("annuaire", "en_attente", 0)
        assert job["parametres"] == {"perimetre": ["73"], "seuil_minutes": 20}
        location = started.headers["location"]
        assert location == f"/calculs/taches/{job['id']}"
        # The job is reading the directory (the tests' requests and the job share one database connection:
        # they take turns).
        await asyncio.wait_for(entered.wait(), 10)
        running = (await observatory.get(location, headers=coordinator)).json()
        assert running["message"] == "Lecture de l'annuaire"
        assert (running["statut"], running["avancement"], running["resultat"]) == ("en_cours", 0.05, None)
        # A second computation of the directory waits for this one: 409, nothing started.
        again = await observatory.post("/calculs/annuaire", headers=coordinator)
        assert again.status_code == 409 and again.json()["tache_id"] == job["id"]
        assert again.headers["content-type"].startswith("application/problem+json")
        release.set()
        await observatory_app.state.computation_tasks[job["id"]]
    done = (await observatory.get(location, headers=coordinator)).json()
    assert (done["statut"], done["avancement"], done["message"]) == ("reussie", 1, "Calcul publié")
    assert done["resultat"]["statut"] == "publie" and done["resultat"]["rapport"]["lieux_comptes"] == 1
    assert done["termine_le"] >= done["commence_le"] >= done["cree_le"]
    listed = (
        await observatory.get("/calculs/taches", headers=coordinator, params={"type": "annuaire"})
    ).json()
    assert [item["id"] for item in listed["items"]] == [job["id"]] and listed["total"] == 1


async def test_a_failed_computation_publishes_nothing_and_says_why(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    async def broken(request: web.Request) -> web.Response:
        return web.Response(
            body=b'[{"code_insee": "73065", "latitude": 45.5', content_type="application/json"
        )

    async with serve([web.get("/exports/lieux.json", broken)]) as url:
        observatory_app.state.directory_client = DirectoryClient(url, timeout=5, retries=0)
        job = await finished_job(observatory_app, observatory, coordinator, "/calculs/annuaire")
    assert job["statut"] == "echouee" and job["import_id"] is None and job["resultat"] is None
    assert job["erreur"]["status"] == 502 and "illisible" in job["erreur"]["detail"]
    assert (await observatory.get("/imports", headers=coordinator)).json()["total"] == 0
    # A failed job does not block the next one.
    next_job = await finished_job(observatory_app, observatory, coordinator, "/calculs/annuaire")
    assert next_job["statut"] == "echouee" and next_job["id"] != job["id"]


async def test_bad_requests_are_french_problems_and_start_nothing(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, mediator: dict, db
):
    bad = await observatory.post(
        "/calculs/enquetes", headers=coordinator, json={"referentiel": "pix", "periode": "semaine"}
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "periode"
    unknown = await observatory.get(
        "/calculs/taches/00000000-0000-0000-0000-000000000000", headers=coordinator
    )
    assert unknown.status_code == 404 and unknown.json()["title"] == "Calcul introuvable"
    malformed = await observatory.get("/calculs/taches/pas-un-identifiant", headers=coordinator)
    assert malformed.status_code == 422
    assert (await observatory.post("/calculs/annuaire")).status_code == 401
    assert (await observatory.post("/calculs/annuaire", headers=mediator)).status_code == 403
    assert (await observatory.get("/calculs/taches", headers=mediator)).status_code == 403
    assert (await observatory.get("/calculs/taches", headers=coordinator)).json()["total"] == 0
    # A job left running by a stopped process (no heartbeat for 10 minutes) no longer blocks and says so.
    stale = await start_job(db, "enquetes", {}, "test")
    stale.status = "running"
    stale.heartbeat_at = stale.heartbeat_at.replace(year=2020)
    await db.commit()
    shown = (await observatory.get(f"/calculs/taches/{stale.id}", headers=coordinator)).json()
    assert shown["statut"] == "interrompue" and "Relancez" in shown["message"]
    # The former `/calculs/jobs…` paths answer the same for one release, hidden from OpenAPI.
    for new, old in (
        (f"/calculs/taches/{stale.id}", f"/calculs/jobs/{stale.id}"),
        ("/calculs/taches", "/calculs/jobs"),
    ):
        assert (await observatory.get(old, headers=coordinator)).json() == (
            await observatory.get(new, headers=coordinator)
        ).json()
    assert (await observatory.get("/calculs/jobs", headers=mediator)).status_code == 403
    assert not any("/jobs" in path for path in observatory_app.openapi()["paths"])
