import csv
import io
import json
import re
from importlib.resources import files

from httpx import AsyncClient

from tests.observatory.factories import REFERENCE, upload


async def test_the_roadmap_as_data_four_axes_and_twenty_one_objectives(observatory: AsyncClient):
    roadmap = (await observatory.get("/feuille-de-route")).json()
    assert [axis["titre"] for axis in roadmap["axes"]] == [
        "Viser l'autonomie numérique",
        "Soutenir les lieux et structures d'accompagnement numérique",
        "Accompagner les organisations du territoire vers un numérique inclusif et responsable",
        "Animer et structurer la médiation numérique en Savoie",
    ]
    assert [[objective["numero"] for objective in axis["objectifs"]] for axis in roadmap["axes"]] == [
        list(range(1, 7)),
        list(range(7, 12)),
        list(range(12, 16)),
        list(range(16, 22)),
    ]
    assert roadmap["statuts"] == {"non_demarre": 21} and roadmap["territoire_suivi"] == "73"

    observatory_sheet = (await observatory.get("/feuille-de-route/objectifs/1")).json()
    assert observatory_sheet["titre"].startswith("Un observatoire pour connaître les pratiques")
    assert len(observatory_sheet["objectifs_strategiques"]) == 4 and len(observatory_sheet["actions"]) == 7
    waves = {milestone["id"]: milestone for milestone in observatory_sheet["jalons"]}
    assert (waves["1.b"]["echeance"], waves["1.e"]["echeance"], waves["1.f"]["echeance"]) == (
        "2024-12-31",
        "2025-03-31",
        "2025-09-30",
    )
    assert waves["1.h"]["echeance_texte"] == "Automne 2025" and waves["1.b"]["en_retard"]
    mesh = (await observatory.get("/feuille-de-route/objectifs/7")).json()
    white = next(indicator for indicator in mesh["indicateurs"] if "blanches" in indicator["libelle"])
    assert (white["cible"], white["echeance"], white["indicateur_catalogue"]) == (
        0,
        "2027-12-31",
        "zones_blanches_communes",
    )
    assert "lieux_nombre" in mesh["indicateurs_observatoire"]
    assert (await observatory.get("/feuille-de-route/objectifs/22")).status_code == 422


async def test_the_comite_records_statuses_values_and_milestones(
    observatory: AsyncClient, coordinator: dict, mediator: dict
):
    status = {"statut": "en_cours", "commentaire": "Comité des partenaires installé"}
    assert (await observatory.put("/feuille-de-route/objectifs/1/statut", json=status)).status_code == 401
    assert (
        await observatory.put("/feuille-de-route/objectifs/1/statut", json=status, headers=mediator)
    ).status_code == 403
    sheet = (
        await observatory.put("/feuille-de-route/objectifs/1/statut", json=status, headers=coordinator)
    ).json()
    assert (
        sheet["statut"] == "en_cours" and sheet["historique_statut"][0]["statut_precedent"] == "non_demarre"
    )

    value = {
        "date": "2026-10-01",
        "valeur": 14,
        "commentaire": "Recensement de la coordination",
        "preuves": [{"titre": "Tableau de suivi", "url": "https://mednum73.fr/?suivi"}],
    }
    recorded = await observatory.post(
        "/feuille-de-route/indicateurs/2.1/valeurs", json=value, headers=coordinator
    )
    assert recorded.status_code == 201 and recorded.json()["saisi_par"].startswith("Camille")
    # Who recorded what is for contributors; the public sees the values.
    public_values = (await observatory.get("/feuille-de-route/indicateurs/2.1/valeurs")).json()
    assert public_values[0]["valeur"] == 14 and public_values[0]["saisi_par"] is None
    public_sheet = (await observatory.get("/feuille-de-route/objectifs/1")).json()
    assert public_sheet["historique_statut"][0]["par"] is None
    contributor_sheet = (await observatory.get("/feuille-de-route/objectifs/1", headers=coordinator)).json()
    assert contributor_sheet["historique_statut"][0]["par"].startswith("Camille")
    no_number = await observatory.post(
        "/feuille-de-route/indicateurs/2.1/valeurs",
        headers=coordinator,
        json={"date": "2026-10-01", "texte": "beaucoup"},
    )
    assert no_number.status_code == 422 and no_number.json()["errors"][0]["field"] == "valeur"
    bad_link = await observatory.post(
        "/feuille-de-route/indicateurs/2.1/valeurs",
        headers=coordinator,
        json={**value, "preuves": [{"titre": "x", "url": "pas une adresse"}]},
    )
    assert bad_link.status_code == 422
    target = await observatory.patch(
        "/feuille-de-route/indicateurs/2.1", headers=coordinator, json={"valeur_initiale": 10, "cible": 18}
    )
    assert target.json()["avancement"] == 0.5 and target.json()["derniere_valeur"]["valeur"] == 14

    reached = await observatory.put(
        "/feuille-de-route/jalons/1.b",
        headers=coordinator,
        json={"statut": "atteint", "atteint_le": "2024-12-20"},
    )
    assert reached.status_code == 200 and not reached.json()["en_retard"]
    inconsistent = await observatory.put(
        "/feuille-de-route/jalons/1.c", headers=coordinator, json={"statut": "atteint"}
    )
    assert inconsistent.status_code == 422


