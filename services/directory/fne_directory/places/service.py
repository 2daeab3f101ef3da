"""Writing places: validation against the reference communes, versions, tags, opening intervals, audit trail.

Functions take the request's session and only flush(); the request dependency commits.
"""

import operator
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import JSON, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from fne_directory.places import filter_keys, hours, words
from fne_directory.places.exceptions import PlaceMerged, PlaceNotFound, VersionConflict
from fne_directory.places.models import PUBLISHED_COLUMNS, Place, PlaceChange, PlaceRow, new_id
from fne_directory.places.quality import freshness, quality
from fne_directory.places.schemas import PlaceInput, PlaceOut
from fne_directory.places.vocabulary import TAG_FIELDS
from fne_directory.sync import manual
from fne_directory.territories.models import Commune, CommunePostalCode
from fne_directory.text import normalise_text
from fne_kernel import versions
from fne_kernel.db import json_text, utcnow
from fne_kernel.errors import InvalidInput, field_error, field_errors
from fne_kernel.identity import Principal

# Columns holding the standard's single-valued and free-list fields (the enumerated lists live in `tags`).
COLUMN_FIELDS = (
    "pivot",
    "nom",
    "adresse",
    "complement_adresse",
    "commune",
    "code_postal",
    "code_insee",
    "latitude",
    "longitude",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "structure_parente",
    "date_maj",
    "autres_formations_labels",
    "fiche_acces_libre",
    "prise_rdv",
)
# From this many rows, insert_rows copies rather than inserts (PostgreSQL).
COPY_FROM_ROWS = 50
# A geocoder takes (adresse, code_postal, code_insee) and returns (latitude, longitude) or None.
Geocoder = Callable[[str, str, str], Awaitable[tuple[float, float] | None]]


def etag(place: Place) -> str:
    return versions.etag(place.id, place.version)


def expected_version(if_match: str | None, place: Place) -> None:
    """Optimistic concurrency: the caller proves which version it read, or nothing is written."""
    versions.expect_version(if_match, place.id, place.version, VersionConflict)


def _columns(place: Place | PlaceRow) -> Mapping[str, Any]:
    fields = getattr(place, "_fields", None)
    if fields is not None:  # a row or a search's tuple: its values by name in one pass (not one by one)
        return dict(zip(fields, place, strict=True))
    return {column.key: getattr(place, column.key) for column in PUBLISHED_COLUMNS}


def _record(columns: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: columns[name] for name in COLUMN_FIELDS}
    tags = columns["tags"]
    values |= {name: list(tags.get(name, ())) for name in TAG_FIELDS}
    values["geo_precision"] = columns["geo_precision"]
    return values


def record(place: Place | PlaceRow) -> dict[str, Any]:
    """The place as a flat mapping of the standard's field names (plus geo_precision)."""
    return _record(_columns(place))


_PUBLISHED_FIELDS = tuple(PlaceOut.model_fields)
_COMPUTED_FIELDS = ("quality", "hours", "distance_m")
# PlaceOut's fields read from the record, in its order (the computed ones come last), each taken by position
# from the published columns followed by the lists of `tags`.
_COLUMN_KEYS = [column.key for column in PUBLISHED_COLUMNS]
_TAG_KEYS = list(TAG_FIELDS)
_READ_FIELDS = _PUBLISHED_FIELDS[: -len(_COMPUTED_FIELDS)]
assert _PUBLISHED_FIELDS[len(_READ_FIELDS) :] == _COMPUTED_FIELDS
_READ = operator.itemgetter(
    *(
        len(_COLUMN_KEYS) + _TAG_KEYS.index(name) if name in TAG_FIELDS else _COLUMN_KEYS.index(name)
        for name in _READ_FIELDS
    )
)
_TAGS = _COLUMN_KEYS.index("tags")
_HORAIRES, _DATE_MAJ = _COLUMN_KEYS.index("horaires"), _COLUMN_KEYS.index("date_maj")


def _values(place: Place | PlaceRow) -> tuple[Any, ...]:
    """The published columns' values, in order."""
    if isinstance(place, tuple):  # a search's place
        return place
    if getattr(place, "_fields", None) is not None:  # a row
        return tuple(place)
    return tuple(getattr(place, key) for key in _COLUMN_KEYS)


