import csv
import io
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook

from tests.observatory.factories import upload
from tests.observatory.test_imports import publish_ifn, value_of


async def test_a_territory_profile_sets_each_indicator_next_to_its_department_and_france(
    observatory: AsyncClient, coordinator: dict
):
    await publish_ifn(observatory, coordinator)
    response = await observatory.get("/territoires/commune/73065/profil")
    assert response.status_code == 200
    profile = response.json()
    assert profile["territoire"]["nom"] == "Chambéry" and profile["departement"] == "73"
    entries = {entry["indicateur"]: entry for entry in profile["indicateurs"]}
    assert set(entries) == {
        "ifn_total",
        "ifn_absence_thd",
        "ifn_absence_4g",
        "ifn_pauvrete",
        "ifn_65_ans_et_plus",
        "ifn_non_diplomes",
    }
    total = entries["ifn_total"]
    assert total["periode"] == "2021" and total["departement"]["nom"] == "Savoie"
    assert (
        total["departement"]["valeur"]
        == (await value_of(observatory, "ifn_total", "departement", "73"))["valeur"]
    )
    assert total["france"]["code"] == "FR"
    assert profile["sources"][0]["millesime"] == "2021"
    # A department's own profile compares it with France only.
    savoie = (await observatory.get("/territoires/departement/73/profil")).json()
    assert savoie["indicateurs"][0]["departement"] is None and savoie["indicateurs"][0]["france"] is not None


async def test_a_time_series_lists_every_period(observatory: AsyncClient, coordinator: dict):
    await publish_ifn(observatory, coordinator)
    await publish_ifn(
        observatory,
        coordinator,
        b"code,total\n73065,6.5\n",
        jeu="ifn-savoie-2023",
        periode="2023",
        indicateurs={"ifn_total": "total"},
    )
    series = (await observatory.get("/indicateurs/ifn_total/series/commune/73065")).json()
    assert [(point["periode"], point["valeur"]) for point in series["points"]][1] == ("2023", 6.5)
    assert [point["periode"] for point in series["departement"]] == ["2021", "2023"]
    assert series["territoire"]["periode"] == "2023"
    latest = (await observatory.get("/indicateurs/ifn_total/valeurs")).json()
    assert latest["periode"] == "2023" and latest["periodes"] == ["2021", "2023"]


