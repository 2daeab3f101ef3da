"""Opening hours in the OpenStreetMap `opening_hours` syntax, evaluated in Europe/Paris with French public
holidays (`PH`), through the Rust implementation packaged as `opening-hours-py`."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, ParserError, State  # type: ignore[attr-defined]  # not in its stubs

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
# How far ahead opening intervals are materialised for the "open now / open at" filters.
HORIZON = timedelta(days=14)
# Open-ended expressions ("24/7") would otherwise be searched for a next change until the end of time.
MAX_INTERVAL_DAYS = 366


class InvalidOpeningHours(ValueError):
    pass


@lru_cache(maxsize=4096)
def parse(expression: str) -> OpeningHours:
    """The parsed expression; places share a few hundred timetables, each parsed once per process."""
    try:
        return OpeningHours(expression, timezone=PARIS, country="FR", max_interval_days=MAX_INTERVAL_DAYS)
    except (ParserError, SyntaxError) as exc:
        raise InvalidOpeningHours(explain(expression, str(exc))) from exc


_POSITION = re.compile(r"-->\s*\d+:(\d+)")
EXAMPLE = "« Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off »"


def explain(expression: str, parser_message: str) -> str:
    """The parser's complaint in words a coordinator understands: where reading stopped, what is expected."""
    found = _POSITION.search(parser_message)
    column = int(found.group(1)) if found else 0
    rest = expression[column - 1 :].strip() if column >= 1 else ""
    where = f"à partir de « {rest[:30]} »" if rest else "à la fin"
    return (
        f"horaires non compris {where} : indiquez des jours (Mo Tu We Th Fr Sa Su, PH pour les jours fériés) "
        f"suivis de plages HH:MM-HH:MM, par exemple {EXAMPLE}"
    )


def validate(expression: str) -> str:
    """Returns the expression if valid; raises InvalidOpeningHours with the parser's reason otherwise."""
    parse(expression)
    return expression


@dataclass(frozen=True)
class HoursState:
    open_now: bool | None
    next_opening: datetime | None
    next_closing: datetime | None


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def state_at(expression: str | None, moment: datetime) -> HoursState:
    """Open or closed at `moment`, and the next opening and closing after it (None when unknown)."""
    if not expression:
        return HoursState(None, None, None)
    # Hours change on whole minutes: within a minute, the state and the next changes are the same.
    return _state_at_minute(expression, moment.replace(second=0, microsecond=0))


@lru_cache(maxsize=4096)
def _state_at_minute(expression: str, moment: datetime) -> HoursState:
    hours = parse(expression)
    local = moment.astimezone(PARIS)
    state, _comment = hours.state(local)
    if state == State.UNKNOWN:
        return HoursState(None, None, None)
    change = hours.next_change(local)
    if state == State.OPEN:
        following = hours.next_change(change) if change is not None else None
        return HoursState(True, _utc(following), _utc(change))
    following = hours.next_change(change) if change is not None else None
    return HoursState(False, _utc(change), _utc(following))


def open_intervals(expression: str | None, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The open intervals between start and end, in UTC, for materialising "open at" searches."""
    if not expression:
        return []
    hours = parse(expression)
    return [
        (interval_start.astimezone(UTC), interval_end.astimezone(UTC))
        for interval_start, interval_end, state, _comment in hours.intervals(
            start.astimezone(PARIS), end.astimezone(PARIS)
        )
        if state == State.OPEN and interval_end is not None
    ]
