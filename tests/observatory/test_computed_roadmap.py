"""The roadmap computed from live data: the directory's permanences, the network service's statistics, La
Coop's activity and the observatory's own committees, each read from a local server speaking its wire
format, landing as the roadmap's values with their source and time of computation."""

import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.coop import client as coop_client
from fne_observatory.coop.client import CoopClient
from fne_observatory.imports.models import DatasetImport
from fne_observatory.roadmap_values.definitions import ALREADY_COMPUTED, COMPUTED, roadmap_links
from fne_observatory.roadmap_values.service import Sources
from fne_observatory.roadmap_values.sources import DirectorySource, NetworkSource
from tests.fakes.coop import TOKEN, FakeActivity, FakeCoop, fake_coop, structure
from tests.fakes.network import FakeNetwork, fake_network, measure
from tests.observatory.fakes import fake_directory, standard_place
from tests.observatory.jobs import finished_job
from tests.observatory.test_imports import value_of
from tests.support import REFERENCE

DOCS = Path(__file__).resolve().parents[2] / "docs" / "roadmap-computed.md"
CHAMBERY, BASSENS, AIX, BONNEVAL = "73065", "73031", "73008", "73047"
GRAND_CHAMBERY = "200069110"
PROBLEM = "application/problem+json"
YEAR = date.today().year


def test_at_least_25_roadmap_indicators_are_computed_and_documented(observatory_app: FastAPI) -> None:
    links = roadmap_links()
    assert len(links) >= 25
    assert len({item.code for item in COMPUTED}) == len(COMPUTED)
    documented = DOCS.read_text(encoding="utf-8")
    for roadmap_id, code in links.items():
        assert re.search(rf"^\| {re.escape(roadmap_id)} \|.*`{code}`", documented, re.MULTILINE), roadmap_id
    assert {roadmap_id for roadmap_id, *_ in ALREADY_COMPUTED} == {"2.1", "7.1", "7.3"}


def _place(number: int, code: str, typologie: str, programmes: list[str]) -> dict[str, Any]:
    place = standard_place(number, code, 45.5, 5.9, programmes)
    place["typologie"] = typologie
    return place


def _permanence(role: str, *place_numbers: int, stops: tuple[str, ...] = ()) -> dict[str, Any]:
    slots: list[dict[str, str | None]] = [
        {"lieu_id": f"00000000-0000-0000-0000-{number:012d}", "code_insee": "73065", "jour": "mardi"}
        for number in place_numbers
    ]
    slots += [{"lieu_id": None, "code_insee": code, "jour": "jeudi"} for code in stops]
    return {"role": role, "creneaux": slots}


PLACES = [
    _place(1, CHAMBERY, "MUNI", ["France Services"]),
    _place(2, BASSENS, "CS", []),
    _place(3, AIX, "PAD|CCAS", ["Conseillers numériques"]),
    _place(4, AIX, "MSAP", []),
]
PERMANENCES = [
    _permanence("conseiller_numerique", 1, 2),  # a tour: France Services, then a social centre
    _permanence("conseiller_numerique", 3, stops=(BONNEVAL,)),  # rights structure, then a stop
    _permanence("conseiller_numerique", 4),  # a former MSAP: France Services
    _permanence("aidant", 1, 2, 3),  # not a conseiller: counts nowhere
]
MEASURES = [
    measure("conseillers_numeriques_actifs", CHAMBERY, YEAR, 4),
    measure("conseillers_numeriques_actifs", AIX, YEAR, 2),
    measure("conseillers_numeriques_actifs", None, YEAR, 1),  # territory unknown: the department only
    measure("conseillers_numeriques_actifs", "38185", YEAR, 9),  # Grenoble: outside the loaded territories
    measure("conseillers_numeriques_actifs", CHAMBERY, YEAR - 1, 3),
    measure("postes_conseillers_mutualises", CHAMBERY, YEAR, 2),
    measure("personnes_formees", CHAMBERY, YEAR, 6, "aidants", 3),
    measure("personnes_formees", CHAMBERY, YEAR, 4, "aidants", 9),
    measure("personnes_formees", AIX, YEAR, 5, "secretaires_mairie", 9),
    measure("formations_sessions", AIX, YEAR, 2, "secretaires_mairie", 9),
    measure("formations_sessions", CHAMBERY, YEAR, 1, "agents_partenaires", 10),
    measure("formations_sessions", CHAMBERY, YEAR, 3, "aidants", 10),
    measure("evenements", CHAMBERY, YEAR, 3, "cafe_numerique", 2),
    measure("evenements", BASSENS, YEAR, 1, "atelier", 4),
    measure("evenements", AIX, YEAR, 1, "nec", 10),
    measure("evenements_participants", CHAMBERY, YEAR, 30, "cafe_numerique", 2),
    measure("evenements_participants", BASSENS, YEAR, 12, "atelier", 4),
    measure("evenements_participants", AIX, YEAR, 250, "nec", 10),
    measure("evenements_partenaires", AIX, YEAR, 14, "nec", 10),
]


