"""Reading French files: encodings, separators, number formats (no database)."""

import pytest

from fne_observatory.imports.reader import decode, parse_number, read_csv
from fne_observatory.upstream import json_array_items


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("1\u202f234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("12,5 %", 12.5),
        ("-3", -3.0),
        (7, 7.0),
        (2.5, 2.5),
        ("", None),
        ("NA", None),
        ("n.d.", None),
        ("s", "secret"),
        ("Secret", "secret"),
    ],
)
def test_numbers_as_french_files_write_them(cell, number):
    assert parse_number(cell) == number


@pytest.mark.parametrize("cell", ["abc", "1,2,3", "nan", "inf", True])
def test_what_is_not_a_number_is_refused(cell):
    with pytest.raises(ValueError):
        parse_number(cell)


def test_encodings_are_told_apart():
    assert decode("Évian;Bâle\n".encode("utf-8-sig")) == ("Évian;Bâle\n", "utf-8-sig")
    assert decode("Évian;Bâle\n".encode()) == ("Évian;Bâle\n", "utf-8")
    assert decode("Évian – Bâle\n".encode("cp1252")) == ("Évian – Bâle\n", "cp1252")
    # 0x81 is undefined in Windows-1252: such a file is Latin-1.
    assert decode(b"\x81\xe9t\xe9") == ("\x81été", "latin-1")


def test_separators_are_found_and_blank_lines_dropped():
    table = read_csv(b"code\tvaleur\n73065\t1,5\n\n73011\t2\n")
    assert table.details["separateur"] == "\t" and table.columns == ["code", "valeur"]
    assert table.rows == [["73065", "1,5"], ["73011", "2"]]


async def test_a_json_array_is_read_whatever_the_chunks():
    text = b'[ {"a": 1, "b": "x]\\"y"},\n{"a": 22} ,{"a": [3, {"c": null}]}]'

    async def chunks(size: int):
        for start in range(0, len(text), size):
            yield text[start : start + size]

    for size in (1, 2, 7, len(text)):
        assert [item async for item in json_array_items(chunks(size))] == [
            {"a": 1, "b": 'x]"y'},
            {"a": 22},
            {"a": [3, {"c": None}]},
        ]


async def test_a_truncated_json_array_is_an_error():
    async def chunks():
        yield b'[{"a": 1}, {"a": 2'

    with pytest.raises(ValueError):
        _ = [item async for item in json_array_items(chunks())]
