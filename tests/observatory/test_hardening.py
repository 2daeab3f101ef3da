"""No input gets a server error in the observatory: identifiers beyond their column, over-long links, NUL."""

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.roadmap.models import Meeting

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    "url",
    [
        "/comites/2147483648",
        "/comites/2147483648/rapport",
        "/comites/2147483648/rapport.csv",
        "/comites/99999999999999999999",
    ],
)
async def test_an_identifier_beyond_its_column_is_a_problem_not_a_server_error(
    observatory: AsyncClient, url: str
) -> None:
    response = await observatory.get(url)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM, response.text
    assert (await observatory.get("/comites/2147483647")).status_code == 404


@pytest.mark.parametrize("url", ["/indicateurs/%00", "/indicateurs?objectif=%00", "/comites?x=%ff"])
async def test_nul_and_invalid_text_are_refused(observatory: AsyncClient, url: str) -> None:
    response = await observatory.get(url)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM, response.text


@pytest.mark.parametrize("length", [2083, 2100, 5000])
async def test_a_committee_document_link_too_long_to_keep_is_refused_and_nothing_stored(
    observatory: AsyncClient, coordinator: dict, db: AsyncSession, length: int
) -> None:
    base = "https://mednum73.fr/"
    before = await db.scalar(select(func.count()).select_from(Meeting))
    created = 0
    for url in (
        base + "a" * (length - len(base)),
        base + "é" * (length - len(base)),
        base + "?q=" + "a b" * ((length - len(base) - 3) // 3),
    ):
        response = await observatory.post(
            "/comites",
            headers=coordinator,
            json={
                "type": "comite_suivi",
                "date": "2026-06-01",
                "titre": "Comité",
                "documents": [{"titre": "Support", "url": url}],
            },
        )
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            created += 1
            assert len(response.json()["documents"][0]["url"]) <= 2083
        else:
            assert response.headers["content-type"] == PROBLEM
    assert await db.scalar(select(func.count()).select_from(Meeting)) - before == created


async def test_a_nul_in_a_body_stores_nothing(
    observatory: AsyncClient, coordinator: dict, db: AsyncSession
) -> None:
    before = await db.scalar(select(func.count()).select_from(Meeting))
    response = await observatory.post(
        "/comites",
        headers=coordinator | {"content-type": "application/json"},
        content=b'{"type": "comite_suivi", "date": "2026-06-01", "titre": "a\\u0000"}',
    )
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert await db.scalar(select(func.count()).select_from(Meeting)) == before


def test_the_values_exports_cannot_carry_a_formula() -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from fne_observatory.publication.exports import COLUMNS, to_csv, to_xlsx

    row = {column: None for column in COLUMNS} | {
        "indicateur": "ifn_total",
        "nom": '=HYPERLINK("https://x.example";"Voir")',
        "valeur": -3.5,
        "source": "@import",
        "methode": "+cmd",
    }
    as_csv = next(csv.DictReader(io.StringIO(to_csv([row]).decode())))
    assert (as_csv["nom"], as_csv["source"], as_csv["methode"], as_csv["valeur"]) == (
        "'" + row["nom"],
        "'@import",
        "'+cmd",
        "-3.5",
    )
    book = load_workbook(io.BytesIO(to_xlsx([row], {"libelle": "=1+1"})))
    values = dict(zip(COLUMNS, next(book["valeurs"].iter_rows(min_row=2, values_only=True)), strict=True))
    assert (values["nom"], values["valeur"]) == ("'" + row["nom"], -3.5)
    assert list(book["metadonnees"].values) == [("libelle", "'=1+1")]
    assert all(cell.data_type != "f" for sheet in book for cells in sheet.iter_rows() for cell in cells)


async def test_eight_concurrent_writers_queue_instead_of_failing(
    databases, identity_keys, coordinator
) -> None:
    from fne_kernel.db import session_factory
    from fne_observatory.config import Settings
    from fne_observatory.main import create_app
    from fne_observatory.roadmap.seed import seed_reference
    from tests.support import all_at_once, migrated_fresh

    url = await migrated_fresh(databases, "fne_observatory", "observatory_writers")
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    async with session_factory(app.state.engine)() as session, session.begin():
        await seed_reference(session)
    requests = [
        (
            "POST",
            "/comites",
            {
                "headers": coordinator,
                "json": {"type": "comite_suivi", "date": f"2026-0{n + 1}-01", "titre": f"Comité {n}"},
            },
        )
        for n in range(8)
    ]
    requests += [
        (
            "POST",
            "/feuille-de-route/indicateurs/2.1/valeurs",
            {"headers": coordinator, "json": {"date": f"2026-0{n + 1}-02", "valeur": n}},
        )
        for n in range(8)
    ]
    assert await all_at_once(app, "http://observatory", requests) == [201] * 16
    async with session_factory(app.state.engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 8
    await app.state.engine.dispose()
