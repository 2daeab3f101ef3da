"""A merged place from the records that describe it, field by field, under the configured precedence."""

from datetime import date
from typing import Any

from pydantic import ValidationError

from fne_directory.places.models import Place
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import record as place_record
from fne_directory.sync.manual import ADDRESS, POSITION
from fne_directory.sync.models import SourceRecord

FIELDS = tuple(
    name for name in PlaceInput.model_fields if name not in (*ADDRESS, *POSITION, "source", "date_maj")
)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def ordered(records: list[SourceRecord], precedence: str, priority: list[str]) -> list[SourceRecord]:
    """Most trusted first: by date_maj (most recent first, source priority breaking ties), or by priority."""

    def rank(record: SourceRecord) -> int:
        return priority.index(record.source) if record.source in priority else len(priority)

    def recency(record: SourceRecord) -> int:
        return -(record.date_maj or date.min).toordinal()

    if precedence == "priority":
        return sorted(records, key=lambda record: (rank(record), recency(record), record.id))
    return sorted(records, key=lambda record: (recency(record), rank(record), record.id))


def merged_values(
    records: list[SourceRecord],
    precedence: str,
    priority: list[str],
    place: Place | None = None,
    sourced_fields: set[str] | None = None,
    manual: frozenset[str] | set[str] = frozenset(),
) -> tuple[dict[str, Any], dict[str, SourceRecord]]:
    """The place's fields and, per field, the record it came from.

    A `manual` field (edited by a person, see sync/manual.py) keeps the place's value, whatever the records
    say; so does the position of a place whose address is manual. A field no record gives keeps the place's
    current value when no source ever gave it (entered by hand on the platform): merging never erases what a
    coordinator wrote. A field a source gave before and no longer gives is cleared.
    """
    ranked = ordered(records, precedence, priority)
    values: dict[str, Any] = {}
    provenance: dict[str, SourceRecord] = {}
    current = place_record(place) if place is not None else {}
    kept = set(manual) | (set(POSITION) if manual & set(ADDRESS) else set())

    def take(names: tuple[str, ...], key: str) -> None:
        if kept & set(names):
            values.update((name, _jsonable(current.get(name))) for name in names)
            return
        for candidate in ranked:
            normalised = candidate.normalised or {}
            if not _empty(normalised.get(key)):
                for name in names:
                    values[name] = normalised.get(name)
                    provenance[name] = candidate
                return

    take(ADDRESS, "adresse")
    take(POSITION, "latitude")
    for name in FIELDS:
        take((name,), name)
    dates = [candidate.date_maj for candidate in ranked if candidate.date_maj]
    values["date_maj"] = max(dates).isoformat() if dates else None
    # The standard's `source`: who collected the data, here every source of the merged place.
    values["source"] = ", ".join(
        dict.fromkeys((candidate.normalised or {}).get("source") or candidate.source for candidate in ranked)
    )[:250]
    if place is not None:
        handwritten = set(current) - (sourced_fields or set()) - set(provenance) - {"geo_precision"}
        for name in handwritten:
            if _empty(values.get(name)) and not _empty(current.get(name)) and name in PlaceInput.model_fields:
                values[name] = _jsonable(current[name])
        if "latitude" not in provenance and place.geo_precision != "exacte":
            values["latitude"] = values["longitude"] = None  # derived, not given: derived again
    return values, provenance


# What merged_values takes from a single record, in its order: (the fields, the field that must be given).
_TAKEN = ((ADDRESS, "adresse"), (POSITION, "latitude"), *(((name,), name) for name in FIELDS))


def alone_input(record: SourceRecord, validated: PlaceInput) -> tuple[PlaceInput, dict[str, SourceRecord]]:
    """What merged_input([record]) gives, from the record's input as validated when it was read (its
    normalised form is that input's dump): the same place without validating it again — a first run creates
    thousands. merged_values for one record, without a place: each field it gives comes from it."""
    normalised = record.normalised or {}
    provenance = {name: record for names, key in _TAKEN if not _empty(normalised.get(key)) for name in names}
    source = (normalised.get("source") or record.source)[:250]
    return validated.model_copy(update={"source": source, "date_maj": record.date_maj}), provenance


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def merged_input(
    records: list[SourceRecord],
    precedence: str,
    priority: list[str],
    place: Place | None = None,
    sourced_fields: set[str] | None = None,
    manual: frozenset[str] | set[str] = frozenset(),
) -> tuple[PlaceInput, dict[str, SourceRecord]]:
    values, provenance = merged_values(records, precedence, priority, place, sourced_fields, manual)
    try:
        return PlaceInput.model_validate(values), provenance
    except ValidationError:
        # Each record is valid on its own; a mix that is not (never seen so far) falls back to the first one,
        # with the values a person set (valid together when they were saved) over it.
        first = ordered(records, precedence, priority)[0]
        kept = {name: values[name] for name in manual if name in values}
        return (
            PlaceInput.model_validate({**(first.normalised or {}), **kept}),
            {name: first for name in PlaceInput.model_fields if name not in kept},
        )
