"""What a place is found by: one list of `field=value` keys per place, so that every filter of a search —
enumerated values, territory, and the hours of the week when the place may be open — is one lookup in one
index (a GIN index on PostgreSQL, where several keys are intersected inside the index) rather than one join
per filter.

Opening slots are a coarse pre-filter for "open at": the UTC weekday and hour of every hour the place is open
in its materialised intervals. A place open at a moment always holds that moment's slot; holding the slot only
makes it a candidate, the intervals decide (search.conditions).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from fne_directory.places.vocabulary import TAG_FIELDS

TERRITORY_FIELDS = ("departement_code", "epci_code", "code_insee")
SEPARATOR = "="
OPEN_SLOT_FIELD = "ouvert"
HOUR = timedelta(hours=1)


def key(field: str, value: str) -> str:
    return f"{field}{SEPARATOR}{value}"


def parse(filter_key: str) -> tuple[str, str]:
    field, _, value = filter_key.partition(SEPARATOR)
    return field, value


def open_slot(moment: datetime) -> str:
    """The key of the UTC weekday and hour of a moment (`ouvert=0-09`: Monday, 09:00–09:59 UTC)."""
    return key(OPEN_SLOT_FIELD, f"{moment.weekday()}-{moment.hour:02d}")


def open_slots(intervals: Iterable[tuple[datetime, datetime]]) -> set[str]:
    """The slots of every hour touched by the intervals (aware datetimes, UTC)."""
    slots: set[str] = set()
    for opens_at, closes_at in intervals:
        hour = opens_at.replace(minute=0, second=0, microsecond=0)
        while hour < closes_at and len(slots) < 7 * 24:
            slots.add(open_slot(hour))
            hour += HOUR
    return slots


def of_place(tags: dict[str, list[str]], territory: dict[str, str | None], slots: Iterable[str]) -> list[str]:
    """The place's keys, sorted (a stable value: an unchanged place is not rewritten)."""
    keys = {key(field, value) for field in TAG_FIELDS for value in tags.get(field, ())}
    keys |= {key(field, code) for field, code in territory.items() if code}
    return sorted(keys | set(slots))
