"""The attacks of issue #12 against the running API, as regression tests, and the attacker over every table a
`surveys:read` key obtains from a random campaign."""

import random
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient

from tests.surveys.attacker import NAMES, Geography, Published, build, covers, exposed
from tests.surveys.factories import CONSENT, full_answers, ready_campaign

THRESHOLD = 11
EPCI = {
    "73065": "200069110",
    "73087": "200069110",
    "73029": "200069110",
    "73008": "200068674",
    "73011": "200068997",
    "73033": "200040111",
    "38155": "200040111",
}
GEOGRAPHY = Geography(EPCI)
AGES, GENDERS, STATUSES = ("18_29", "45_59", "75_plus"), ("feminin", "masculin"), ("en_emploi", "retraite")


def year_window() -> dict[str, str]:
    year = datetime.now(UTC).year
    return {"depuis": f"{year}-01-01T00:00:00Z", "jusqu_a": f"{year + 1}-01-01T00:00:00Z"}


async def submit(
    surveys: AsyncClient,
    headers: dict[str, str],
    campaign_id: str,
    code: str,
    attributes: dict[str, str],
    aisance: int,
    phase: str | None = None,
) -> None:
    response = await surveys.post(
        "/reponses",
        headers=headers,
        json={
            "campagne_id": campaign_id,
            "code_beneficiaire": code,
            "consentement": CONSENT,
            "phase": phase,
            "attributs": attributes,
            "valeurs": full_answers(aisance=aisance, outils=None),
            "terminer": True,
        },
    )
    assert response.status_code == 201, response.text


def random_people(seed: int, count: int) -> list[tuple[Any, ...]]:
    """People as `populate` takes them: commune (or none), age band, gender, status, answer level."""
    generator = random.Random(seed)
    return [
        (
            generator.choice([*EPCI, None]),
            generator.choice(AGES),
            generator.choice(GENDERS),
            generator.choice(STATUSES),
            generator.randint(1, 4),
        )
        for _ in range(count)
    ]


async def populate(
    surveys: AsyncClient,
    coordinator: dict[str, str],
    mediator: dict[str, str],
    people: list[tuple[str | None, str, str, str, int]],
) -> str:
    campaign = await ready_campaign(surveys, coordinator)
    for number, (commune, age, gender, status, aisance) in enumerate(people):
        attributes = {"tranche_age": age, "genre": gender, "statut_social": status}
        if commune is not None:
            attributes["commune"] = commune
        await submit(surveys, mediator, campaign["id"], f"A-{number}", attributes, aisance)
    return campaign["id"]


async def every_table(
    surveys: AsyncClient, headers: dict[str, str]
) -> dict[tuple[str, str, str], list[Published]]:
    """Every query a reader can make of the toile's aggregates, split by dimension, phase and period."""
    departments = sorted({GEOGRAPHY.department(commune) for commune in EPCI})
    tables: dict[tuple[str, str, str], list[Published]] = defaultdict(list)
    for level in ("commune", "epci", "departement"):
        for department in (None, *departments):
            for breakdown in (None, *NAMES) if level == "departement" else (None,):
                params: dict[str, str] = {"referentiel": "toile-capacites", "territoire": level}
                if department:
                    params["departement"] = department
                if breakdown:
                    params["ventilation"] = breakdown
                found = await surveys.get("/agregats", headers=headers, params=params)
                assert found.status_code == 200, found.text
                cells: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
                for cell in found.json()["cellules"]:
                    cells[(cell["dimension"], cell["phase"], cell["periode"])].append(cell)
                for group, listed in cells.items():
                    tables[group].append(Published(level, department, breakdown, listed))
    return tables


def attack(
    tables: dict[tuple[str, str, str], list[Published]], people: list[tuple[str | None, str, str, str, int]]
) -> list[str]:
    def truth(table: Published, cell: dict[str, Any]) -> int:
        member = covers(GEOGRAPHY, table, cell)
        return sum(member((commune, age, gender, status)) for commune, age, gender, status, _ in people)

    found = []
    for group, published in tables.items():
        if group[0] != "equipement":
            continue  # every dimension has the same counts here
        # The values seen, and one more standing for all the others the API lists: that nobody has them is
        # not public (their cells carry no equation, so one stands for all).
        analyst = build(
            GEOGRAPHY,
            published,
            [*EPCI, None],
            {
                "tranche_age": [*AGES, "autres"],
                "genre": [*GENDERS, "autres"],
                "statut_social": [*STATUSES, "autres"],
            },
        )
        found += exposed(GEOGRAPHY, published, truth, analyst, THRESHOLD, 100 / 3)
    return found


def cells_of(body: dict[str, Any], dimension: str = "equipement", phase: str = "pre") -> dict[str, Any]:
    return {
        cell["territoire"]: cell
        for cell in body["cellules"]
        if cell["dimension"] == dimension and cell["phase"] == phase
    }


async def test_an_epci_minus_its_published_communes_gives_no_commune_away(
    surveys: AsyncClient, coordinator, mediator, reader_key
):
    people = (
        [("73065", "18_29", "feminin", "en_emploi", 2)] * 14
        + [("73029", "45_59", "masculin", "retraite", 3)] * 12
        + [("73087", "75_plus", "feminin", "retraite", 4)] * 3
        + [("73008", "18_29", "masculin", "en_emploi", 1)] * 15
    )
    await populate(surveys, coordinator, mediator, people)
    communes = cells_of(
        (await surveys.get("/agregats", headers=reader_key, params={"referentiel": "toile-capacites"})).json()
    )
    epcis = cells_of(
        (
            await surveys.get(
                "/agregats",
                headers=reader_key,
                params={"referentiel": "toile-capacites", "territoire": "epci"},
            )
        ).json()
    )
    assert communes["73087"]["secret"]  # Cognin's 3
    chambery = epcis["200069110"]
    if not chambery["secret"]:
        shown = sum(
            communes[code]["n"] for code in ("73065", "73029", "73087") if not communes[code]["secret"]
        )
        assert chambery["n"] - shown >= THRESHOLD
    assert not attack(await every_table(surveys, reader_key), people)


