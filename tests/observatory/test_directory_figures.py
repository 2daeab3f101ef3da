"""Directory-derived indicators, computed from a local server streaming the directory's real export format,
with the built-in travel-time estimate and with a local OSRM table server."""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from fne_observatory.directory_figures.client import DirectoryClient
from fne_observatory.directory_figures.travel import MOUNTAIN_DETOUR, Origin, OsrmFactory, estimated_minutes
from tests.observatory.fakes import FakeOsrm, fake_directory, fake_osrm, haversine_km, standard_place
from tests.observatory.jobs import computed as run
from tests.observatory.jobs import finished_job
from tests.observatory.test_imports import value_of

CN, FS, AC = "Conseillers numériques", "France Services", "Aidants Connect"
# (commune, programmes, date_maj) of each place, placed at its commune's reference point.
PLACES = [
    ("73065", [CN, FS], "2026-10-01"),
    ("73065", [CN], "2026-03-02"),
    ("73065", [], "2024-01-15"),
    ("73011", [CN, AC], "2026-09-01"),
    ("73248", [CN, FS], "2026-06-30"),
    ("73181", [FS], "2025-12-01"),
    ("73054", [CN], "2026-11-01"),
    ("74010", [CN], "2026-11-01"),
]
BONNEVAL, LA_MOTTE_SERVOLEX = "73047", "73179"


async def reference_point(client: AsyncClient, code: str) -> tuple[float, float]:
    commune = (await client.get(f"/territoires/commune/{code}")).json()
    return commune["latitude"], commune["longitude"]


async def directory_places(client: AsyncClient) -> list[dict]:
    places = []
    for number, (code, programmes, updated) in enumerate(PLACES, 1):
        latitude, longitude = await reference_point(client, code)
        places.append(standard_place(number, code, latitude, longitude, programmes, updated))
    places.append(
        standard_place(90, "69381", 45.7676, 4.8344, [CN])
    )  # Lyon 1er: not in the loaded territories
    broken = standard_place(91, "73065", 0, 0, [CN])
    broken["latitude"] = None
    places.append(broken)
    return places


def use_directory(app: FastAPI, url: str) -> None:
    app.state.directory_client = DirectoryClient(url, timeout=5, retries=1)