def _structures() -> list[dict[str, Any]]:
    return [structure(1, CHAMBERY), structure(2, AIX), structure(3, "38185")]


def _activities() -> list[FakeActivity]:
    s1, s2, s3 = (item["id"] for item in _structures())
    return [
        FakeActivity(1, "individuel", date(YEAR, 3, 4), 1, s1, thematiques=["email"], beneficiaires=["a"]),
        FakeActivity(
            2,
            "individuel",
            date(YEAR, 3, 9),
            5,
            s1,
            thematiques=["prendre_en_main_du_materiel"],
            beneficiaires=["b"],
        ),
        FakeActivity(
            3,
            "collectif",
            date(YEAR, 3, 12),
            8,
            s1,
            thematiques=["securite_numerique"],
            beneficiaires=list("cdefghij"),
        ),
        FakeActivity(
            4,
            "collectif",
            date(YEAR, 4, 2),
            6,
            s2,
            thematiques=["securite_numerique", "email"],
            beneficiaires=list("klmnop"),
        ),
        FakeActivity(
            5,
            "demarche_administrative",
            date(YEAR, 4, 3),
            2,
            None,
            code_insee=BASSENS,
            beneficiaires=["a", "q"],
        ),
        FakeActivity(6, "individuel", date(YEAR, 4, 5), 1, s3, beneficiaires=["r"]),  # Grenoble
        FakeActivity(7, "individuel", date(YEAR, 4, 6), 5, s1, deleted=True, beneficiaires=["s"]),
        FakeActivity(
            8, "individuel", date(YEAR, 4, 7), 1, s1, conseiller_numerique=False, beneficiaires=["t"]
        ),
        FakeActivity(9, "individuel", date(YEAR, 4, 8), 1, None, code_insee=None, beneficiaires=["u"]),
    ]


def use_sources(app: FastAPI, directory: str, network: str, coop: str, token: str = TOKEN) -> None:
    app.state.roadmap_sources = Sources(
        DirectorySource("annuaire", directory, 5, 0),
        NetworkSource("réseau", network, 5, 0),
        CoopClient(coop, token, 5, 0),
    )


async def _meetings(observatory: AsyncClient, coordinator: dict[str, str]) -> None:
    for kind, day, documents in (
        (
            "comite_suivi",
            date(YEAR, 2, 1),
            [{"titre": "CR", "url": "https://example.org/cr.pdf", "nature": "compte_rendu"}],
        ),
        ("comite_technique", date(YEAR, 3, 1), [{"titre": "Photo", "url": "https://example.org/p.jpg"}]),
        (
            "comite_technique",
            date(YEAR, 1, 15),
            [{"titre": "Support", "url": "https://example.org/s.pdf", "nature": "support"}],
        ),
        ("comite_suivi", date(YEAR - 1, 11, 5), []),
        ("comite_partenaires", date(YEAR, 5, 20), []),
    ):
        created = await observatory.post(
            "/comites",
            json={"type": kind, "date": day.isoformat(), "titre": f"Comité du {day}", "documents": documents},
            headers=coordinator,
        )
        assert created.status_code == 201, created.text
        people = [
            {"nom": f"Personne {n}", "structure": f"Structure {n}", "present": n != 2} for n in range(4)
        ]
        if kind != "comite_partenaires":
            put = await observatory.put(
                f"/comites/{created.json()['id']}/participants", json=people, headers=coordinator
            )
            assert put.status_code == 200, put.text