async def test_the_unlocated_respondent_is_not_the_total_minus_the_departement(
    surveys: AsyncClient, coordinator, mediator, reader_key
):
    people = (
        [("73065", "18_29", "feminin", "en_emploi", 2)] * 20
        + [("73008", "45_59", "masculin", "retraite", 3)] * 15
        + [(None, "75_plus", "feminin", "retraite", 4)]
    )
    await populate(surveys, coordinator, mediator, people)
    everything = cells_of(
        (await surveys.get("/agregats", headers=reader_key, params={"referentiel": "toile-capacites"})).json()
    )
    savoie = cells_of(
        (
            await surveys.get(
                "/agregats",
                headers=reader_key,
                params={"referentiel": "toile-capacites", "departement": "73"},
            )
        ).json()
    )
    assert everything["inconnu"]["secret"]
    assert everything["total"]["secret"] or savoie["total"]["secret"]
    assert not attack(await every_table(surveys, reader_key), people)


async def test_windows_are_whole_published_periods(surveys: AsyncClient, coordinator, mediator, reader_key):
    people = [("73065", "18_29", "feminin", "en_emploi", 2)] * 12
    await populate(surveys, coordinator, mediator, people)
    base = {"referentiel": "toile-capacites"}
    for until in ("2026-12-03T09:00:00.000001Z", "2026-12-03T09:00:00Z", "2026-02-01T00:00:00Z"):
        refused = await surveys.get("/agregats", headers=reader_key, params=base | {"jusqu_a": until})
        assert refused.status_code == 422, until
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "période publiée" in refused.json()["detail"]
    naive = await surveys.get(
        "/agregats", headers=reader_key, params=base | {"depuis": "2026-01-01T00:00:00"}
    )
    assert naive.status_code == 422 and "fuseau" in naive.json()["detail"]
    whole = await surveys.get("/agregats", headers=reader_key, params=base | year_window())
    assert whole.status_code == 200 and cells_of(whole.json())["73065"]["repondants"] == 12
    monthly = await surveys.get("/agregats", headers=reader_key, params=base | {"periode": "mois"})
    assert monthly.status_code == 422 and monthly.json()["allowed"] == ["annee"]
    for params in (
        {"territoire": "canton"},
        {"seuil": 5},
        {"questionnaire": "essai"},
        {"ventilation": "genre"},
        {"ventilation": "revenu", "territoire": "departement"},
    ):
        assert (
            await surveys.get("/agregats", headers=reader_key, params=base | params)
        ).status_code == 422, params
    progress = await surveys.get("/agregats/progression", headers=reader_key, params=base)
    assert progress.status_code == 422
    two_years = {"depuis": "2025-01-01T00:00:00Z", "jusqu_a": "2027-01-01T00:00:00Z"}
    assert (
        await surveys.get("/agregats/progression", headers=reader_key, params=base | two_years)
    ).status_code == 422
    assert (
        await surveys.get("/agregats/progression", headers=reader_key, params=base | year_window())
    ).status_code == 200


async def test_campaign_results_are_protected_and_for_their_coordinator(
    surveys: AsyncClient, coordinator, mediator, reader_key, identity_keys
):
    from fne_kernel.identity import Role
    from tests.support import identity_header, user_principal

    campaign_id = await populate(
        surveys, coordinator, mediator, [("73065", "18_29", "feminin", "en_emploi", 2)] * 3
    )
    for someone in (mediator, reader_key):
        assert (await surveys.get(f"/campagnes/{campaign_id}/resultats", headers=someone)).status_code == 403
    other = replace(user_principal(Role.COORDINATOR), subject="quelqu-un-d-autre")
    assert (
        await surveys.get(
            f"/campagnes/{campaign_id}/resultats", headers=identity_header(identity_keys[0], other)
        )
    ).status_code == 403
    admin = identity_header(identity_keys[0], replace(user_principal(Role.ADMIN), subject="admin-9"))
    for headers in (coordinator, admin):
        results = await surveys.get(f"/campagnes/{campaign_id}/resultats", headers=headers)
        assert results.status_code == 200
        body = results.json()
        assert body["terminees"] == 3 and body["seuil"] == THRESHOLD
        assert body["dimensions"] and all(
            d["secret"] and d["n"] is None and d["moyenne"] is None and d["repartition"] is None
            for d in body["dimensions"]
        )


async def test_a_random_campaign_keeps_every_small_cell_secret(
    surveys: AsyncClient, coordinator, mediator, reader_key
):
    generator = random.Random(20261203)
    people = [
        (
            generator.choice([*EPCI, None, "73065", "73065", "73008"]),
            generator.choice(AGES),
            generator.choice(GENDERS),
            generator.choice(STATUSES),
            generator.randint(1, 4),
        )
        for _ in range(70)
    ]
    await populate(surveys, coordinator, mediator, people)
    tables = await every_table(surveys, reader_key)
    assert not attack(tables, people)
    published = [
        cell for group in tables.values() for table in group for cell in table.cells if not cell["secret"]
    ]
    assert published  # the protection leaves something to read
