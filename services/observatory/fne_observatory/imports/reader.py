"""Reading an uploaded table as French files come: CSV in UTF-8 (with or without BOM), Windows-1252 or
Latin-1, with `,`, `;`, tab or `|` separators and decimal commas; or the first (or a named) sheet of an
XLSX."""

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = ",;\t|"
MISSING = {"", "na", "n/a", "nd", "n.d.", "-", "nc", "n.c."}
SECRET = {"s", "secret", "ss"}  # INSEE's mark for a value under statistical secrecy
SPACES = re.compile(r"[\s\u00a0\u202f]")


class UnreadableFile(ValueError):
    """The file is not a table we can read (the message says why)."""


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]  # cells as read: str for CSV, str/int/float/None for XLSX
    details: dict[str, Any] = field(default_factory=dict)  # encoding, separator, sheet: for the report


def decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding that read it: a BOM says; else strict UTF-8; else Windows-1252 (Excel's
    French default, a superset of Latin-1 for letters); else Latin-1, which reads any byte."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8"), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _separator(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        return max(SEPARATORS, key=header.count)


def read_csv(content: bytes) -> Table:
    text, encoding = decode(content)
    if "\x00" in text:
        raise UnreadableFile("fichier binaire : attendu un CSV ou un XLSX")
    if not text.strip():
        raise UnreadableFile("fichier vide")
    separator = _separator(text)
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    columns = [cell.strip() for cell in lines[0]]
    return Table(columns, lines[1:], {"format": "csv", "encodage": encoding, "separateur": separator})


def read_xlsx(content: bytes, sheet: str | None) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"classeur XLSX illisible : {exc}") from exc
    if sheet is not None and sheet not in workbook.sheetnames:
        raise UnreadableFile(f"feuille {sheet!r} absente (feuilles : {', '.join(workbook.sheetnames)})")
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    lines = [
        list(row)
        for row in worksheet.iter_rows(values_only=True)
        if any(cell is not None and str(cell).strip() for cell in row)
    ]
    workbook.close()
    if not lines:
        raise UnreadableFile("feuille vide")
    columns = [str(cell).strip() if cell is not None else "" for cell in lines[0]]
    return Table(columns, lines[1:], {"format": "xlsx", "feuille": worksheet.title})


def read_table(content: bytes, sheet: str | None = None) -> Table:
    return read_xlsx(content, sheet) if content.startswith(XLSX_MAGIC) else read_csv(content)


def cell_text(cell: Any) -> str:
    """A cell as text; whole numbers without ".0" (Excel stores INSEE codes as numbers)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_number(cell: Any) -> float | str | None:
    """A number from a cell: 1234.5, "1 234,5", "1.234,5", "1,234.5", "12,5 %". None when empty or marked
    missing, "secret" when marked secret; ValueError otherwise."""
    if isinstance(cell, bool):
        raise ValueError("booléen")
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = SPACES.sub("", cell_text(cell)).removesuffix("%")
        if text.lower() in MISSING:
            return None
        if text.lower() in SECRET:
            return "secret"
        if "," in text and "." in text:
            text = (
                text.replace(".", "").replace(",", ".")
                if text.rfind(",") > text.rfind(".")
                else text.replace(",", "")
            )
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        number = float(text)
    if math.isnan(number) or math.isinf(number):
        raise ValueError("pas un nombre fini")
    return number