def publisher(now: datetime) -> Callable[[Place | PlaceRow, float | None], dict[str, Any]]:
    """`place_out` at `now` for many places: what depends on the moment alone worked out once."""
    today = now.date()
    states: dict[str | None, dict[str, Any]] = {}  # opening state per timetable (places share a few hundred)

    def publish(place: Place | PlaceRow, distance_m: float | None = None) -> dict[str, Any]:
        row = _values(place)
        held = map(row[_TAGS].get, _TAG_KEYS)
        # A row holds its own lists (decoded for it); a record's are copied (not shared with it).
        if isinstance(place, Place):
            lists = [list(found) if found else [] for found in held]
        else:
            lists = [found or [] for found in held]
        values = dict(zip(_READ_FIELDS, _READ((*row, *lists)), strict=True))
        fresh = freshness(row[_DATE_MAJ], today)
        score, missing = quality(values, today, fresh)
        values["quality"] = {"score": score, "missing": missing, "freshness": fresh}
        expression = row[_HORAIRES]
        state = states.get(expression)
        if state is None:
            found = hours.state_at(expression, now)
            state = states[expression] = {
                "open_now": found.open_now,
                "next_opening": found.next_opening,
                "next_closing": found.next_closing,
            }
        values["hours"] = dict(state)
        values["distance_m"] = round(distance_m, 1) if distance_m is not None else None
        return values

    return publish


def place_out(place: Place | PlaceRow, now: datetime, distance_m: float | None = None) -> dict[str, Any]:
    """The place as published (schemas.PlaceOut, in its field order): its record, territory, opening state and
    quality. Built from the stored record, which was validated when written: results are not validated
    again."""
    return publisher(now)(place, distance_m)


class Communes:
    """Reference communes by INSEE code and by postal code, each read once: writing many places resolves their
    communes with a query or two per batch rather than per place. Reference data only changes when the
    territories are reloaded, so one instance may serve a whole synchronisation run."""

    def __init__(self) -> None:
        self._by_code: dict[str, Commune | None] = {}
        self._by_postal_code: dict[str, list[Commune]] = {}

    async def load(self, session: AsyncSession, inputs: Iterable[PlaceInput]) -> None:
        """Reads the communes these places name that were not read yet."""
        codes, postal_codes = set(), set()
        for data in inputs:
            if data.code_insee:
                codes.add(data.code_insee)
            else:
                postal_codes.add(data.code_postal)
        codes -= self._by_code.keys()
        postal_codes -= self._by_postal_code.keys()
        if codes:
            found = {
                commune.code: commune
                for commune in await session.scalars(select(Commune).where(Commune.code.in_(codes)))
            }
            self._by_code |= {code: found.get(code) for code in codes}
        if postal_codes:
            self._by_postal_code |= {code: [] for code in postal_codes}
            for code_postal, commune in await session.execute(
                select(CommunePostalCode.code_postal, Commune)
                .join(Commune, Commune.code == CommunePostalCode.commune_code)
                .where(CommunePostalCode.code_postal.in_(postal_codes))
                .order_by(Commune.code)
            ):
                self._by_postal_code[code_postal].append(commune)

    def by_postal_code(self, code_postal: str) -> list[Commune]:
        """The communes of a postal code (loaded before)."""
        return list(self._by_postal_code.get(code_postal, []))

    def resolve(self, data: PlaceInput) -> Commune:
        """The reference commune of the place (loaded before); postal code, INSEE code and name must agree."""
        if data.code_insee:
            commune = self._by_code[data.code_insee]
            if commune is None:
                raise InvalidInput([field_error("code_insee", f"code INSEE inconnu : {data.code_insee}")])
            if data.code_postal not in commune.codes_postaux:
                raise InvalidInput(
                    [
                        field_error(
                            "code_postal",
                            f"le code postal {data.code_postal} ne correspond pas à {commune.nom} "
                            f"({data.code_insee})",
                            allowed=commune.codes_postaux,
                        )
                    ]
                )
            return commune
        candidates = self._by_postal_code[data.code_postal]
        if not candidates:
            raise InvalidInput([field_error("code_postal", f"code postal inconnu : {data.code_postal}")])
        if len(candidates) == 1:
            return candidates[0]
        wanted = normalise_text(data.commune or "")
        matching = [commune for commune in candidates if normalise_text(commune.nom) == wanted]
        if len(matching) == 1:
            return matching[0]
        raise InvalidInput(
            [
                field_error(
                    "code_insee",
                    f"plusieurs communes ont le code postal {data.code_postal} : précisez le code INSEE",
                    allowed=[commune.code for commune in candidates],
                )
            ]
        )