async def test_a_choropleth_of_savoie_has_classes_and_a_geometry_for_the_zoom(
    observatory: AsyncClient, coordinator: dict
):
    await publish_ifn(observatory, coordinator)
    params: dict[str, Any] = {"niveau": "commune", "dans": "departement:73", "zoom": 9, "classes": 5}
    response = await observatory.get(
        "/indicateurs/ifn_total/carte", params=params, headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/geo+json"
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < 300_000
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 273
    bounds = collection["classes"]["bornes"]
    assert 2 <= len(bounds) <= 5 and bounds == sorted(bounds) and bounds[-1] == 9.4
    assert sum(collection["classes"]["effectifs"]) == 273
    for feature in collection["features"]:
        value, klass = feature["properties"]["valeur"], feature["properties"]["classe"]
        assert bounds[klass - 1] >= value and (klass == 1 or bounds[klass - 2] < value)
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    # The same map again: not modified.
    again = await observatory.get(
        "/indicateurs/ifn_total/carte", params=params, headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304
    coarse = await observatory.get("/indicateurs/ifn_total/carte", params={**params, "zoom": 6})
    fine = await observatory.get("/indicateurs/ifn_total/carte", params={**params, "zoom": 12})
    assert len(coarse.content) < len(fine.content)
    natural = (
        await observatory.get(
            "/indicateurs/ifn_total/carte", params={**params, "methode": "seuils_naturels", "classes": 7}
        )
    ).json()
    assert natural["classes"]["methode"] == "seuils_naturels" and len(natural["classes"]["bornes"]) == 7
    assert (
        await observatory.get("/indicateurs/ifn_total/carte", params={**params, "classes": 9})
    ).status_code == 422


async def test_exports_in_csv_and_xlsx(observatory: AsyncClient, coordinator: dict):
    await publish_ifn(observatory, coordinator)
    response = await observatory.get(
        "/indicateurs/ifn_total/valeurs.csv", params={"niveau": "epci", "dans": "departement:73"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and all(row["niveau"] == "epci" and row["origine"] == "agregee" for row in rows)
    assert rows[0]["millesime"] == "2021" and rows[0]["unite"] == "score"
    workbook = load_workbook(
        io.BytesIO((await observatory.get("/indicateurs/ifn_total/valeurs.xlsx")).content)
    )
    assert workbook.sheetnames == ["valeurs", "metadonnees"]
    assert workbook["valeurs"].max_row == 274
    assert (await observatory.get("/indicateurs/lieux_nombre/valeurs.csv")).status_code == 404


async def test_a_groupement_gets_its_values_at_once_and_follows_its_redrawing(
    observatory: AsyncClient, coordinator: dict
):
    await publish_ifn(observatory, coordinator)
    body = {
        "code": "coeur-de-savoie",
        "nom": "Cœur de Savoie élargi",
        "membres": [{"niveau": "epci", "code": "200041010"}, {"niveau": "commune", "code": "73065"}],
    }
    created = await observatory.post("/territoires/groupements", headers=coordinator, json=body)
    assert created.status_code == 201, created.text
    grouping = created.json()
    assert grouping["departement_code"] == "73" and grouping["population"] > 58_000
    value = await value_of(observatory, "ifn_total", "groupement", "coeur-de-savoie")
    assert value["origine"] == "agregee" and value["communes"] == value["communes_couvertes"] > 1
    inside = (
        await observatory.get(
            "/territoires", params={"niveau": "commune", "dans": "groupement:coeur-de-savoie", "size": 200}
        )
    ).json()
    assert inside["total"] == value["communes"]

    chambery = await value_of(observatory, "ifn_total", "commune", "73065")
    redrawn = await observatory.put(
        "/territoires/groupements/coeur-de-savoie",
        headers=coordinator,
        json={"nom": "Chambéry seule", "membres": [{"niveau": "commune", "code": "73065"}]},
    )
    assert redrawn.status_code == 200
    assert (await value_of(observatory, "ifn_total", "groupement", "coeur-de-savoie"))["valeur"] == chambery[
        "valeur"
    ]
    assert (
        await observatory.post("/territoires/groupements", headers=coordinator, json=body)
    ).status_code == 409
    unknown = await observatory.put(
        "/territoires/groupements/coeur-de-savoie",
        headers=coordinator,
        json={"nom": "x", "membres": [{"niveau": "commune", "code": "99999"}]},
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "membres.0"
    assert (await observatory.delete("/territoires/groupements/coeur-de-savoie")).status_code == 401
    assert (
        await observatory.delete("/territoires/groupements/coeur-de-savoie", headers=coordinator)
    ).status_code == 204
    assert (await observatory.get("/territoires/groupement/coeur-de-savoie")).status_code == 404


async def test_the_catalogue(observatory: AsyncClient, coordinator: dict):
    catalogue = (await observatory.get("/indicateurs", params={"objectif": 7, "size": 100})).json()
    codes = {item["code"] for item in catalogue["items"]}
    assert {"lieux_nombre", "acces_conseiller_numerique_part_population", "zones_blanches_communes"} <= codes
    definition = (await observatory.get("/indicateurs/ifn_total")).json()
    assert definition["agregation"] == "moyenne_ponderee" and definition["polarite"] == "baisse_favorable"

    body = {
        "code": "ent_connexions",
        "libelle": "Connexions à l'ENT",
        "theme": "Éducation",
        "unite": "nombre",
        "source": "Rectorat",
        "niveaux": ["commune"],
        "periodicite": "annuelle",
        "polarite": "neutre",
        "agregation": "somme",
        "objectifs": [19],
    }
    assert (await observatory.post("/indicateurs", json=body)).status_code == 401
    created = await observatory.post("/indicateurs", headers=coordinator, json=body)
    assert created.status_code == 201 and created.json()["objectifs"] == [19]
    assert (await observatory.post("/indicateurs", headers=coordinator, json=body)).status_code == 409
    bad = await observatory.post(
        "/indicateurs", headers=coordinator, json={**body, "code": "x_y", "objectifs": [22]}
    )
    assert bad.status_code == 422

    await publish_ifn(observatory, coordinator)
    changed = {key: value for key, value in definition.items() if key not in ("code", "producteur")}
    locked = await observatory.put(
        "/indicateurs/ifn_total", headers=coordinator, json={**changed, "agregation": "somme"}
    )
    assert locked.status_code == 409 and locked.json()["fields"] == ["agregation"]
    relabelled = await observatory.put(
        "/indicateurs/ifn_total",
        headers=coordinator,
        json={**changed, "libelle": "Indice de fragilité numérique (IFN)"},
    )
    assert relabelled.status_code == 200 and relabelled.json()["libelle"].endswith("(IFN)")
    refused = await observatory.get("/indicateurs/ent_connexions/valeurs", params={"niveau": "departement"})
    assert refused.status_code == 422 and refused.json()["code"] == "level-not-published"


async def test_small_counts_never_leak_through_values_maps_or_profiles(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    # Four communes cover a few % of Savoie: with the coverage threshold lowered, its total is published and
    # the disclosure control is what keeps the small count hidden.
    observatory_app.state.settings = observatory_app.state.settings.model_copy(
        update={"coverage_threshold": 0.01}
    )
    parameters = {
        "jeu": "coop-t1",
        "titre": "Activité",
        "millesime": "2025",
        "source": "Coop",
        "colonne_code": "code",
        "periode": "2025-T1",
        "indicateurs": {"mediation_accompagnements": "n"},
    }
    content = b"code,n\n73065,120\n73008,4\n73011,80\n73004,30\n"
    created = await observatory.post("/imports", headers=coordinator, **upload(content, parameters))
    await observatory.post(f"/imports/{created.json()['id']}/publication", headers=coordinator)
    small = await value_of(observatory, "mediation_accompagnements", "commune", "73008", "2025-T1")
    assert (small["valeur"], small["secret"]) == (None, "primaire")
    values = {
        item["code"]: item
        for item in (
            await observatory.get(
                "/indicateurs/mediation_accompagnements/valeurs",
                params={"dans": "departement:73", "size": 200},
            )
        ).json()["items"]
    }
    withheld = [code for code, item in values.items() if item["secret"]]
    # The department's total is published: a second commune is withheld so that 73008 cannot be subtracted
    # out.
    savoie = await value_of(observatory, "mediation_accompagnements", "departement", "73", "2025-T1")
    assert savoie["valeur"] == 234 and len(withheld) >= 2
    assert all(values[code]["valeur"] is None and values[code]["numerateur"] is None for code in withheld)
    assert (
        savoie["valeur"] - sum(item["valeur"] for item in values.values() if item["valeur"] is not None) >= 11
    )
    carte = (
        await observatory.get(
            "/indicateurs/mediation_accompagnements/carte", params={"dans": "departement:73"}
        )
    ).json()
    for feature in carte["features"]:
        if feature["properties"]["code"] in withheld:
            assert feature["properties"]["valeur"] is None and feature["properties"]["classe"] is None
    profile = (await observatory.get("/territoires/commune/73008/profil")).json()
    assert profile["indicateurs"][0]["territoire"]["valeur"] is None