async def test_a_roadmap_indicator_linked_to_the_catalogue_reads_the_observatory(
    observatory: AsyncClient, coordinator: dict
):
    linked = await observatory.patch(
        "/feuille-de-route/indicateurs/2.5",
        headers=coordinator,
        json={"indicateur_catalogue": "mediation_accompagnements"},
    )
    assert linked.status_code == 200 and linked.json()["tendance"] == "sans_donnee"
    parameters = {
        "jeu": "coop",
        "titre": "Activité",
        "millesime": "2025",
        "source": "Coop",
        "colonne_code": "code",
        "colonne_periode": "trimestre",
        "indicateurs": {"mediation_accompagnements": "n"},
    }
    content = b"code,trimestre,n\n73065,2025-T1,120\n73011,2025-T1,80\n73065,2025-T2,150\n73011,2025-T2,90\n"
    created = await observatory.post("/imports", headers=coordinator, **upload(content, parameters))
    await observatory.post(f"/imports/{created.json()['id']}/publication", headers=coordinator)
    values = (await observatory.get("/feuille-de-route/indicateurs/2.5/valeurs")).json()
    assert [(value["date"], value["valeur"], value["origine"]) for value in values] == [
        ("2025-01-01", 200, "observatoire"),
        ("2025-04-01", 240, "observatoire"),
    ]
    # The value says where it comes from by the indicator's name: its catalogue code is internal.
    assert all("mediation_accompagnements" not in value["commentaire"] for value in values)
    assert values[0]["commentaire"].startswith("Observatoire : ")
    meeting = await observatory.post(
        "/comites",
        headers=coordinator,
        json={"type": "comite_suivi", "date": "2025-06-30", "titre": "Comité d'été"},
    )
    report = await observatory.get(f"/comites/{meeting.json()['id']}/rapport")
    assert "mediation_accompagnements" not in report.text
    sheet = (await observatory.get("/feuille-de-route/objectifs/2")).json()
    assert next(i for i in sheet["indicateurs"] if i["id"] == "2.5")["tendance"] == "hausse"
    refused = await observatory.patch(
        "/feuille-de-route/indicateurs/2.5", headers=coordinator, json={"indicateur_catalogue": "inconnu"}
    )
    assert refused.status_code == 422


