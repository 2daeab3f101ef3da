"""Cells of CSV and XLSX exports, which people open in a spreadsheet: none may start a formula.

OWASP's rule (CSV injection): text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
with an apostrophe, which spreadsheets take as "this is text" — a place named `=HYPERLINK(…)` stays its name
instead of becoming a link that leaks data. Numbers are left alone, and so is text that is a plain number (a
telephone number `+33479600404`, a negative `-3,5`): a spreadsheet reads it as a number, never as a call. JSON
exports keep the exact values; only spreadsheet formats go through `safe_cell`.
"""

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 .,]*")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