async def _indicator(observatory: AsyncClient, roadmap_id: str) -> dict[str, Any]:
    objective = roadmap_id.split(".")[0]
    detail = (await observatory.get(f"/feuille-de-route/objectifs/{objective}")).json()
    return next(item for item in detail["indicateurs"] if item["id"] == roadmap_id)


async def test_a_refresh_fills_the_roadmap_from_every_source(
    observatory_app: FastAPI,
    observatory: AsyncClient,
    coordinator: dict,
    monkeypatch: pytest.MonkeyPatch,
    caplog,
):
    monkeypatch.setattr(coop_client, "PAGE_SIZE", 2)  # every list read over several pages
    await _meetings(observatory, coordinator)
    coop_state = FakeCoop(_structures(), _activities())
    caplog.set_level(logging.DEBUG)
    async with (
        fake_directory(PLACES) as directory,
        fake_network(FakeNetwork(MEASURES)) as network,
        fake_coop(coop_state) as coop,
    ):
        directory.permanence_items = PERMANENCES
        use_sources(observatory_app, directory.url, network.url, coop.url)
        job = await finished_job(observatory_app, observatory, coordinator, "/calculs/feuille-de-route")
    assert (job["type"], job["statut"], job["avancement"]) == ("feuille-de-route", "reussie", 1), job
    assert job["parametres"]["sources"] == ["annuaire", "reseau", "coop", "observatoire", "enquetes"]
    assert {item["jeu"] for item in job["resultats"]} == {
        f"fdr-permanences-{date.today():%Y-%m}",
        "fdr-reseau",
        "coop",
        "fdr-gouvernance",
    }
    assert job["ignorees"] == {} and job["resultat"]["id"] == job["resultats"][0]["id"]
    assert all(item["statut"] == "publie" and item["verifie_le"] for item in job["resultats"])

    expected = {
        "2.2": 2,  # the tour (France Services in Chambéry) and the former MSAP in Aix
        "2.3": 1,
        "2.4": 1,
        "7.2": 7,  # 4 + 2 in Savoie communes, 1 without commune; Grenoble left out
        "7.4": 2,
        "8.1": 10,
        "9.3": 3,
        "3.1": 5,
        "17.1": 5,
        "3.2": 3,
        "3.3": 3,
        "3.5": 42,
        "5.3": 250,
        "17.2": 292,
        "17.3": 14,
        "2.5": 17,  # distinct people of conseillers' activities in Savoie this year (a, b, c–j, k–p, q)
        "10.4": 21,  # accompaniments in places of activity in Savoie (not at home, not deleted, not Grenoble)
        "12.3": 5,
        "15.2": 2,
        "21.1": 3,
        "21.2": 9,  # three present at each of this year's three meetings
        "1.1": 1,
        "21.3": pytest.approx(200 / 3),
    }
    for roadmap_id, value in expected.items():
        indicator = await _indicator(observatory, roadmap_id)
        latest = indicator["derniere_valeur"]
        assert latest is not None and latest["valeur"] == value, (roadmap_id, latest)
        assert latest["origine"] == "observatoire" and latest["calcule_le"] is not None
        assert latest["source"], roadmap_id
    assert "Service réseau" in (await _indicator(observatory, "7.2"))["derniere_valeur"]["source"]
    assert "La Coop" in (await _indicator(observatory, "2.5"))["derniere_valeur"]["source"]

    # La Coop's figures by commune, EPCI and month; under 5 people a commune's count is withheld.
    march = f"{YEAR}-03"
    assert (await value_of(observatory, "coop_accompagnements", "commune", CHAMBERY, march))["valeur"] == 14
    assert (await value_of(observatory, "coop_accompagnements", "epci", GRAND_CHAMBERY, march))[
        "valeur"
    ] == 14
    bassens = await value_of(observatory, "coop_accompagnements", "commune", BASSENS, f"{YEAR}-04")
    assert bassens["valeur"] is None
    # The token went with every request, to the configured host only, and was never logged.
    assert coop_state.requests and all(
        auth == f"Bearer {TOKEN}" for _path, _query, auth in coop_state.requests
    )
    assert sum(1 for path, _q, _a in coop_state.requests if path.endswith("/activites")) >= 4
    assert all(
        q.get("filter[creation][depuis]") == "2024-01-01T00:00:00Z"
        for p, q, _a in coop_state.requests
        if p.endswith("/activites")
    )
    assert TOKEN not in caplog.text and "secret-de-test" not in caplog.text

    listed = (await observatory.get("/feuille-de-route/indicateurs-calcules")).json()
    assert len(listed) >= 25 and {item["indicateur"] for item in listed} == set(roadmap_links())
    by_id = {item["indicateur"]: item for item in listed}
    assert by_id["7.2"]["valeur"] == 7 and by_id["7.2"]["calcule_le"] and by_id["7.2"]["formule"]


