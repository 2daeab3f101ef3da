from datetime import date

from httpx import AsyncClient

from tests.network.versions import read_for_change

CHAMBERY, AIX = "73065", "73008"


def person(**overrides):
    body = {
        "prenom": "Léa",
        "nom": "Martin",
        "role": "conseiller_numerique",
        "courriel": "Lea.Martin@example.org",
        "employeurs": [{"nom": "Mairie de Chambéry", "commune": CHAMBERY, "structure_id": "dora-123"}],
        "programmes": [{"code": "conseiller_numerique", "date_debut": "2024-03-01"}],
    }
    body.update(overrides)
    return body


async def test_a_coordinator_records_reads_and_changes_a_person(network: AsyncClient, coordinator) -> None:
    created = await network.post("/personnes", json=person(), headers=coordinator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["courriel"] == "lea.martin@example.org"
    assert body["employeurs"][0]["commune_nom"] == "Chambéry"
    assert body["poste_mutualise"] is False and body["consentement_publication"] is False
    assert created.headers["location"] == f"/personnes/{body['id']}"

    shared = await network.patch(
        f"/personnes/{body['id']}",
        json={
            "employeurs": [
                {"nom": "Mairie de Chambéry", "commune": CHAMBERY},
                {"nom": "CCAS d'Aix", "commune": AIX},
            ]
        },
        headers=await read_for_change(network, f"/personnes/{body['id']}", coordinator),
    )
    assert shared.status_code == 200, shared.text
    assert shared.json()["poste_mutualise"] is True
    assert [item["nom"] for item in shared.json()["employeurs"]] == ["Mairie de Chambéry", "CCAS d'Aix"]
    assert shared.json()["programmes"] == [
        {"code": "conseiller_numerique", "date_debut": "2024-03-01", "date_fin": None}
    ]

    stopped = await network.patch(
        f"/personnes/{body['id']}",
        json={"actif": False},
        headers=await read_for_change(network, f"/personnes/{body['id']}", coordinator),
    )
    assert stopped.json()["actif"] is False and stopped.json()["actif_jusqu_au"] == date.today().isoformat()

    listed = await network.get("/personnes", params={"commune": AIX}, headers=coordinator)
    assert listed.json()["total"] == 1
    assert (await network.get("/personnes", params={"actif": "true"}, headers=coordinator)).json()[
        "total"
    ] == 0


async def test_public_people_are_those_who_consented_with_public_fields_only(
    network: AsyncClient, coordinator
) -> None:
    await network.post("/personnes", json=person(), headers=coordinator)
    consenting = await network.post(
        "/personnes",
        json=person(
            prenom="Hugo", nom="Bernard", role="aidant", consentement_publication=True, programmes=[]
        ),
        headers=coordinator,
    )
    assert consenting.json()["consentement_le"] is not None
    public = await network.get("/personnes-publiques")
    assert public.status_code == 200
    assert [item["nom"] for item in public.json()["items"]] == ["Bernard"]
    assert set(public.json()["items"][0]) == {
        "id",
        "prenom",
        "nom",
        "role",
        "courriel",
        "telephone",
        "employeurs",
        "programmes",
    }
    # Withdrawing consent withdraws the person from the public list at once.
    await network.patch(
        f"/personnes/{consenting.json()['id']}",
        json={"consentement_publication": False},
        headers=await read_for_change(network, f"/personnes/{consenting.json()['id']}", coordinator),
    )
    assert (await network.get("/personnes-publiques")).json()["total"] == 0


async def test_people_are_not_for_anonymous_callers_nor_mediators(network: AsyncClient, mediator) -> None:
    assert (await network.get("/personnes")).status_code == 401
    refused = await network.post("/personnes", json=person(), headers=mediator)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["required_scopes"] == ["network:write"]


async def test_bad_input_is_refused_in_french_and_writes_nothing(network: AsyncClient, coordinator) -> None:
    cases = [
        person(role="benevole"),
        person(programmes=[{"code": "aidants_connect"}]),  # habilitation without its date
        person(
            programmes=[{"code": "france_services", "date_debut": "2025-01-01", "date_fin": "2024-01-01"}]
        ),
        person(programmes=[{"code": "france_services"}, {"code": "france_services"}]),
        person(courriel="pas-une-adresse"),
        person(employeurs=[{"nom": "Mairie", "commune": "7306"}]),
        person(employeurs=[{"nom": "Mairie", "commune": "73999"}]),  # well formed, but no such commune
        person(inconnu=1),
    ]
    for body in cases:
        refused = await network.post("/personnes", json=body, headers=coordinator)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["errors"][0]["reason"]
    unknown_commune = await network.post(
        "/personnes", json=person(employeurs=[{"nom": "Mairie", "commune": "73999"}]), headers=coordinator
    )
    assert unknown_commune.json()["errors"][0]["field"] == "employeurs.0.commune"
    assert (await network.get("/personnes", headers=coordinator)).json()["total"] == 0

    created = (await network.post("/personnes", json=person(), headers=coordinator)).json()
    for change in (
        {"nom": None},
        {"actif_jusqu_au": "2000-01-01"},
        {"employeurs": [{"nom": "X", "commune": "00000"}]},
    ):
        refused = await network.patch(
            f"/personnes/{created['id']}",
            json=change,
            headers=await read_for_change(network, f"/personnes/{created['id']}", coordinator),
        )
        assert refused.status_code == 422, (change, refused.text)
    unchanged = (await network.get(f"/personnes/{created['id']}", headers=coordinator)).json()
    assert unchanged["nom"] == "Martin" and unchanged["employeurs"][0]["commune"] == CHAMBERY
    assert (await network.get("/personnes/inconnue", headers=coordinator)).status_code == 404


async def test_export_and_erasure(network: AsyncClient, coordinator, writer_key) -> None:
    lea = (await network.post("/personnes", json=person(), headers=coordinator)).json()
    training = (
        await network.post(
            "/formations",
            json={
                "titre": "Aidants Connect",
                "public": "aidants",
                "debut": "2026-01-10T09:00:00+01:00",
                "fin": "2026-01-10T12:00:00+01:00",
                "commune": CHAMBERY,
            },
            headers=coordinator,
        )
    ).json()
    await network.post(
        f"/formations/{training['id']}/inscriptions",
        json={"personne_id": lea["id"], "presence": True, "achevement": True},
        headers=coordinator,
    )

    assert (await network.get(f"/personnes/{lea['id']}/export", headers=writer_key)).status_code == 403
    export = await network.get(f"/personnes/{lea['id']}/export", headers=coordinator)
    assert export.status_code == 200
    assert export.json()["personne"]["courriel"] == "lea.martin@example.org"
    assert export.json()["inscriptions"] == [
        {
            "formation_id": training["id"],
            "formation": "Aidants Connect",
            "debut": "2026-01-10T08:00:00Z",
            "presence": True,
            "achevement": True,
        }
    ]

    assert (
        await network.delete(
            f"/personnes/{lea['id']}",
            headers=await read_for_change(network, f"/personnes/{lea['id']}", coordinator),
        )
    ).status_code == 204
    assert (await network.get(f"/personnes/{lea['id']}", headers=coordinator)).status_code == 404
    registrations = (
        await network.get(f"/formations/{training['id']}/inscriptions", headers=coordinator)
    ).json()
    assert registrations == [
        {
            "id": registrations[0]["id"],
            "formation_id": training["id"],
            "personne_id": None,
            "nom": None,
            "structure": None,
            "presence": True,
            "achevement": True,
            "efface": True,
        }
    ]
    summary = (await network.get("/formations/bilan", params={"annee": 2026}, headers=coordinator)).json()
    assert summary["total_personnes_formees"] == 1  # the count survives the erasure
