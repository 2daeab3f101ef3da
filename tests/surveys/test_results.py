import csv
import io
from dataclasses import replace
from datetime import UTC, datetime
from itertools import cycle

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook

from fne_kernel.identity import Principal, Role
from fne_surveys.campaigns.models import Campaign
from fne_surveys.results import service
from tests.support import identity_header, user_principal
from tests.surveys.factories import CONSENT, full_answers, published, ready_campaign, small_definition


async def submit(
    surveys: AsyncClient,
    headers: dict[str, str],
    campaign_id: str,
    code: str | None,
    commune: str | None,
    aisance: int,
    phase: str | None = None,
    complete: bool = True,
) -> dict:
    response = await surveys.post(
        "/reponses",
        headers=headers,
        json={
            "campagne_id": campaign_id,
            "code_beneficiaire": code,
            "consentement": CONSENT,
            "phase": phase,
            "attributs": {"commune": commune} if commune else None,
            "valeurs": full_answers(aisance=aisance, outils=None),
            "terminer": complete,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_campaign_results_count_distribute_and_pair(
    surveys: AsyncClient,
    coordinator,
    mediator,
    db,
    surveys_app,
):
    campaign = await ready_campaign(surveys, coordinator)
    for index, aisance in enumerate((1, 2, 4)):
        await submit(surveys, mediator, campaign["id"], f"P-{index}", "73065", aisance)
    await submit(surveys, mediator, campaign["id"], "P-0", "73065", 4, phase="post")
    await submit(surveys, mediator, campaign["id"], "P-1", "73065", 3, phase="post")
    await submit(surveys, mediator, campaign["id"], "P-9", "73065", 3, complete=False)
    protected = (await surveys.get(f"/campagnes/{campaign['id']}/resultats", headers=coordinator)).json()
    assert (protected["commencees"], protected["terminees"]) == (6, 5)
    assert all(d["secret"] for d in protected["dimensions"]) and all(
        p["secret"] for p in protected["progression"]
    )
    # The figures themselves, before protection (threshold 1).
    found = await service.campaign_results(
        db, await db.get(Campaign, campaign["id"]), surveys_app.state.frameworks, 1
    )
    results = found.model_dump()
    assert (results["commencees"], results["terminees"], results["taux_achevement"]) == (
        6,
        5,
        round(5 / 6, 4),
    )
    assert results["par_phase"] == [
        {"phase": "post", "commencees": 2, "terminees": 2},
        {"phase": "pre", "commencees": 4, "terminees": 3},
    ]
    pre = next(d for d in results["dimensions"] if d["dimension"] == "equipement" and d["phase"] == "pre")
    # aisance 1, 2, 4 on 1–4 with no tool: 0 %, 33.33 %, 100 %.
    assert pre["n"] == 3 and pre["moyenne"] == round((0 + 100 / 3 + 100) / 3, 2)
    assert pre["repartition"] == {"1": 1, "2": 1, "4": 1}
    progress = {p["dimension"]: p for p in results["progression"]}
    assert progress["equipement"]["paires"] == 2
    assert progress["equipement"]["moyenne_pre"] == pytest.approx((0 + 100 / 3) / 2, abs=0.01)
    assert progress["equipement"]["moyenne_post"] == pytest.approx((100 + 200 / 3) / 2, abs=0.01)


async def test_a_campaign_is_withheld_when_the_others_would_give_it_away(
    surveys: AsyncClient, coordinator, mediator
):
    big, small = await ready_campaign(surveys, coordinator), None
    for index in range(14):
        await submit(surveys, mediator, big["id"], f"B-{index}", "73065", 1 + index % 4)
    small = (
        await surveys.post(
            "/campagnes",
            headers=coordinator,
            json={"nom": "Petite", "questionnaire_id": big["questionnaire_id"]},
        )
    ).json()
    for index in range(12):
        await submit(surveys, mediator, small["id"], f"S-{index}", "73065", 1 + index % 4)
    third = (
        await surveys.post(
            "/campagnes",
            headers=coordinator,
            json={"nom": "Minuscule", "questionnaire_id": big["questionnaire_id"]},
        )
    ).json()
    await submit(surveys, mediator, third["id"], "T-0", "73065", 2)
    # The total over campaigns (what the aggregates add up to) minus 14 would be 13 = 12 + 1: the smaller
    # goes.
    shown = {}
    for campaign in (big, small, third):
        body = (await surveys.get(f"/campagnes/{campaign['id']}/resultats", headers=coordinator)).json()
        shown[campaign["id"]] = next(d for d in body["dimensions"] if d["dimension"] == "equipement")
    assert shown[third["id"]]["secret"] and shown[small["id"]]["secret"]
    assert not shown[big["id"]]["secret"] and shown[big["id"]]["n"] == 14
    assert shown[big["id"]]["repartition"] is None  # levels of 3 or 4 people each


async def test_observatory_aggregates_suppress_small_and_recoverable_cells(
    surveys: AsyncClient, coordinator, mediator, reader_key
):
    campaign = await ready_campaign(surveys, coordinator)
    people = [("73065", 14), ("73008", 12), ("73011", 3)]
    levels = cycle((1, 2, 3, 4))
    number = 0
    for commune, count in people:
        for _ in range(count):
            number += 1
            await submit(surveys, mediator, campaign["id"], f"R-{number}", commune, next(levels))
    for index in range(1, 13):  # twelve of them come back
        await submit(surveys, mediator, campaign["id"], f"R-{index}", None, 4, phase="post")

    found = await surveys.get("/agregats", headers=reader_key, params={"referentiel": "toile-capacites"})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["seuil"] == 11 and body["periode"] == "annee"
    cells = {(c["territoire"], c["phase"]): c for c in body["cellules"] if c["dimension"] == "equipement"}
    assert cells[("73065", "pre")]["repondants"] == 14 and not cells[("73065", "pre")]["secret"]
    assert cells[("73011", "pre")]["secret"] and cells[("73011", "pre")]["n"] is None
    assert cells[("73008", "pre")]["secret"]  # secondary: else 73011 = total − the rest
    assert cells[("total", "pre")]["repondants"] == 29
    assert cells[("73065", "pre")]["repartition"] is None  # levels of 3 or 4 people
    assert cells[("total", "pre")]["repartition"] is None
    # The post responses' respondents keep the commune given at their first session.
    assert cells[("73065", "post")]["repondants"] == 12 and cells[("total", "post")]["n"] == 12

    department = {
        (c["territoire"], c["phase"]): c
        for c in (
            await surveys.get(
                "/agregats",
                headers=reader_key,
                params={"referentiel": "toile-capacites", "territoire": "departement"},
            )
        ).json()["cellules"]
        if c["dimension"] == "equipement"
    }
    assert department[("73", "pre")]["repondants"] == 29 and department[("total", "post")]["repondants"] == 12
    by_epci = (
        await surveys.get(
            "/agregats", headers=reader_key, params={"referentiel": "toile-capacites", "territoire": "epci"}
        )
    ).json()
    epcis = {(c["territoire"], c["phase"]): c for c in by_epci["cellules"] if c["dimension"] == "equipement"}
    assert epcis[("200069110", "pre")]["repondants"] == 14  # Grand Chambéry
    assert (
        epcis[("200068674", "pre")]["secret"] and epcis[("200068997", "pre")]["secret"]
    )  # Grand Lac, Arlysère
    assert (
        await surveys.get("/agregats", headers=reader_key, params={"referentiel": "inconnu"})
    ).status_code == 422
    by_age = (
        await surveys.get(
            "/agregats",
            headers=reader_key,
            params={
                "referentiel": "toile-capacites",
                "territoire": "departement",
                "ventilation": "tranche_age",
            },
        )
    ).json()
    assert by_age["ventilation"] == "tranche_age"
    ages = {
        (c["territoire"], c["categorie"]): c
        for c in by_age["cellules"]
        if c["dimension"] == "equipement" and c["phase"] == "pre"
    }
    assert ages[("73", "inconnu")]["repondants"] == 29 and ages[("73", "total")]["repondants"] == 29

    year = datetime.now(UTC).year
    progress = (
        await surveys.get(
            "/agregats/progression",
            headers=reader_key,
            params={
                "referentiel": "toile-capacites",
                "depuis": f"{year}-01-01T00:00:00Z",
                "jusqu_a": f"{year + 1}-01-01T00:00:00Z",
            },
        )
    ).json()
    equipment = {c["territoire"]: c for c in progress["cellules"] if c["dimension"] == "equipement"}
    assert equipment["73065"]["paires"] == 12 and equipment["total"]["paires"] == 12
    assert equipment["73065"]["moyenne_post"] == 100.0 and equipment["73065"]["ecart_moyen"] > 0
    assert (await surveys.get("/agregats", params={"referentiel": "toile-capacites"})).status_code == 401


async def test_exports_keep_one_column_per_key_across_versions(
    surveys: AsyncClient,
    coordinator,
    mediator,
    identity_keys,
):
    admin = identity_header(identity_keys[0], replace(user_principal(Role.ADMIN), subject="admin-9"))
    first = await ready_campaign(surveys, coordinator)
    await submit(surveys, mediator, first["id"], "E-1", "73065", 2)
    second_definition = small_definition()
    second_definition["questions"].insert(1, {"key": "nouvelle", "type": "text", "label": {"fr": "Nouvelle"}})
    second_definition["questions"] = [q for q in second_definition["questions"] if q["key"] != "remarque"]
    second = await published(surveys, coordinator, second_definition)
    campaign = (
        await surveys.post(
            "/campagnes", headers=coordinator, json={"nom": "V2", "questionnaire_id": second["id"]}
        )
    ).json()
    answers = full_answers(nouvelle="oui", outils=["tablette", "ordinateur"])
    del answers["remarque"]
    await surveys.post(
        "/reponses",
        headers=mediator,
        json={
            "campagne_id": campaign["id"],
            "code_beneficiaire": "E-1",
            "valeurs": answers,
            "terminer": True,
        },
    )

    exported = await surveys.get("/exports/reponses", headers=admin, params={"questionnaire": "essai"})
    assert exported.status_code == 200 and exported.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    header = list(rows[0])
    assert header[:5] == [
        "reponse_id",
        "repondant_id",
        "campagne_id",
        "questionnaire_code",
        "questionnaire_version",
    ]
    assert header.index("remarque") < header.index("capacites.courriel") < header.index("nouvelle")
    assert "score:toile-capacites/equipement" in header and "CHY" not in exported.text
    by_version = {row["questionnaire_version"]: row for row in rows}
    assert by_version["1"]["remarque"] == "rien" and by_version["1"]["nouvelle"] == ""
    assert by_version["2"]["outils"] == "tablette|ordinateur" and by_version["2"]["usage"] == "yes"
    assert (
        by_version["2"]["capacites.courriel"] == "4"
        and by_version["1"]["repondant_id"] == by_version["2"]["repondant_id"]
    )

    only_first = await surveys.get(
        "/exports/reponses",
        headers=coordinator,
        params={"questionnaire": "essai", "campagne": first["id"], "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(only_first.content)).active
    values = list(sheet.values)
    assert list(values[0]) == header and len(values) == 2
    assert (
        await surveys.get("/exports/reponses", headers=mediator, params={"questionnaire": "essai"})
    ).status_code == 403
    assert (
        await surveys.get("/exports/reponses", headers=admin, params={"questionnaire": "absent"})
    ).status_code == 404
    # A coordinator exports the campaigns they created, and only those, naming one.
    everything = await surveys.get(
        "/exports/reponses", headers=coordinator, params={"questionnaire": "essai"}
    )
    assert everything.status_code == 403 and "campagne" in everything.json()["detail"]
    theirs = identity_header(identity_keys[0], replace(user_principal(Role.COORDINATOR), subject="autre"))
    assert (
        await surveys.get(
            "/exports/reponses", headers=theirs, params={"questionnaire": "essai", "campagne": first["id"]}
        )
    ).status_code == 403
    writer = identity_header(
        identity_keys[0],
        Principal(
            kind="api_key", subject="dora", name="DORA", scopes=frozenset({"surveys:write", "surveys:read"})
        ),
    )
    refused = await surveys.get("/exports/reponses", headers=writer, params={"questionnaire": "essai"})
    assert refused.status_code == 403 and refused.json()["required_scopes"] == ["surveys:export"]

    journal = await surveys.get("/journal-acces", headers=admin)
    assert journal.status_code == 200
    entries = journal.json()["items"]
    assert [entry["action"] for entry in entries] == ["export-reponses"] * 2
    assert entries[0]["acteur"] == "user-1" and entries[0]["details"] == {
        "questionnaire": "essai",
        "campagne": first["id"],
        "format": "xlsx",
    }
    assert entries[-1]["acteur"] == "admin-9" and entries[-1]["details"]["campagne"] is None
    for someone in (coordinator, mediator, writer):
        assert (await surveys.get("/journal-acces", headers=someone)).status_code == 403