async def test_a_source_down_stores_nothing_and_says_which(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, db: AsyncSession
):
    async with (
        fake_directory(PLACES) as directory,
        fake_network(FakeNetwork(MEASURES, failing=True)) as network,
    ):
        directory.permanence_items = PERMANENCES
        use_sources(observatory_app, directory.url, network.url, "http://127.0.0.1:9", token="")
        job = await finished_job(
            observatory_app,
            observatory,
            coordinator,
            "/calculs/feuille-de-route?source=annuaire&source=reseau",
        )
    assert job["statut"] == "echouee" and job["resultats"] == [] and job["erreur"]["status"] == 502
    assert "réseau" in job["erreur"]["detail"] and "rien n'a été publié" in job["message"]
    assert await db.scalar(select(func.count()).select_from(DatasetImport)) == 0


async def test_bad_requests_get_a_french_4xx(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, mediator: dict
):
    use_sources(observatory_app, "http://127.0.0.1:9", "http://127.0.0.1:9", "http://127.0.0.1:9", token="")
    unknown = await observatory.post(
        "/calculs/feuille-de-route", params={"source": "astrologie"}, headers=coordinator
    )
    assert unknown.status_code == 422 and unknown.headers["content-type"] == PROBLEM
    not_configured = await observatory.post(
        "/calculs/feuille-de-route", params={"source": "coop"}, headers=coordinator
    )
    assert not_configured.status_code == 409 and "OBSERVATORY_COOP_TOKEN" in not_configured.json()["detail"]
    assert (await observatory.get("/calculs/taches", headers=coordinator)).json()["total"] == 0
    assert (await observatory.post("/calculs/feuille-de-route")).status_code == 401
    assert (await observatory.post("/calculs/feuille-de-route", headers=mediator)).status_code == 403


async def test_a_refused_coop_token_is_a_502_naming_la_coop(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    async with fake_coop(FakeCoop(_structures(), _activities())) as coop:
        use_sources(
            observatory_app, "http://127.0.0.1:9", "http://127.0.0.1:9", coop.url, token="wrong:token"
        )
        job = await finished_job(
            observatory_app, observatory, coordinator, "/calculs/feuille-de-route?source=coop"
        )
    assert job["statut"] == "echouee" and "La Coop" in job["erreur"]["detail"]


def test_the_fake_coop_publishes_every_attribute_the_openapi_requires() -> None:
    import json

    spec = json.loads((REFERENCE / "coop-mediation-api-v1-openapi.json").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    activity_required = set(schemas["Activite"]["properties"]["attributes"]["required"])
    structure_required = set(schemas["Structure"]["properties"]["attributes"]["required"])
    assert activity_required <= set(_activities()[0].published()["attributes"])
    assert structure_required <= set(_structures()[0]["attributes"])
    parameters = {p["name"] for p in spec["paths"]["/activites"]["get"]["parameters"]}
    assert {"page[size]", "page[after]", "filter[creation][depuis]"} <= parameters


async def test_the_scheduled_pass_computes_each_source_on_its_own(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    from fne_observatory.roadmap_values.background import refresh_every_source

    await _meetings(observatory, coordinator)
    async with (
        fake_directory(PLACES) as directory,
        fake_network(FakeNetwork(MEASURES, failing=True)) as network,
    ):
        directory.permanence_items = PERMANENCES
        use_sources(observatory_app, directory.url, network.url, "http://127.0.0.1:9", token="")
        outcomes = await refresh_every_source(observatory_app)
    assert outcomes["annuaire"] == "calculée" and outcomes["observatoire"] == "calculée"
    assert outcomes["reseau"].startswith("échec") and "non configurée" in outcomes["coop"]
    assert (await _indicator(observatory, "2.2"))["derniere_valeur"]["valeur"] == 2
    assert (await _indicator(observatory, "7.2"))["derniere_valeur"] is None
