"""Years and months as people of the Savoie count them: in French local time, not UTC (an event at 0 h 30 on
1 January belongs to the new year)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Paris")


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January 0 h, next 1 January 0 h) of `year`, local time, as UTC instants."""
    start = datetime.combine(date(year, 1, 1), time(), LOCAL)
    end = datetime.combine(date(year + 1, 1, 1), time(), LOCAL)
    return start.astimezone(UTC), end.astimezone(UTC)


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[first 0 h, day after last 0 h), local time, as UTC instants (None stays open)."""
    start = datetime.combine(first, time(), LOCAL).astimezone(UTC) if first else None
    end = (
        datetime.combine(date.fromordinal(last.toordinal() + 1), time(), LOCAL).astimezone(UTC)
        if last
        else None
    )
    return start, end