async def resolve_commune(
    session: AsyncSession, data: PlaceInput, communes: Communes | None = None
) -> Commune:
    """The reference commune of the place; postal code, INSEE code and name must agree."""
    communes = communes or Communes()
    await communes.load(session, [data])
    return communes.resolve(data)


def index_text(place: Place) -> None:
    """Sets what text search ranks by (the normalised text) and matches (its words)."""
    place.search_text = normalise_text(
        " ".join(
            filter(
                None,
                (
                    place.nom,
                    place.commune,
                    place.code_postal,
                    place.adresse,
                    place.presentation_resume,
                ),
            )
        )
    )
    place.search_words = words.of_text(place.search_text)


async def _apply(
    session: AsyncSession,
    place: Place,
    data: PlaceInput,
    today: date,
    geocode: Geocoder | None,
    communes: Communes | None = None,
) -> None:
    commune = await resolve_commune(session, data, communes)
    for name in COLUMN_FIELDS:
        setattr(place, name, getattr(data, name))
    place.code_insee, place.commune = commune.code, commune.nom
    place.epci_code, place.departement_code = commune.epci_code, commune.departement_code
    place.date_maj = data.date_maj or today
    place.tags = {name: list(getattr(data, name)) for name in TAG_FIELDS if getattr(data, name)}
    if data.latitude is not None and data.longitude is not None:
        place.geo_precision = "exacte"
    else:
        located = await geocode(data.adresse, data.code_postal, commune.code) if geocode else None
        if located is not None:
            (place.latitude, place.longitude), place.geo_precision = located, "geocodee"
        elif commune.latitude is not None and commune.longitude is not None:
            place.latitude, place.longitude, place.geo_precision = (
                commune.latitude,
                commune.longitude,
                "commune",
            )
        else:
            raise InvalidInput(
                [
                    field_error(
                        "latitude",
                        f"{commune.nom} n'a pas de point de référence : "
                        "donnez la latitude et la longitude du lieu",
                    )
                ]
            )
    index_text(place)


def refresh_openings(places: Iterable[Place], now: datetime) -> None:
    """Materialises each place's opening intervals for the next weeks, how far ahead they go, and its filter
    keys (which hold its opening slots)."""
    start, end = now - timedelta(days=1), now + hours.HORIZON
    # Places share a handful of timetables ("Mo-Fr 09:00-12:00,14:00-17:00"): each is evaluated once.
    timetables: dict[str, tuple[list[tuple[datetime, datetime]], set[str]]] = {}
    for place in places:
        usable = bool(place.horaires) and place.status == "active"
        intervals: list[tuple[datetime, datetime]] = []
        slots: set[str] = set()
        if usable:
            if place.horaires not in timetables:
                timetable = hours.open_intervals(place.horaires, start, end)
                timetables[place.horaires] = timetable, filter_keys.open_slots(timetable)
            intervals, slots = timetables[place.horaires]
        place.openings, place.openings_until = intervals, end if usable else None
        territory = {field: getattr(place, field) for field in filter_keys.TERRITORY_FIELDS}
        keys = filter_keys.of_place(place.tags, territory, slots)
        if keys != place.filter_keys:
            place.filter_keys = keys


