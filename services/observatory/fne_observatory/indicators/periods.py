"""Periods of values, as strings that sort in time order within one periodicity: "2024" (a year), "2025-T1"
(a quarter), "2025-03" (a month), "2026-11-29" (a day, for snapshots)."""

import re
from datetime import date

PERIOD = re.compile(r"^(\d{4})(?:-T([1-4])|-(0[1-9]|1[0-2])(?:-(\d{2}))?)?$")
PERIOD_PATTERN = PERIOD.pattern


def period_start(period: str) -> date:
    """The first day of the period; ValueError when it is not a period."""
    match = PERIOD.fullmatch(period)
    if not match:
        raise ValueError(f"période invalide : {period!r} (AAAA, AAAA-T1 à T4, AAAA-MM ou AAAA-MM-JJ)")
    year, quarter, month, day = match.groups()
    if quarter:
        return date(int(year), 3 * int(quarter) - 2, 1)
    return date(int(year), int(month or 1), int(day or 1))


def is_period(value: str) -> bool:
    try:
        period_start(value)
    except ValueError:
        return False
    return True