async def test_places_programmes_freshness_and_access_time_by_estimate(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    async with fake_directory(await directory_places(observatory)) as directory:
        use_directory(observatory_app, directory.url)
        computed = await run(observatory_app, observatory, coordinator, "/calculs/annuaire")
    assert computed["type"] == "annuaire" and computed["statut"] == "publie"
    report = computed["rapport"]
    assert (report["lieux_lus"], report["lieux_inutilisables"], report["lieux_hors_referentiel"]) == (
        10,
        1,
        1,
    )
    assert (report["perimetre"], report["lieux_hors_perimetre"], report["lieux_comptes"]) == (["73"], 1, 7)
    assert report["temps_d_acces"]["methode"] == "estimation"
    period = computed["jeu"].removeprefix("annuaire-")

    assert (await value_of(observatory, "lieux_nombre", "commune", "73065", period))["valeur"] == 3
    assert (await value_of(observatory, "lieux_nombre", "commune", BONNEVAL, period))["valeur"] == 0
    assert (await value_of(observatory, "lieux_nombre", "departement", "73", period))["valeur"] == 7
    assert (await value_of(observatory, "lieux_france_services", "departement", "73", period))["valeur"] == 3
    assert (await value_of(observatory, "lieux_aidants_connect", "departement", "73", period))["valeur"] == 1
    # Computed for the perimeter the directory serves (Savoie): France's and the region's values would be
    # Savoie's, they are « données partielles »; Annecy's adviser (74) counts for no commune.
    assert (await value_of(observatory, "lieux_conseillers_numeriques", "departement", "73", period))[
        "valeur"
    ] == 5
    for level, code in (("pays", "FR"), ("region", "84")):
        partial = await value_of(observatory, "lieux_conseillers_numeriques", level, code, period)
        assert (partial["donnees_partielles"], partial["valeur"]) == (True, None)
    listed = (
        await observatory.get("/indicateurs/lieux_nombre/valeurs", params={"niveau": "departement"})
    ).json()
    assert [item["code"] for item in listed["items"]] == ["73"]  # nothing computed for Haute-Savoie
    france = await value_of(observatory, "lieux_conseillers_numeriques", "pays", "FR", period)
    assert 0 < france["couverture"] < 0.02
    # Haute-Savoie's communes are loaded but outside the perimeter: not 273 + 279 communes counted as zones
    # blanches, no national count nor national access time published.
    assert report["communes"] == 273 and report["temps_d_acces"]["zones_blanches"] <= 273
    for indicator in ("zones_blanches_communes", "acces_conseiller_numerique_minutes"):
        national = await value_of(observatory, indicator, "pays", "FR", period)
        assert (national["valeur"], national["donnees_partielles"]) == (None, True)
        assert (await value_of(observatory, indicator, "departement", "73", period))["valeur"] is not None
    savoie = (await observatory.get("/territoires/departement/73")).json()
    density = await value_of(observatory, "lieux_pour_10000_habitants", "departement", "73", period)
    assert density["valeur"] == pytest.approx(7 / savoie["population"] * 10_000)
    fresh = await value_of(observatory, "annuaire_fraicheur", "commune", "73065", period)
    assert (fresh["numerateur"], fresh["denominateur"]) == (2, 3)

    # Bonneval-sur-Arc, at the head of the Maurienne: far beyond 20 minutes of the nearest adviser.
    bonneval = await reference_point(observatory, BONNEVAL)
    advisers = [
        await reference_point(observatory, code) for code, programmes, _ in PLACES if CN in programmes
    ]
    nearest = min(haversine_km(*bonneval, *adviser) for adviser in advisers)
    minutes = await value_of(observatory, "acces_conseiller_numerique_minutes", "commune", BONNEVAL, period)
    road = nearest * MOUNTAIN_DETOUR
    assert minutes["valeur"] == pytest.approx(
        estimated_minutes(Origin(BONNEVAL, *bonneval, 1.0, True), nearest), abs=0.01
    )
    assert minutes["valeur"] > 20 and road > 20
    assert minutes["methode"] == "estimation"
    assert (await value_of(observatory, "zones_blanches_communes", "commune", BONNEVAL, period))[
        "valeur"
    ] == 1
    assert (await value_of(observatory, "zones_blanches_communes", "commune", "73065", period))["valeur"] == 0
    share = await value_of(
        observatory, "acces_conseiller_numerique_part_population", "departement", "73", period
    )
    assert 0 < share["valeur"] < 100 and share["methode"] == "estimation"
    assert share["valeur"] == pytest.approx(share["numerateur"] / share["denominateur"] * 100)

    white = (
        await observatory.get("/acces/zones-blanches", params={"dans": "departement:73", "size": 200})
    ).json()["items"]
    assert BONNEVAL in {commune["code"] for commune in white} and "73065" not in {c["code"] for c in white}
    assert all(commune["minutes"] is None or commune["minutes"] > 20 for commune in white)


async def test_computing_again_within_the_month_replaces_the_months_values(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    places = await directory_places(observatory)
    async with fake_directory(places) as directory:
        use_directory(observatory_app, directory.url)
        first = await run(observatory_app, observatory, coordinator, "/calculs/annuaire")
        directory.places = places[:1]
        second = await run(observatory_app, observatory, coordinator, "/calculs/annuaire")
    assert (first["jeu"], first["version"] + 1) == (second["jeu"], second["version"])
    period = second["jeu"].removeprefix("annuaire-")
    assert (await value_of(observatory, "lieux_nombre", "departement", "73", period))["valeur"] == 1


async def test_an_unreachable_directory_stores_nothing(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    async with fake_directory([]) as directory:
        directory.failing = True
        use_directory(observatory_app, directory.url)
        job = await finished_job(observatory_app, observatory, coordinator, "/calculs/annuaire")
    assert job["statut"] == "echouee" and job["resultat"] is None and job["import_id"] is None
    assert (job["erreur"]["status"], job["erreur"]["code"]) == (502, "upstream-unavailable")
    assert "rien n'a été publié" in job["message"]
    assert directory.requests == 2  # one retry
    assert (await observatory.get("/imports", headers=coordinator)).json()["total"] == 0
    assert (await observatory.post("/calculs/annuaire")).status_code == 401


async def test_with_osrm_configured_travel_times_come_from_its_table_service(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    settings = observatory_app.state.settings
    async with fake_directory(await directory_places(observatory)) as directory, fake_osrm(10) as osrm:
        use_directory(observatory_app, directory.url)
        observatory_app.state.osrm_factory = OsrmFactory(
            settings.model_copy(update={"osrm_url": osrm.url, "osrm_max_locations": 10})
        )
        result = await run(observatory_app, observatory, coordinator, "/calculs/annuaire")
    report = result["rapport"]["temps_d_acces"]
    assert report["methode"] == "osrm" and report["requetes_osrm"] == len(osrm.calls) > 0
    assert all(sources + destinations <= 10 for sources, destinations in osrm.calls)
    period = result["jeu"].removeprefix("annuaire-")

    motte = await reference_point(observatory, LA_MOTTE_SERVOLEX)
    advisers = [
        await reference_point(observatory, code) for code, programmes, _ in PLACES if CN in programmes
    ]
    expected = min(
        FakeOsrm.seconds((motte[1], motte[0]), (longitude, latitude)) for latitude, longitude in advisers
    )
    minutes = await value_of(
        observatory, "acces_conseiller_numerique_minutes", "commune", LA_MOTTE_SERVOLEX, period
    )
    assert minutes["valeur"] == pytest.approx(expected / 60, abs=0.01) and minutes["methode"] == "osrm"
    # Bonneval is out of reach, and still has its road time to the nearest adviser.
    assert (await value_of(observatory, "zones_blanches_communes", "commune", BONNEVAL, period))[
        "valeur"
    ] == 1
    bonneval = await reference_point(observatory, BONNEVAL)
    far = min(
        FakeOsrm.seconds((bonneval[1], bonneval[0]), (longitude, latitude))
        for latitude, longitude in advisers
    )
    bonneval_minutes = await value_of(
        observatory, "acces_conseiller_numerique_minutes", "commune", BONNEVAL, period
    )
    assert bonneval_minutes["valeur"] == pytest.approx(far / 60, abs=0.01) and far / 60 > 20


async def test_the_access_maps_have_classes_that_separate_communes(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict
):
    async with fake_directory(await directory_places(observatory)) as directory:
        use_directory(observatory_app, directory.url)
        computed = await run(observatory_app, observatory, coordinator, "/calculs/annuaire")
    period = computed["jeu"].removeprefix("annuaire-")
    savoie = {"dans": "departement:73", "periode": period}

    # Zones blanches (yes/no): two classes, not all 273 communes in one.
    white = (await observatory.get("/indicateurs/zones_blanches_communes/carte", params=savoie)).json()
    classes = white["classes"]
    assert classes["bornes"] == [0, 1] and classes["libelles"] == ["0", "1"]
    assert all(count > 0 for count in classes["effectifs"]) and sum(classes["effectifs"]) == 273

    # Access times: fixed classes around the 20-minute reach, several of them filled.
    access = (
        await observatory.get("/indicateurs/acces_conseiller_numerique_minutes/carte", params=savoie)
    ).json()
    classes = access["classes"]
    assert classes["methode"] == "seuils" and classes["bornes"][:2] == [10, 20]
    assert len([count for count in classes["effectifs"] if count > 0]) >= 3
    assert classes["libelles"][1] == "plus de 10 à 20 min" and len(classes["libelles"]) == len(
        classes["bornes"]
    )
    by_class = {feature["properties"]["classe"] for feature in access["features"]}
    assert len(by_class - {None}) >= 3
    custom = (
        await observatory.get(
            "/indicateurs/acces_conseiller_numerique_minutes/carte",
            params={**savoie, "methode": "seuils", "bornes": "15,45"},
        )
    ).json()["classes"]
    assert custom["bornes"][:2] == [15, 45] and len(custom["bornes"]) == 3

    # The list of zones blanches says each commune's class, the same as the map's.
    zones = (
        await observatory.get("/acces/zones-blanches", params={"dans": "departement:73", "size": 200})
    ).json()["items"]
    assert len({zone["classe"] for zone in zones}) >= 2
    assert all(
        zone["classe"] == "aucun conseiller numérique à portée de route"
        if zone["minutes"] is None
        else zone["classe"].endswith(" min") and not zone["classe"].startswith("jusqu'à")
        for zone in zones
    )

    # Bad classes: French 422 problems.
    for params, reason in (
        ({"methode": "seuils", "bornes": "dix,vingt"}, "nombres"),
        ({"methode": "seuils", "bornes": "30,20"}, "croissantes"),
        ({"bornes": "10,20"}, "methode=seuils"),
        ({"methode": "seuils", "bornes": "1,2,3,4,5,6,7,8,9,10"}, "de 1 à 9"),
    ):
        refused = await observatory.get(
            "/indicateurs/acces_conseiller_numerique_minutes/carte", params={**savoie, **params}
        )
        assert refused.status_code == 422 and refused.headers["content-type"].startswith(
            "application/problem"
        )
        assert (
            refused.json()["errors"][0]["field"] == "bornes"
            and reason in refused.json()["errors"][0]["reason"]
        )
    refused = await observatory.get("/indicateurs/lieux_nombre/carte", params={**savoie, "methode": "seuils"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "bornes"
