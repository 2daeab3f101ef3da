"""Coverage before comparison (issue #12): an aggregate computed from part of a territory is not published as
that territory's value, and an EPCI spanning départements is in each of their views."""

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.territories.loader import load_territories
from tests.observatory.test_imports import publish_ifn, value_of

COEUR_DE_CHARTREUSE = "200040111"  # Communauté de communes Cœur de Chartreuse


async def test_the_profile_says_partial_data_instead_of_showing_savoie_as_france(
    observatory: AsyncClient, coordinator: dict
):
    await publish_ifn(observatory, coordinator)
    profile = (await observatory.get("/territoires/commune/73065/profil")).json()
    entry = next(item for item in profile["indicateurs"] if item["indicateur"] == "ifn_total")
    assert entry["territoire"]["valeur"] is not None and entry["territoire"]["couverture"] == 1
    # Savoie's value is Savoie's (all its communes): published.
    assert entry["departement"]["valeur"] is not None and not entry["departement"]["donnees_partielles"]
    # France's would be Savoie's again: « données partielles », no number, and how much it covers.
    france = entry["france"]
    assert (france["valeur"], france["numerateur"], france["donnees_partielles"]) == (None, None, True)
    assert 0 < france["couverture"] < 0.01
    # The region's profile itself does not show Savoie as the region.
    region = (await observatory.get("/territoires/region/84/profil")).json()
    ifn = next(item for item in region["indicateurs"] if item["indicateur"] == "ifn_total")
    assert (ifn["territoire"]["valeur"], ifn["territoire"]["donnees_partielles"]) == (None, True)
    # Nor does the map of the regions, nor the exports.
    regions = (await observatory.get("/indicateurs/ifn_total/carte", params={"niveau": "region"})).json()
    feature = next(item for item in regions["features"] if item["properties"]["code"] == "84")
    assert feature["properties"]["valeur"] is None and feature["properties"]["classe"] is None
    assert feature["properties"]["donnees_partielles"] is True
    exported = (await observatory.get("/indicateurs/ifn_total/valeurs.csv", params={"niveau": "pays"})).text
    header, row = exported.splitlines()[:2]
    columns = dict(zip(header.split(","), row.split(","), strict=True))
    assert (columns["valeur"], columns["donnees_partielles"]) == ("", "oui")


async def test_an_epci_spanning_departements_is_in_each_departements_views(
    observatory_app: FastAPI, observatory: AsyncClient, coordinator: dict, db: AsyncSession
):
    # Savoie and Isère loaded (inside this test's rolled-back transaction): Cœur de Chartreuse has its seat
    # and most of its people in Isère, and communes in Savoie.
    await load_territories(db, {"73", "38"})
    await db.commit()
    await publish_ifn(observatory, coordinator)

    params: dict[str, str | int] = {"niveau": "epci", "dans": "departement:73", "size": 100}
    epcis = (await observatory.get("/territoires", params=params)).json()
    assert epcis["total"] == 18
    chartreuse = next(item for item in epcis["items"] if item["code"] == COEUR_DE_CHARTREUSE)
    assert chartreuse["departement_code"] == "38" and "Chartreuse" in chartreuse["nom"]
    isere = (await observatory.get("/territoires", params={**params, "dans": "departement:38"})).json()
    assert chartreuse["code"] in {item["code"] for item in isere["items"]}

    # Its communes in Savoie are Savoie's, its others Isère's; all of them are its own.
    members = (
        await observatory.get(
            "/territoires", params={"niveau": "commune", "dans": f"epci:{chartreuse['code']}", "size": 100}
        )
    ).json()["items"]
    in_savoie = {item["code"] for item in members if item["departement_code"] == "73"}
    assert in_savoie and len(in_savoie) < len(members)

    # The map of Savoie's EPCIs has no hole: 18 outlines, Cœur de Chartreuse's value « données partielles »
    # (IFN values for its Savoie communes only), every other EPCI's published.
    carte = (
        await observatory.get(
            "/indicateurs/ifn_total/carte", params={"niveau": "epci", "dans": "departement:73", "zoom": 8}
        )
    ).json()
    features = {feature["properties"]["code"]: feature["properties"] for feature in carte["features"]}
    assert len(features) == 18
    assert features[chartreuse["code"]]["donnees_partielles"] is True
    assert features[chartreuse["code"]]["valeur"] is None
    assert 0 < features[chartreuse["code"]]["couverture"] < 0.95
    assert all(
        properties["valeur"] is not None
        for code, properties in features.items()
        if code != chartreuse["code"]
    )
    values = (await observatory.get("/indicateurs/ifn_total/valeurs", params=params)).json()
    assert values["total"] == 18
    partial = await value_of(observatory, "ifn_total", "epci", chartreuse["code"])
    assert partial["communes_couvertes"] == len(in_savoie) and partial["communes"] == len(members)