async def insert_rows(
    session: AsyncSession,
    model: type[Any],
    rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]],
    columns: Sequence[str] | None = None,
) -> None:
    """Inserts rows of a mapped table in one statement: dicts with the same keys, named as the columns, or,
    with `columns`, tuples of values in that order.

    Many rows on PostgreSQL go through COPY, which costs a fraction of an INSERT per row (a synchronisation
    writes hundreds of thousands of tags, opening intervals and provenance rows) but a round trip more per
    call. Values go through the columns' types as with an INSERT, JSON through orjson (the same documents,
    compact).
    """
    if not rows:
        return
    table = model.__table__
    connection = await session.connection()
    if connection.dialect.name != "postgresql" or len(rows) < COPY_FROM_ROWS:
        if columns is not None:
            rows = [dict(zip(columns, row, strict=True)) for row in rows]
        await session.execute(insert(table), rows)
        return
    names = list(columns if columns is not None else rows[0])  # type: ignore[arg-type]
    converters = []
    for index, name in enumerate(names):
        column_type = table.c[name].type
        if isinstance(column_type, JSON):
            converters.append((index, json_text))
        elif (
            process := column_type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        ) is not None:
            converters.append((index, process))
    if columns is not None:
        records = [list(row) for row in rows] if converters else rows
    else:
        values = operator.itemgetter(*names)
        records = [list(values(row)) for row in rows] if len(names) > 1 else [[values(row)] for row in rows]
    if converters:
        # Places share their opening intervals (one list per timetable): each value is converted once.
        converted: list[dict[int, Any]] = [{} for _ in converters]
        for record in records:
            for (index, convert), done in zip(converters, converted, strict=True):
                value = record[index]  # type: ignore[index]
                if isinstance(value, list):
                    if (found := done.get(id(value))) is None:
                        found = done[id(value)] = convert(value)
                    record[index] = found  # type: ignore[index]
                else:
                    record[index] = convert(value)  # type: ignore[index]
    raw = await connection.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=names)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [_jsonable(before.get(name)), _jsonable(after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def _change(
    place: Place, action: str, actor: Principal, now: datetime, changes: dict[str, Any]
) -> dict[str, Any]:
    return {
        "place_id": place.id,
        "version": place.version,
        "at": now,
        "action": action,
        "actor_kind": actor.kind,
        "actor_id": actor.subject,
        "actor_name": actor.name or actor.subject,
        "changes": changes,
    }


async def create_place(
    session: AsyncSession, data: PlaceInput, actor: Principal, geocode: Geocoder | None = None
) -> Place:
    [place] = await create_places(session, [data], actor, geocode)
    return place


async def create_places(
    session: AsyncSession,
    inputs: Sequence[PlaceInput],
    actor: Principal,
    geocode: Geocoder | None = None,
    communes: Communes | None = None,
) -> list[Place]:
    """New places, in the order of `inputs`, written with a few statements whatever their number.

    Every input is checked and completed (commune, territory, position) before anything is written: one
    invalid input raises InvalidInput and stores nothing.
    """
    places = []
    for row in await insert_places(session, inputs, actor, geocode, communes):
        place = Place(**row)
        make_transient_to_detached(place)  # in the session as if read back: every attribute is set
        session.add(place)
        places.append(place)
    return places


class _NewPlace:
    """A place being created, with the attributes of a Place (`_apply`, `index_text`, `refresh_openings` and
    `record` read and set them) but none of the ORM's instrumentation: a first synchronisation creates tens of
    thousands."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(dict.fromkeys(_PLACE_KEYS), **values)


_PLACE_KEYS = tuple(column.key for column in Place.__table__.columns)


async def insert_places(
    session: AsyncSession,
    inputs: Sequence[PlaceInput],
    actor: Principal,
    geocode: Geocoder | None = None,
    communes: Communes | None = None,
) -> list[dict[str, Any]]:
    """Writes new places (as `create_places`: the same checks, rows and audit trail) without making ORM
    objects of them: their rows (column → value), in the order of `inputs`."""
    now = utcnow()
    communes = communes or Communes()
    await communes.load(session, inputs)
    places: list[Any] = []  # _NewPlace: a Place to the functions below
    for data in inputs:
        place: Any = _NewPlace(
            id=new_id(), status="active", version=1, created_at=now, updated_at=now, withdrawn_at=None
        )
        await _apply(session, place, data, now.date(), geocode, communes)
        places.append(place)
    refresh_openings(places, now)
    rows = [{key: getattr(place, key) for key in _PLACE_KEYS} for place in places]
    await insert_rows(session, Place, rows)
    await words.remember(session, places)
    await insert_rows(
        session,
        PlaceChange,
        [_change(place, "create", actor, now, _diff({}, record(place))) for place in places],
    )
    return rows


async def get_place(session: AsyncSession, place_id: str) -> Place:
    place = await session.get(Place, place_id)
    if place is None:
        raise PlaceNotFound(f"Aucun lieu {place_id}")
    return place


async def kept_place(session: AsyncSession, place: Place) -> str:
    """The place a merged place now lives in: the end of its chain of merges (the place kept may have been
    merged in turn)."""
    kept = place.replaced_by
    seen = {place.id}
    while kept is not None and kept not in seen:
        seen.add(kept)
        further = await session.scalar(select(Place.replaced_by).where(Place.id == kept))
        if further is None:
            return kept
        kept = further
    return kept or place.id


async def replace_place(
    session: AsyncSession,
    place: Place,
    data: PlaceInput,
    actor: Principal,
    geocode: Geocoder | None = None,
    communes: Communes | None = None,
) -> dict[str, list[Any]]:
    """Writes the place's new fields; what changed (field → [old, new]), as the audit trail records it."""
    now = utcnow()
    before = record(place)
    await _apply(session, place, data, now.date(), geocode, communes)
    changes = _diff(before, record(place))
    if not changes:
        return changes
    place.version += 1
    place.updated_at = now
    refresh_openings([place], now)
    await words.remember(session, [place])
    await insert_rows(session, PlaceChange, [_change(place, "update", actor, now, changes)])
    await session.flush()
    return changes


async def edit_place(
    session: AsyncSession, place: Place, data: PlaceInput, actor: Principal, geocode: Geocoder | None = None
) -> Place:
    """A person's change (PUT, PATCH): the fields it changes become manual, kept by synchronisations until a
    coordinator releases them (the rule: fne_directory.sync.manual)."""
    changes = await replace_place(session, place, data, actor, geocode)
    await manual.keep_edits(session, place.id, changes, actor)
    return place


def merged_input(place: Place, patch: Mapping[str, Any]) -> PlaceInput:
    """A partial update over the current record, validated as a whole (errors name the patched fields)."""
    current = {name: value for name, value in record(place).items() if name != "geo_precision"}
    if place.geo_precision != "exacte" and not {"latitude", "longitude"} & set(patch):
        # Approximate coordinates were derived, not given: derive them again if the address changed.
        current["latitude"] = current["longitude"] = None
    try:
        return PlaceInput.model_validate({**current, **patch})
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc.errors(), location="body")) from exc


