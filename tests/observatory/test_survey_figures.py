"""Survey-derived indicators from a local server speaking the surveys service's aggregate format."""

import csv
import io

from fastapi import FastAPI
from httpx import AsyncClient

from fne_observatory.survey_figures.client import SurveysClient
from tests.observatory.fakes import fake_surveys
from tests.observatory.jobs import computed, finished_job
from tests.observatory.test_imports import value_of

FRAMEWORKS = [
    {
        "code": "pix",
        "version": "1",
        "title": "PIX / CRCN",
        "description": "",
        "source": "",
        "scale": [],
        "levels": [
            {"level": 0, "code": "n0", "label": "Niveau 0", "min_percent": 0},
            {"level": 1, "code": "n1", "label": "Niveau 1", "min_percent": 12.5},
        ],
        "dimensions": [
            {"code": "1.1", "label": "Mener une recherche et une veille d'information"},
            {"code": "2.1", "label": "Interagir"},
        ],
    }
]


def cell(territory: str, phase: str, n: int | None, mean: float | None, suppressed: bool = False) -> dict:
    return {
        "territoire": territory,
        "referentiel": "pix",
        "dimension": "1.1",
        "phase": phase,
        "periode": "2026",
        "secret": suppressed,
        "repondants": n,
        "n": n,
        "moyenne": mean,
        "repartition": None if suppressed else {"0": 2, "1": (n or 0) - 2},
    }


AGGREGATES = {
    "seuil": 11,
    "niveau": "commune",
    "periode": "annee",
    "cellules": [
        cell("73065", "pre", 25, 48.0),
        cell("73011", "pre", None, None, suppressed=True),
        cell("total", "pre", 31, 50.2),
        cell("inconnu", "pre", 3, None, suppressed=True),
        cell("73065", "post", 20, 61.0),
        cell("total", "post", 24, 60.0),
    ],
}
PROGRESS = {
    "seuil": 11,
    "niveau": "commune",
    "cellules": [
        {
            "territoire": "73065",
            "referentiel": "pix",
            "dimension": "1.1",
            "secret": False,
            "paires": 15,
            "moyenne_pre": 47.0,
            "moyenne_post": 59.5,
            "ecart_moyen": 12.5,
        },
        {
            "territoire": "total",
            "referentiel": "pix",
            "dimension": "1.1",
            "secret": False,
            "paires": 18,
            "moyenne_pre": 48.0,
            "moyenne_post": 59.0,
            "ecart_moyen": 11.0,
        },
    ],
}


def use_surveys(app: FastAPI, url: str, key: str) -> None:
    app.state.surveys_client = SurveysClient(url, key, timeout=5, retries=0)


async def test_survey_aggregates_become_indicators_carrying_the_suppression(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    async with fake_surveys("fne_secret", FRAMEWORKS, AGGREGATES, PROGRESS) as surveys:
        use_surveys(observatory_app, surveys.url, "fne_secret")
        result = await computed(
            observatory_app,
            observatory,
            coordinator,
            "/calculs/enquetes",
            {"referentiel": "pix", "annee_progression": 2026},
        )
    report = result["rapport"]
    assert (report["cellules"], report["cellules_secretes"], report["cellules_sans_territoire"]) == (7, 1, 1)
    assert surveys.queries[0][1] == {
        "referentiel": "pix",
        "territoire": "commune",
        "periode": "annee",
        "departement": "73",
    }

    definition = (await observatory.get("/indicateurs/enquetes.pix.1-1.pre")).json()
    assert definition["libelle"].startswith("Mener une recherche") and definition["seuil_secret"] == 11
    assert definition["producteur"] == "enquetes" and definition["agregation"] == "moyenne_ponderee"
    assert (await value_of(observatory, "enquetes.pix.1-1.pre", "commune", "73065", "2026"))["valeur"] == 48.0
    withheld = await value_of(observatory, "enquetes.pix.1-1.pre", "commune", "73011", "2026")
    assert (withheld["valeur"], withheld["secret"]) == (None, "source")
    # Albertville's EPCI holds a withheld cell: withheld too. The service's own department total is used.
    albertville_epci = (await observatory.get("/territoires/commune/73011")).json()["epci_code"]
    above = await value_of(observatory, "enquetes.pix.1-1.pre", "epci", albertville_epci, "2026")
    assert above["secret"] == "source" and above["valeur"] is None
    savoie = await value_of(observatory, "enquetes.pix.1-1.pre", "departement", "73", "2026")
    assert (savoie["valeur"], savoie["origine"]) == (50.2, "observee")
    # Savoie's figure is not France's: France's aggregate covers Savoie only, « données partielles ».
    france = await value_of(observatory, "enquetes.pix.1-1.pre", "pays", "FR", "2026")
    assert (france["valeur"], france["donnees_partielles"]) == (None, True) and france["couverture"] < 0.02
    progress = await value_of(observatory, "enquetes.pix.1-1.progression", "departement", "73", "2026")
    assert progress["valeur"] == 11.0
    # A withheld value never leaks through an export either.
    exported = (
        await observatory.get(
            "/indicateurs/enquetes.pix.1-1.pre/valeurs.csv", params={"dans": "departement:73"}
        )
    ).text
    albertville = next(row for row in csv.DictReader(io.StringIO(exported)) if row["code"] == "73011")
    assert (albertville["valeur"], albertville["secret"]) == ("", "source")


async def test_without_the_right_key_or_framework_nothing_is_stored(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    async with fake_surveys("fne_secret", FRAMEWORKS, AGGREGATES, PROGRESS) as surveys:
        use_surveys(observatory_app, surveys.url, "fne_wrong")
        refused = await finished_job(
            observatory_app, observatory, coordinator, "/calculs/enquetes", {"referentiel": "pix"}
        )
        unknown = await observatory.post(
            "/calculs/enquetes", headers=coordinator, json={"referentiel": "toile"}
        )
    assert refused["statut"] == "echouee" and refused["erreur"]["status"] == 502
    assert "surveys:read" in refused["erreur"]["detail"]
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "referentiel"
    assert (await observatory.get("/imports", headers=coordinator)).json()["total"] == 0
