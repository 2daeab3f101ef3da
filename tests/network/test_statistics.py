"""GET /statistiques exactly as the contract with the observatory writes it (notes/network-contract.md)."""

from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from tests.network.versions import read_for_change

CHAMBERY, AIX, ALBERTVILLE = "73065", "73008", "73011"
YEAR = datetime.now(UTC).year


def row(mesure, commune, annee, valeur, mois=None, categorie=None):
    return {
        "mesure": mesure,
        "categorie": categorie,
        "commune": commune,
        "annee": annee,
        "mois": mois,
        "valeur": valeur,
    }


async def _network(network: AsyncClient, headers: dict[str, str]) -> None:
    people = [
        # A conseiller shared by two structures since 2024, placed in the commune of the first.
        {
            "prenom": "Léa",
            "nom": "Martin",
            "role": "conseiller_numerique",
            "actif_depuis": "2024-03-01",
            "employeurs": [{"nom": "Mairie", "commune": CHAMBERY}, {"nom": "CCAS", "commune": AIX}],
            "programmes": [{"code": "conseiller_numerique", "date_debut": "2024-03-01"}],
        },
        # An aidant habilitated to Aidants Connect in 2025, no longer active after 2025.
        {
            "prenom": "Hugo",
            "nom": "Bernard",
            "role": "aidant",
            "actif": False,
            "actif_depuis": "2025-01-15",
            "actif_jusqu_au": "2025-12-31",
            "employeurs": [{"nom": "Mairie d'Aix", "commune": AIX}],
            "programmes": [{"code": "aidants_connect", "date_debut": "2025-02-01", "date_fin": "2027-02-01"}],
        },
        # A France Services agent whose employer's commune is unknown.
        {
            "prenom": "Inès",
            "nom": "Roux",
            "role": "agent_france_services",
            "actif_depuis": "2025-06-01",
            "employeurs": [{"nom": "France Services itinérant"}],
        },
        {"prenom": "Paul", "nom": "Blanc", "role": "coordinateur", "actif_depuis": f"{YEAR}-01-01"},
    ]
    for body in people:
        created = await network.post("/personnes", json=body, headers=headers)
        assert created.status_code == 201, created.text
    # 1 December 2025 at 0 h 30 in Paris is still 30 November in UTC: months are counted in local time.
    session = (
        await network.post(
            "/formations",
            json={
                "titre": "Aidants",
                "public": "aidants",
                "debut": "2025-12-01T00:30:00+01:00",
                "fin": "2025-12-01T03:00:00+01:00",
                "commune": ALBERTVILLE,
            },
            headers=headers,
        )
    ).json()
    url = f"/formations/{session['id']}/inscriptions"
    for name, completed in (("A", True), ("B", True), ("C", False)):
        await network.post(
            url,
            json={"nom_participant": name, "presence": completed, "achevement": completed},
            headers=headers,
        )
    await network.post(
        "/formations",
        json={
            "titre": "Annulée",
            "public": "aidants",
            "debut": "2025-11-01T09:00:00+01:00",
            "fin": "2025-11-01T12:00:00+01:00",
            "commune": ALBERTVILLE,
        },
        headers=headers,
    )
    cancelled_id = (
        await network.get("/formations", params={"du": "2025-11-01", "au": "2025-11-01"}, headers=headers)
    ).json()["items"][0]["id"]
    await network.patch(
        f"/formations/{cancelled_id}",
        json={"annulee": True},
        headers=await read_for_change(network, f"/formations/{cancelled_id}", headers),
    )
    for title, start, published in (
        ("Café", "2025-10-07T14:00:00+02:00", True),
        ("Café 2", "2025-10-21T14:00:00+02:00", True),
        ("Brouillon", "2025-10-08T14:00:00+02:00", False),
    ):
        created = (
            await network.post(
                "/evenements",
                json={
                    "titre": title,
                    "type": "cafe_numerique",
                    "debut": start,
                    "fin": start.replace("14:00", "16:00"),
                    "commune": CHAMBERY,
                    "adresse": "Médiathèque",
                    "publie": published,
                },
                headers=headers,
            )
        ).json()
        if title == "Café":
            await network.put(
                f"/evenements/{created['id']}/bilan",
                json={"participants": 14, "partenaires": 2},
                headers=await read_for_change(network, f"/evenements/{created['id']}", headers),
            )
    future = datetime.now(UTC) + timedelta(days=5)
    await network.post(
        "/evenements",
        json={
            "titre": "À venir",
            "type": "forum",
            "debut": future.isoformat(),
            "fin": (future + timedelta(hours=1)).isoformat(),
            "commune": CHAMBERY,
            "adresse": "Salle",
        },
        headers=headers,
    )


async def test_statistics_follow_the_contract(network: AsyncClient, coordinator) -> None:
    await _network(network, coordinator)
    answer = await network.get("/statistiques", params={"annee": 2025})  # public
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["cache-control"].startswith("public")
    body = answer.json()
    assert set(body) == {"genere_le", "mesures"} and body["genere_le"].endswith("Z")
    assert body["mesures"] == [
        row("agents_france_services", None, 2025, 1),
        row("aidants_actifs", AIX, 2025, 1),
        row("aidants_habilites_aidants_connect", AIX, 2025, 1),
        row("conseillers_numeriques_actifs", CHAMBERY, 2025, 1),
        row("evenements", CHAMBERY, 2025, 2, mois=10, categorie="cafe_numerique"),
        row("evenements_partenaires", CHAMBERY, 2025, 2, mois=10, categorie="cafe_numerique"),
        row("evenements_participants", CHAMBERY, 2025, 14, mois=10, categorie="cafe_numerique"),
        row("formations_sessions", ALBERTVILLE, 2025, 1, mois=12, categorie="aidants"),
        row("personnes_formees", ALBERTVILLE, 2025, 2, mois=12, categorie="aidants"),
        row("postes_conseillers_mutualises", CHAMBERY, 2025, 1),
    ]

    every_year = (await network.get("/statistiques")).json()["mesures"]
    conseillers = [item["annee"] for item in every_year if item["mesure"] == "conseillers_numeriques_actifs"]
    assert conseillers == list(range(2024, YEAR + 1))
    # Hugo stopped at the end of 2025: an aidant in 2025, not after.
    assert [item["annee"] for item in every_year if item["mesure"] == "aidants_actifs"] == [2025]
    assert [item["annee"] for item in every_year if item["mesure"] == "coordinateurs"] == [YEAR]
    # Nothing yet to come is counted: the forum has not taken place.
    assert not [item for item in every_year if item["categorie"] == "forum"]
    assert all(item["valeur"] > 0 for item in every_year)
    assert (await network.get("/statistiques", params={"annee": YEAR + 1})).json()["mesures"] == []


async def test_a_bad_year_is_a_french_422(network: AsyncClient) -> None:
    for value in ("deux-mille", "1999", "2101"):
        refused = await network.get("/statistiques", params={"annee": value})
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["errors"][0]["field"] == "annee"