async def test_a_committee_report_shows_trends_and_what_changed_since_the_last_meeting(
    observatory: AsyncClient, coordinator: dict
):
    first = await observatory.post(
        "/comites",
        headers=coordinator,
        json={
            "type": "comite_suivi",
            "date": "2026-06-01",
            "titre": "Comité de suivi FNE n° 3",
            "lieu": "Chambéry",
            "documents": [{"titre": "Support", "url": "https://mednum73.fr/?fne-cs3"}],
        },
    )
    assert first.status_code == 201 and first.json()["reunion_precedente"] is None
    second = (
        await observatory.post(
            "/comites",
            headers=coordinator,
            json={"type": "comite_suivi", "date": "2026-12-10", "titre": "Comité de suivi FNE n° 4"},
        )
    ).json()
    technical = (
        await observatory.post(
            "/comites",
            headers=coordinator,
            json={"type": "comite_technique", "date": "2026-11-15", "titre": "Comité technique"},
        )
    ).json()
    assert second["reunion_precedente"] == first.json()["id"] and technical["reunion_precedente"] is None

    for day, count in (("2026-03-01", 11), ("2026-10-01", 14)):
        await observatory.post(
            "/feuille-de-route/indicateurs/2.1/valeurs",
            headers=coordinator,
            json={"date": day, "valeur": count, "commentaire": f"Relevé du {day}"},
        )
    await observatory.post(
        "/feuille-de-route/indicateurs/3.1/valeurs",
        headers=coordinator,
        json={"date": "2026-11-01", "valeur": 3, "commentaire": '=HYPERLINK("http://x")'},
    )
    await observatory.put(
        "/feuille-de-route/objectifs/2/statut",
        headers=coordinator,
        json={"statut": "en_cours", "commentaire": "Permanences ouvertes"},
    )
    await observatory.put(
        "/feuille-de-route/jalons/1.h",
        headers=coordinator,
        json={"statut": "atteint", "atteint_le": "2026-09-15"},
    )

    html = await observatory.get(f"/comites/{second['id']}/rapport")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    page = html.text
    assert "Comité de suivi" in page and "10/12/2026" in page and "01/06/2026" in page
    assert "@page" in page and 'lang="fr"' in page
    assert "Statut : Non démarré → En cours (Permanences ouvertes)" in page
    assert "Nombre de France Services en 2027 : 14 au 01/10/2026 — Relevé du 2026-10-01" in page
    assert "Jalon atteint : Présentation de la plateforme" in page

    rows = list(
        csv.DictReader(io.StringIO((await observatory.get(f"/comites/{second['id']}/rapport.csv")).text))
    )
    assert len(rows) == 74 and {row["objectif"] for row in rows} == {str(n) for n in range(1, 22)}
    france_services = next(row for row in rows if row["indicateur"] == "2.1")
    assert (
        france_services["valeur"],
        france_services["valeur_reunion_precedente"],
        france_services["tendance"],
    ) == ("14.0", "11.0", "hausse")
    assert (france_services["statut"], france_services["statut_precedent"]) == ("en_cours", "non_demarre")
    # Free text that a spreadsheet would run as a formula is neutralised.
    assert (
        next(row for row in rows if row["indicateur"] == "3.1")["commentaire"] == '\'=HYPERLINK("http://x")'
    )

    # The June report knew only the March value, nothing before it: everything is new.
    early = list(
        csv.DictReader(
            io.StringIO((await observatory.get(f"/comites/{first.json()['id']}/rapport.csv")).text)
        )
    )
    june = next(row for row in early if row["indicateur"] == "2.1")
    assert (june["valeur"], june["tendance"], june["statut"]) == ("11.0", "nouveau", "non_demarre")
    assert (await observatory.get("/comites/999/rapport")).status_code == 404


def test_the_data_file_says_what_the_roadmap_says():
    """Titles, aims, actions, actors and indicators are the roadmap's own words (its markup aside)."""
    seed = (REFERENCE.parent / "seed" / "feuille-de-route-fne-savoie-2024-2027.txt").read_text(
        encoding="utf-8"
    )
    plain = re.sub(r"\s+", " ", re.sub(r"\*+|\^\{([^}]*)\}|\[([^\]]*)\]\(#\)", r"\1\2", seed))
    data = json.loads(
        (files("fne_observatory") / "data" / "feuille-de-route-fne-savoie-2024-2027.json").read_text()
    )
    assert len(data["objectifs"]) == 21 and [axis["numero"] for axis in data["axes"]] == [1, 2, 3, 4]
    for objective in data["objectifs"]:
        texts = [
            objective["titre"],
            *objective["objectifs_strategiques"],
            objective["acteurs"],
            *(indicator["libelle"] for indicator in objective["indicateurs"]),
        ]
        if objective["numero"] != 1:  # the observatory's actions are numbered and nested in the roadmap
            texts += objective["actions"]
        for text in texts:
            assert re.sub(r"\s+", " ", text) in plain, (objective["numero"], text)
