"""Zones blanches: a commune where a conseiller numérique holds a permanence — a stop of an itinerant tour
included — is reached, whatever its travel time to the nearest conseiller's place."""

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.imports.models import DatasetImport
from tests.observatory.fakes import fake_directory
from tests.observatory.jobs import computed, finished_job
from tests.observatory.test_directory_figures import BONNEVAL, directory_places, use_directory
from tests.observatory.test_imports import value_of


async def _zone(observatory: AsyncClient, period: str) -> float:
    return (await value_of(observatory, "zones_blanches_communes", "commune", BONNEVAL, period))["valeur"]


async def test_a_tour_of_a_conseiller_reaches_a_commune_beyond_reach(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    places = await directory_places(observatory)
    async with fake_directory(places) as directory:
        use_directory(observatory_app, directory.url)
        before = await computed(observatory_app, observatory, coordinator, "/calculs/annuaire")
        period = before["jeu"].removeprefix("annuaire-")
        assert await _zone(observatory, period) == 1
        # An aidant's tour does not make it a conseiller's reach; a conseiller's tour does.
        directory.permanences = [{"code_insee": BONNEVAL, "roles": ["aidant"], "itinerante": True}]
        await computed(observatory_app, observatory, coordinator, "/calculs/annuaire")
        assert await _zone(observatory, period) == 1
        directory.permanences = [
            {"code_insee": BONNEVAL, "roles": ["aidant", "conseiller_numerique"], "itinerante": True}
        ]
        after = await computed(observatory_app, observatory, coordinator, "/calculs/annuaire")
    assert after["rapport"]["communes_avec_permanence_conseiller"] == 1
    assert await _zone(observatory, period) == 0
    white = (
        await observatory.get("/acces/zones-blanches", params={"dans": "departement:73", "size": 200})
    ).json()
    assert BONNEVAL not in {commune["code"] for commune in white["items"]}


async def test_an_unreadable_permanence_list_stores_nothing(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, db: AsyncSession
):
    async with fake_directory(await directory_places(observatory)) as directory:
        use_directory(observatory_app, directory.url)
        directory.permanences = [{"commune": "73047"}]  # not the directory's shape
        job = await finished_job(observatory_app, observatory, coordinator, "/calculs/annuaire")
    assert job["statut"] == "echouee" and job["erreur"]["status"] == 502, job
    assert await db.scalar(select(func.count()).select_from(DatasetImport)) == 0