async def withdraw_place(session: AsyncSession, place: Place, actor: Principal) -> Place:
    """Withdrawn, never deleted: the record and its history stay, consumers see a tombstone."""
    return await _set_status(session, place, "withdrawn", "withdraw", actor)


async def restore_place(session: AsyncSession, place: Place, actor: Principal) -> Place:
    return await _set_status(session, place, "active", "restore", actor)


async def retire_into(session: AsyncSession, place: Place, kept_id: str, actor: Principal) -> Place:
    """Merged into another place (fne_directory.sync.place_merges): withdrawn, its address redirecting to the
    place kept."""
    return await _set_status(session, place, "withdrawn", "merge", actor, kept_id)


async def bring_back(session: AsyncSession, place: Place, actor: Principal) -> Place:
    """A merge undone: the retired place is active again, under its own id."""
    return await _set_status(session, place, "active", "unmerge", actor, None)


def writable(place: Place) -> Place:
    """A place merged into another is changed through the place kept (or the merge undone first)."""
    if place.replaced_by is not None:
        raise PlaceMerged(place.replaced_by)
    return place


async def _set_status(
    session: AsyncSession,
    place: Place,
    status: str,
    action: str,
    actor: Principal,
    replaced_by: str | None = None,
) -> Place:
    if place.status == status and place.replaced_by == replaced_by:
        return place
    now = utcnow()
    previous, place.status = place.status, status
    changes: dict[str, list[Any]] = {"status": [previous, status]}
    if place.replaced_by != replaced_by:
        changes["remplace_par"] = [place.replaced_by, replaced_by]
        place.replaced_by = replaced_by
    place.withdrawn_at = now if status == "withdrawn" else None
    place.version += 1
    place.updated_at = now
    refresh_openings([place], now)
    await insert_rows(session, PlaceChange, [_change(place, action, actor, now, changes)])
    await session.flush()
    return place


async def place_history(session: AsyncSession, place_id: str) -> list[PlaceChange]:
    await get_place(session, place_id)
    return list(
        await session.scalars(
            select(PlaceChange)
            .where(PlaceChange.place_id == place_id)
            .order_by(PlaceChange.version, PlaceChange.id)
        )
    )
