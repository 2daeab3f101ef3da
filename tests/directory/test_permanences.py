"""Permanences: recorded by coordinators, shown on the place's page without personal data unless consented,
found by the `permanence` search filter, carried into the exports, and read per commune by the observatory."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.permanences.models import Permanence, PermanenceSlot
from fne_directory.places import search as place_search
from fne_kernel.identity import Role
from tests.directory.factories import place_payload
from tests.support import identity_header, user_principal

PROBLEM = "application/problem+json"


def editor(identity_keys) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR))


async def _place(directory: AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await directory.post("/lieux", json=place_payload(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _tour(first: str, second: str) -> dict[str, Any]:
    return {
        "role": "conseiller_numerique",
        "personne_id": "p-42",
        "libelle": "Camille Martin",
        "creneaux": [
            {"lieu_id": first, "jour": "mardi", "debut": "09:00", "fin": "12:00"},
            {"lieu_id": second, "jour": "jeudi", "debut": "14:00", "fin": "17:30"},
            # A stop of the tour outside any listed place: Bessans, on the market square.
            {
                "code_insee": "73040",
                "precision_lieu": "Place du marché",
                "jour": "vendredi",
                "debut": "10:00",
                "fin": "12:00",
            },
        ],
    }


async def test_a_coordinator_records_an_itinerant_tour_seen_on_each_place_page(
    directory: AsyncClient, identity_keys, communes
):
    headers = editor(identity_keys)
    mediatheque = await _place(directory, headers, dispositif_programmes_nationaux=[])
    mairie = await _place(
        directory, headers, nom="Mairie de Bassens", code_postal="73000", code_insee="73031"
    )
    created = await directory.post(
        "/permanences", json=_tour(mediatheque["id"], mairie["id"]), headers=headers
    )
    assert created.status_code == 201, created.text
    permanence = created.json()
    assert permanence["itinerante"] is True
    assert permanence["communes"] == ["73031", "73040", "73065"]
    assert permanence["personne_id"] == "p-42"  # the writer sees what was entered
    # No consent: the public sees the role, never the name or the person's id.
    public = (await directory.get(f"/permanences/{permanence['id']}")).json()
    assert public["libelle"] == "Conseiller numérique" and public["personne_id"] is None
    assert "Camille" not in str(public)

    page = (await directory.get(f"/lieux/{mediatheque['id']}")).json()
    assert page["permanences"] == [
        {
            "id": permanence["id"],
            "role": "conseiller_numerique",
            "libelle": "Conseiller numérique",
            "itinerante": True,
            "creneaux": [
                {
                    "lieu_id": mediatheque["id"],
                    "lieu_nom": mediatheque["nom"],
                    "code_insee": "73065",
                    "commune": "Chambéry",
                    "precision_lieu": None,
                    "jour": "mardi",
                    "debut": "09:00",
                    "fin": "12:00",
                    "texte": "le mardi 9 h–12 h",
                }
            ],
            "texte": "Conseiller numérique présent le mardi 9 h–12 h (en tournée)",
        }
    ]
    other = (await directory.get(f"/lieux/{mairie['id']}")).json()["permanences"]
    assert other[0]["texte"] == "Conseiller numérique présent le jeudi 14 h–17 h 30 (en tournée)"


async def test_the_label_is_published_only_with_consent(directory: AsyncClient, identity_keys, communes):
    headers = editor(identity_keys)
    place = await _place(directory, headers)
    body = {
        "role": "aidant",
        "libelle": "Équipe du CCAS",
        "libelle_public": True,
        "creneaux": [{"lieu_id": place["id"], "jour": "lundi", "debut": "14:00", "fin": "16:00"}],
    }
    created = await directory.post("/permanences", json=body, headers=headers)
    assert created.status_code == 201, created.text
    held = (await directory.get(f"/lieux/{place['id']}")).json()["permanences"][0]
    assert held["libelle"] == "Équipe du CCAS" and held["itinerante"] is False
    assert held["texte"] == "Aidant numérique présent le lundi 14 h–16 h"


async def test_bad_permanences_get_a_french_422_and_write_nothing(
    directory: AsyncClient, identity_keys, communes, db: AsyncSession
):
    headers = editor(identity_keys)
    place = await _place(directory, headers)
    bad = {
        "role": "conseiller_numerique",
        "libelle_public": True,
        "creneaux": [
            {"lieu_id": place["id"], "jour": "mardi", "debut": "12:00", "fin": "09:00"},
            {
                "lieu_id": "00000000-0000-0000-0000-000000000000",
                "jour": "mardi",
                "debut": "09:00",
                "fin": "12:00",
            },
            {"code_insee": "99999", "jour": "mardi", "debut": "09:00", "fin": "12:00"},
            {"jour": "mardi", "debut": "09:00", "fin": "12:00"},
            {
                "lieu_id": place["id"],
                "code_insee": "73031",
                "jour": "mardi",
                "debut": "09:00",
                "fin": "12:00",
            },
        ],
    }
    response = await directory.post("/permanences", json=bad, headers=headers)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    fields = {error["field"]: error["reason"] for error in response.json()["errors"]}
    assert fields == {
        "creneaux.0.fin": "l'heure de fin doit suivre l'heure de début",
        "creneaux.1.lieu_id": "aucun lieu actif de l'annuaire ne porte cet identifiant",
        "creneaux.2.code_insee": "commune inconnue du référentiel",
        "creneaux.3": "indiquez un lieu de l'annuaire (lieu_id) ou une commune (code_insee)",
        "creneaux.4.code_insee": "le lieu est dans la commune 73065, pas 73031",
        "libelle_public": "il n'y a pas de libellé à publier",
    }
    unknown_day = await directory.post(
        "/permanences",
        json={
            "role": "pape",
            "creneaux": [{"lieu_id": place["id"], "jour": "octidi", "debut": "9", "fin": "x"}],
        },
        headers=headers,
    )
    assert unknown_day.status_code == 422 and unknown_day.headers["content-type"] == PROBLEM
    assert {error["field"] for error in unknown_day.json()["errors"]} >= {"role", "creneaux.0.jour"}
    assert await db.scalar(select(func.count()).select_from(Permanence)) == 0
    assert await db.scalar(select(func.count()).select_from(PermanenceSlot)) == 0


async def test_writes_need_the_directory_write_scope(directory: AsyncClient, identity_keys, communes):
    place = await _place(directory, editor(identity_keys))
    body = {
        "role": "aidant",
        "creneaux": [{"lieu_id": place["id"], "jour": "lundi", "debut": "09:00", "fin": "10:00"}],
    }
    anonymous = await directory.post("/permanences", json=body)
    mediator = await directory.post(
        "/permanences", json=body, headers=identity_header(identity_keys[0], user_principal(Role.MEDIATOR))
    )
    assert (anonymous.status_code, mediator.status_code) == (401, 403)


async def test_search_filter_replace_and_withdraw(directory: AsyncClient, identity_keys, communes):
    headers = editor(identity_keys)
    hosting = await _place(directory, headers, nom="Espace France Services de Chambéry")
    await _place(directory, headers, nom="Bibliothèque sans permanence")
    body = {
        "role": "conseiller_numerique",
        "creneaux": [{"lieu_id": hosting["id"], "jour": "mercredi", "debut": "09:30", "fin": "11:00"}],
    }
    permanence = (await directory.post("/permanences", json=body, headers=headers)).json()

    async def found(role: str) -> list[str]:
        response = await directory.get("/lieux", params={"permanence": role, "facettes": "true"})
        assert response.status_code == 200, response.text
        return [item["nom"] for item in response.json()["items"]]

    assert await found("conseiller_numerique") == ["Espace France Services de Chambéry"]
    assert await found("aidant") == []
    items = (await directory.get("/lieux", params={"q": "Chambéry"})).json()["items"]
    with_permanence = {item["nom"]: len(item["permanences"]) for item in items}
    assert with_permanence["Espace France Services de Chambéry"] == 1
    bad = await directory.get("/lieux", params={"permanence": "astronaute"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM

    replaced = await directory.put(
        f"/permanences/{permanence['id']}", json=body | {"role": "aidant"}, headers=headers
    )
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    assert await found("conseiller_numerique") == []
    assert await found("aidant") == ["Espace France Services de Chambéry"]
    listed = (await directory.get("/permanences", params={"lieu_id": hosting["id"]})).json()
    assert listed["total"] == 1 and listed["items"][0]["role"] == "aidant"

    withdrawn = await directory.delete(f"/permanences/{permanence['id']}", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert await found("aidant") == []
    assert (await directory.get(f"/lieux/{hosting['id']}")).json()["permanences"] == []
    assert (await directory.get(f"/permanences/{permanence['id']}")).status_code == 404


async def test_exports_carry_permanences_in_the_standards_fields(
    directory: AsyncClient, identity_keys, communes
):
    headers = editor(identity_keys)
    place = await _place(
        directory, headers, dispositif_programmes_nationaux=["France Services"], presentation_detail=None
    )
    body = {
        "role": "conseiller_numerique",
        "creneaux": [{"lieu_id": place["id"], "jour": "mardi", "debut": "09:00", "fin": "12:00"}],
    }
    assert (await directory.post("/permanences", json=body, headers=headers)).status_code == 201
    records = (await directory.get("/exports/lieux.json")).json()
    record = next(item for item in records if item["id"] == place["id"])
    assert record["dispositif_programmes_nationaux"] == "France Services|Conseillers numériques"
    assert record["presentation_detail"] == "Permanences : Conseiller numérique présent le mardi 9 h–12 h."
    csv_text = (await directory.get("/exports/lieux.csv")).text
    assert "Permanences : Conseiller numérique présent le mardi 9 h–12 h." in csv_text
    structures = (await directory.get("/exports/data-inclusion/structures.json")).json()
    assert any("Permanences" in (item.get("description") or "") for item in structures)


async def test_communes_reached_by_permanences(directory: AsyncClient, identity_keys, communes):
    headers = editor(identity_keys)
    first = await _place(directory, headers)
    second = await _place(
        directory, headers, nom="Mairie de Bassens", code_postal="73000", code_insee="73031"
    )
    assert (
        await directory.post("/permanences", json=_tour(first["id"], second["id"]), headers=headers)
    ).status_code == 201
    fixed = {
        "role": "aidant",
        "creneaux": [{"lieu_id": first["id"], "jour": "lundi", "debut": "09:00", "fin": "10:00"}],
    }
    assert (await directory.post("/permanences", json=fixed, headers=headers)).status_code == 201
    reached = (await directory.get("/permanences/communes", params={"departement": "73"})).json()
    assert reached == [
        {"code_insee": "73031", "roles": ["conseiller_numerique"], "itinerante": True},
        {"code_insee": "73040", "roles": ["conseiller_numerique"], "itinerante": True},
        {"code_insee": "73065", "roles": ["aidant", "conseiller_numerique"], "itinerante": True},
    ]
    # A withdrawn host place no longer counts.
    place = await directory.get(f"/lieux/{second['id']}")
    await directory.delete(f"/lieux/{second['id']}", headers=headers | {"If-Match": place.headers["etag"]})
    codes = [item["code_insee"] for item in (await directory.get("/permanences/communes")).json()]
    assert codes == ["73040", "73065"]


async def test_a_permanence_change_puts_its_host_places_back_in_the_change_feed(
    directory: AsyncClient, identity_keys, communes
):
    headers = editor(identity_keys)
    place = await _place(directory, headers)
    before = place["updated_at"]
    body = {
        "role": "aidant",
        "creneaux": [{"lieu_id": place["id"], "jour": "lundi", "debut": "09:00", "fin": "10:00"}],
    }
    assert (await directory.post("/permanences", json=body, headers=headers)).status_code == 201
    changed = await directory.get("/lieux/modifications", params={"depuis": before})
    items = [item for item in changed.json()["items"] if item["id"] == place["id"]]
    assert items and items[0]["updated_at"] > before
    assert items[0]["permanences"][0]["texte"] == "Aidant numérique présent le lundi 9 h–10 h"


async def test_the_permanence_filter_goes_with_the_others_in_one_statement_shape(
    directory: AsyncClient, db: AsyncSession, identity_keys, communes
):
    headers = editor(identity_keys)
    aidant_place = await _place(directory, headers, nom="Médiathèque de Chambéry")
    conseiller_place = await _place(directory, headers, nom="Maison France Services de Chambéry")
    await _place(directory, headers, nom="Mairie de Chambéry")
    for role, place in (("aidant", aidant_place), ("conseiller_numerique", conseiller_place)):
        body = {
            "role": role,
            "creneaux": [{"lieu_id": place["id"], "jour": "lundi", "debut": "09:00", "fin": "10:00"}],
        }
        assert (await directory.post("/permanences", json=body, headers=headers)).status_code == 201

    async def found(**params: Any) -> tuple[list[str], int]:
        response = await directory.get("/lieux", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        return [item["nom"] for item in page["items"]], page["total"]

    with place_search.observed() as executed:
        both = await found(permanence=["aidant", "conseiller_numerique"], departement="73")
        one = await found(permanence="aidant", departement="73")
    # A département with a permanence filter is not "a département alone": the filter applies.
    assert both == (["Maison France Services de Chambéry", "Médiathèque de Chambéry"], 2)
    assert one == (["Médiathèque de Chambéry"], 1)
    assert await found(departement="73") == (
        ["Mairie de Chambéry", "Maison France Services de Chambéry", "Médiathèque de Chambéry"],
        3,
    )
    assert await found(permanence="aidant", q="Mairie") == ([], 0)
    assert (await directory.get("/lieux", params={"permanence": "inconnu"})).status_code == 422
    # Facets count the filtered places, and differ from those of the same search without the filter.
    faceted = (await directory.get("/lieux", params={"permanence": "aidant", "facettes": "true"})).json()
    everything = (await directory.get("/lieux", params={"facettes": "true"})).json()
    assert (faceted["total"], everything["total"]) == (1, 3)
    assert bool(executed) == (db.get_bind().dialect.name == "postgresql")  # statements observed on PostgreSQL
    if executed:  # one statement for one role or two, the roles bound as an array
        assert len({statement for statement, _arguments in executed}) == 1
        assert all("= ANY" in statement for statement, _arguments in executed)
        assert [["aidant", "conseiller_numerique"]] == [
            argument for argument in executed[0][1] if isinstance(argument, list) and "aidant" in argument
        ]
    documented = (await directory.get("/openapi.json")).json()["paths"]["/lieux"]["get"]["parameters"]
    assert "permanence" in {parameter["name"] for parameter in documented}


async def test_search_reads_permanences_only_for_pages_with_places_holding_slots(
    directory: AsyncClient, directory_app, identity_keys, communes
):
    """A page's permanences are read in one statement, and only when one of its places holds a slot (a
    column of the page, issue #18): most pages have none."""
    headers = editor(identity_keys)
    hosting = await _place(directory, headers, nom="Maison France Services Zébulon")
    await _place(directory, headers, nom="Médiathèque Xylophone")
    body = {
        "role": "aidant",
        "creneaux": [{"lieu_id": hosting["id"], "jour": "lundi", "debut": "09:00", "fin": "10:00"}],
    }
    assert (await directory.post("/permanences", json=body, headers=headers)).status_code == 201
    executed: list[str] = []

    def keep(_connection, _cursor, statement, *_args) -> None:
        executed.append(statement)

    engine = directory_app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        searches = {}
        for text in ("Xylophone", "Zébulon", "Médiathèque"):
            executed.clear()
            items = (await directory.get("/lieux", params={"q": text})).json()["items"]
            reads = sum("location_detail" in statement for statement in executed)
            searches[text] = ([(item["nom"], len(item["permanences"])) for item in items], reads)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert searches["Xylophone"] == ([("Médiathèque Xylophone", 0)], 0)
    assert searches["Zébulon"] == ([("Maison France Services Zébulon", 1)], 1)
    assert searches["Médiathèque"] == ([("Médiathèque Xylophone", 0)], 0)
