"""The SQL of searches, built once per *shape*: which conditions a search has (how many words, how many groups
of keys, freshness states, a moment, a point, bounds), its order and how its page is read — never its values,
which are parameters (`values`). Building a statement and its cache key cost more than running it on
PostgreSQL (~1 ms of CPU per search, issue #18): a shape's statements are built once per process, and on
PostgreSQL compiled once to SQL that the driver runs as a prepared statement (`Compiled`).

Text matching goes word by word through the vocabulary of the places' words (words.py).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Dialect,
    Float,
    Integer,
    Select,
    String,
    Text,
    and_,
    any_,
    bindparam,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from fne_directory.permanences.models import Permanence, PermanenceSlot
from fne_directory.permanences.service import ACTIVE as ACTIVE_PERMANENCE
from fne_directory.places import filter_keys, versions, words
from fne_directory.places.models import PUBLISHED_COLUMNS, Place
from fne_directory.places.quality import Freshness
from fne_directory.places.query import (
    FRESHNESS_MONTHS,
    PlaceQuery,
    SortOrder,
    key_groups,
    months_ago,
    one_department_only,
    one_department_open_only,
    query_words,
    selective,
    sort_order,
)
from fne_directory.places.sqlite_functions import EARTH_RADIUS_M
from fne_kernel.db import utc_text

_TIMESTAMP = postgresql.TIMESTAMP(timezone=True)
_KEYS = postgresql.ARRAY(Text)


@dataclass(frozen=True)
class Shape:
    """What a search's statements depend on besides its values."""

    dialect: str
    words: int = 0
    # Per group of keys, in order: whether it holds a single key (PostgreSQL checks those all in one `@>`).
    groups: tuple[bool, ...] = ()
    freshness: tuple[Freshness, ...] = ()
    open_at: bool = False
    bbox: bool = False
    near: bool = False
    radius: bool = False
    # Whether the place must host an active permanence of one of the roles asked for (`roles`).
    permanence: bool = False
    sort: SortOrder = SortOrder.NAME
    # A search of one département and nothing else: a range of ix_places_active_departement_nom.
    by_department: bool = False
    # Whether the order is read from an index (unselective searches) or from expressions no index serves.
    index_served: bool = True
    # A search of one département open at a moment and nothing else, in name order (PostgreSQL): its counted
    # page is read from ix_places_active_departement_open (migration i18_20261203_open_departement).
    open_in_department: bool = False


@dataclass
class Planned:
    """A search's shape, the values to run its statements with, and how to read its page."""

    shape: Shape
    values: dict[str, Any]
    selective: bool


def plan(query: PlaceQuery, dialect: str, today: date) -> Planned:
    """The shape of a query's statements and their values (the query checked beforehand: search.check)."""
    found_words = query_words(query)
    groups = key_groups(query)
    sort = sort_order(query, found_words)
    by_department = one_department_only(query) and sort == SortOrder.NAME
    open_in_department = (
        dialect == "postgresql" and one_department_open_only(query) and sort == SortOrder.NAME
    )
    is_selective = selective(query, groups) and not by_department
    values: dict[str, Any] = words.parameters(found_words)
    shape = Shape(
        dialect=dialect,
        words=len(found_words),
        groups=tuple(len(group) == 1 for group in groups),
        # Each state once (a state asked for twice is the same condition): a bounded number of shapes.
        freshness=tuple(dict.fromkeys(query.freshness)),
        open_at=query.open_at is not None,
        bbox=query.bbox is not None,
        near=query.near is not None,
        radius=query.near is not None and query.radius_m is not None,
        permanence=bool(query.permanence_roles),
        sort=sort,
        by_department=by_department,
        index_served=not is_selective,
        open_in_department=open_in_department,
    )
    if by_department or open_in_department:
        values["departement"] = query.departments[0]
    if dialect == "postgresql":
        singles = [group[0] for group in groups if len(group) == 1]
        if singles:
            values["keys"] = singles
    for position, group in enumerate(groups):
        if dialect != "postgresql" or len(group) > 1:
            values[f"keys_{position}"] = group
    for position, state in enumerate(shape.freshness):
        newer, older = FRESHNESS_MONTHS[state]
        if newer is not None:
            values[f"newer_{position}"] = months_ago(today, newer)
        if older is not None:
            values[f"older_{position}"] = months_ago(today, older)
    if query.open_at is not None:
        values["open_at"] = query.open_at if dialect == "postgresql" else utc_text(query.open_at)
    if query.permanence_roles:
        values["roles"] = sorted(set(query.permanence_roles))
    if query.bbox is not None:
        values["west"], values["south"], values["east"], values["north"] = query.bbox
    if query.near is not None:
        lat, lon = query.near
        values["lat"], values["lon"] = lat, lon
        if query.radius_m is not None:
            # A bounding box first, which the (latitude, longitude) index can use; then the exact distance.
            dlat = math.degrees(query.radius_m / EARTH_RADIUS_M)
            dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
            values |= {
                "lat_min": lat - dlat,
                "lat_max": lat + dlat,
                "lon_min": lon - dlon,
                "lon_max": lon + dlon,
                "radius": query.radius_m,
            }
    return Planned(shape, values, is_selective)


def _value(name: str, type_: Any) -> BindParameter[Any]:
    return bindparam(name, type_=type_)


def distance(shape: Shape) -> ColumnElement[float] | None:
    """Metres from the search's point to the place: a SQL function on both databases (migration search02 on
    PostgreSQL, sqlite_functions on SQLite)."""
    if not shape.near:
        return None
    return func.fne_distance_m(
        _value("lat", Float), _value("lon", Float), Place.latitude, Place.longitude, type_=Float
    )


def _open_at(dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return Place.openings.op("@>")(_value("open_at", _TIMESTAMP))
    interval = func.json_each(Place.openings).table_valued("value")
    at = _value("open_at", String)
    return (
        exists()
        .select_from(interval)
        .where(
            func.json_extract(interval.c.value, "$[0]") <= at,
            func.json_extract(interval.c.value, "$[1]") > at,
        )
    )


def _hosts_permanence(dialect: str) -> ColumnElement[bool]:
    """The place hosts an active permanence of one of the roles asked for: one of its slots (the index on
    the slots' place) whose permanence has one of the roles, `= ANY` of an array on PostgreSQL (one statement
    whatever their number), an expanding IN on SQLite."""
    roles = (
        Permanence.role == any_(_value("roles", postgresql.ARRAY(String)))
        if dialect == "postgresql"
        else Permanence.role.in_(bindparam("roles", expanding=True))
    )
    return exists().where(
        PermanenceSlot.place_id == Place.id,
        Permanence.id == PermanenceSlot.permanence_id,
        Permanence.status == ACTIVE_PERMANENCE,
        roles,
    )


def _holds_keys(shape: Shape) -> list[ColumnElement[bool]]:
    if shape.dialect == "postgresql":
        # Single keys in one `@>` and alternatives in `&&`: the GIN index intersects them all in one scan.
        held = [Place.filter_keys.op("@>")(_value("keys", _KEYS))] if any(shape.groups) else []
        return held + [
            Place.filter_keys.op("&&")(_value(f"keys_{position}", _KEYS))
            for position, single in enumerate(shape.groups)
            if not single
        ]
    conditions = []
    for position in range(len(shape.groups)):
        keys = func.json_each(Place.filter_keys).table_valued("value")
        conditions.append(
            exists().select_from(keys).where(keys.c.value.in_(bindparam(f"keys_{position}", expanding=True)))
        )
    return conditions


def where(shape: Shape) -> list[ColumnElement[bool]]:
    """The conditions of a search of this shape."""
    if shape.by_department:
        # Its count reads the département's range of the index (not the places), its page the range's start.
        return [Place.status == "active", Place.departement_code == _value("departement", String)]
    found: list[ColumnElement[bool]] = [Place.status == "active"]
    found += [words.match(shape.dialect, position) for position in range(shape.words)]
    found += _holds_keys(shape)
    if shape.freshness:
        ranges = []
        for position, state in enumerate(shape.freshness):
            newer, older = FRESHNESS_MONTHS[state]
            bounds = []
            if newer is not None:
                bounds.append(Place.date_maj > _value(f"newer_{position}", Date))
            if older is not None:
                bounds.append(Place.date_maj <= _value(f"older_{position}", Date))
            ranges.append(and_(*bounds))
        found.append(or_(*ranges))
    if shape.open_at:
        # The opening slot (a key group) keeps the candidates; their intervals decide.
        found.append(_open_at(shape.dialect))
    if shape.permanence:
        found.append(_hosts_permanence(shape.dialect))
    if shape.bbox:
        found += [
            Place.longitude.between(_value("west", Float), _value("east", Float)),
            Place.latitude.between(_value("south", Float), _value("north", Float)),
        ]
    if shape.radius:
        point = distance(shape)
        assert point is not None
        found += [
            Place.latitude.between(_value("lat_min", Float), _value("lat_max", Float)),
            Place.longitude.between(_value("lon_min", Float), _value("lon_max", Float)),
            point <= _value("radius", Float),
        ]
    return found


def conditions(query: PlaceQuery, dialect: str, today: date) -> list[ColumnElement[bool]]:
    """The conditions of a query, its values set but for its words' (`query.parameters`): for other readers of
    the matching places (exports)."""
    planned = plan(query, dialect, today)
    found = where(replace(planned.shape, by_department=False))
    values = {name: value for name, value in planned.values.items() if not name.startswith("query_word_")}

    def with_value(element: Any) -> Any:
        if isinstance(element, BindParameter) and element.key in values:
            return bindparam(
                element.key, values[element.key], type_=element.type, expanding=element.expanding
            )
        return None

    return [visitors.replacement_traverse(condition, {}, with_value) for condition in found]


def _unindexed(dialect: str, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The same order as the column's, from an expression no index serves: the planner then finds the
    matches through the filter indexes and sorts them, and cannot walk the column's index filtering out the
    rest of the directory (docs/benchmarks.md, "Directory searches without cliffs")."""
    if dialect != "postgresql":
        return column
    return column.concat("") if isinstance(column.type, String) else column + literal_column("interval '0'")


def order(shape: Shape) -> list[ColumnElement[Any]]:
    """The results' order; names and change times as expressions no index serves unless the shape's order is
    read from an index."""
    name = Place.nom if shape.index_served else _unindexed(shape.dialect, Place.nom)
    point = distance(shape)
    if shape.sort == SortOrder.DISTANCE and point is not None:
        return [point, Place.id]
    if shape.sort == SortOrder.RELEVANCE:
        relevance = sum(words.relevance(shape.dialect, position) for position in range(shape.words))
        return [relevance.desc(), name, Place.id]
    if shape.sort == SortOrder.UPDATED:
        changed = Place.updated_at if shape.index_served else _unindexed(shape.dialect, Place.updated_at)
        return [changed.desc(), Place.id]
    return [name, Place.id]


def _columns(shape: Shape) -> list[Any]:
    point = distance(shape)
    return [*PUBLISHED_COLUMNS, (point if point is not None else null()).label("distance_m")]


def _hosting(page: Select[Any], dialect: str) -> Select[Any]:
    """The page's rows, each with whether a permanence's slot is held at the place (after the distance; the
    slots' place index alone): only the pages with such places then read permanences. On PostgreSQL around
    the page (whose order it keeps), so that it is looked up for the page's places alone — in the page's
    target list it was for every match when they are counted with it (`count(*) OVER ()`)."""
    if dialect != "postgresql":
        hosts = exists().where(PermanenceSlot.place_id == Place.id).label("hosts_slots")
        published = len(PUBLISHED_COLUMNS) + 1
        columns = list(page.selected_columns)
        return page.with_only_columns(*columns[:published], hosts, *columns[published:])
    found = page.subquery("page")
    hosts = exists().where(PermanenceSlot.place_id == found.c.id).label("hosts_slots")
    published = len(PUBLISHED_COLUMNS) + 1
    columns = list(found.c)
    return select(*columns[:published], hosts, *columns[published:])


# The statements of a shape. Each is built once per process (lru_cache): its cache key, computed at its first
# execution, is kept with it (SQLAlchemy memoises it), and on PostgreSQL its compiled SQL too (`compiled`).


@lru_cache(maxsize=1024)
def page(shape: Shape, with_count: bool = False, bounded: bool = False) -> Select[Any]:
    """A page of the matches (parameters `offset`, `limit`); `with_count`: each row with the number of matches
    (`matching`); `bounded`: only places up to (`last_nom`, `last_id`) in name order (a bounded walk)."""
    if with_count and shape.open_in_department and not bounded:
        return _hosting(_open_in_department(shape), shape.dialect)
    if with_count and shape.dialect == "postgresql" and not bounded:
        return _hosting(_counted_ids_first(shape), shape.dialect)
    columns = _columns(shape)
    if with_count:
        columns.append(func.count().over().label("matching"))
    statement = select(*columns).where(*where(shape))
    if bounded:
        statement = statement.where(
            tuple_(Place.nom, Place.id) <= tuple_(_value("last_nom", String), _value("last_id", String))
        )
    statement = (
        statement.order_by(*order(shape)).offset(_value("offset", Integer)).limit(_value("limit", Integer))
    )
    return _hosting(statement, shape.dialect)


def _counted_ids_first(shape: Shape) -> Select[Any]:
    """A counted page whose matches are counted and ordered by their ids alone, then read whole for the page:
    the count (a window over every match) kept each match's 3 kB of published columns in memory, past
    `work_mem` into temporary files for a few thousand (an open-now search in a large département, a common
    word)."""
    ordering = order(shape)
    chosen = (
        select(Place.id.label("chosen_id"), func.count().over().label("matching"))
        .where(*where(shape))
        .order_by(*ordering)
        .offset(_value("offset", Integer))
        .limit(_value("limit", Integer))
        .subquery("chosen")
    )
    return _page_of(shape, chosen, ordering)


def _open_in_department(shape: Shape) -> Select[Any]:
    """A counted page of one département's places open at a moment, in name order (PostgreSQL): the matches
    are the entries of the département's range of ix_places_active_departement_open whose intervals hold the
    moment (an index-only scan: no table page read per candidate), and the few places whose intervals are too
    many for that index (ix_places_active_departement_many_openings; normally none). The same places, count
    and order as the search's conditions (`where`: the département's and the moment's slot keys, then the
    intervals) give, since a place's keys hold its own département and the slots of its intervals."""
    active = Place.status == literal_column("'active'")  # a constant: the indexes' predicates are proven
    few = func.fne_few_openings(Place.openings, type_=Boolean)
    found = [
        active,
        Place.departement_code == _value("departement", String),
        Place.openings.op("@>")(_value("open_at", _TIMESTAMP)),
    ]
    candidates = union_all(
        select(Place.nom, Place.id).where(*found, few), select(Place.nom, Place.id).where(*found, ~few)
    ).subquery("open_places")
    chosen = (
        select(candidates.c.id.label("chosen_id"), func.count().over().label("matching"))
        .order_by(candidates.c.nom, candidates.c.id)
        .offset(_value("offset", Integer))
        .limit(_value("limit", Integer))
        .subquery("chosen")
    )
    return _page_of(shape, chosen, (Place.nom, Place.id))


@lru_cache(maxsize=1024)
def counted_page(shape: Shape) -> Select[Any]:
    """The number of matches and a page of them in one statement, one round trip (PostgreSQL; for a search
    whose count and page are both cheap whatever the page: a département alone, two ranges of one index).
    Each row is the count followed by a place's columns; a page past the end is one row, the count and no
    place (NULLs)."""
    counted = count(shape).subquery("counted")
    found = page(shape).subquery("found")
    return (
        select(counted.c[0].label("matching"), *found.c)
        .select_from(counted.outerjoin(found, true()))
        .order_by(found.c.nom, found.c.id)
    )


@lru_cache(maxsize=1024)
def count(shape: Shape) -> Select[Any]:
    return select(func.count()).select_from(Place).where(*where(shape))


@lru_cache(maxsize=1024)
def facets(shape: Shape) -> Select[Any]:
    """The number of matches (a row whose key is NULL) and, per filter key held by a match, the number of
    matches holding it: one pass over the matching places' keys."""
    matching = select(Place.filter_keys).where(*where(shape)).cte("matching")
    if shape.dialect == "postgresql":
        keys = func.unnest(matching.c.filter_keys).table_valued("value").render_derived()
    else:
        keys = func.json_each(matching.c.filter_keys).table_valued("value")
    # A place's opening slots are most of its keys, and no facet: left out before counting (half the work).
    not_a_slot = ~keys.c.value.startswith(filter_keys.key(filter_keys.OPEN_SLOT_FIELD, ""))
    per_key = (
        select(keys.c.value, func.count())
        .select_from(matching.join(keys, true()))
        .where(not_a_slot)
        .group_by(keys.c.value)
    )
    everything = select(literal_column("NULL"), func.count()).select_from(matching)
    return union_all(everything, per_key)  # type: ignore[return-value]


def _estimated_places() -> ColumnElement[float]:
    """The planner's count of the places' rows (pg_class.reltuples; -1 before the first ANALYZE)."""
    return literal_column("(SELECT reltuples FROM pg_class WHERE oid = 'places'::regclass)", Float)


@lru_cache(maxsize=4)
def walk_bound(dialect: str) -> Select[Any]:
    """The place `expected` places of `total` matches down the name order, if the matches are spread evenly
    over the directory's places: where a bounded walk of the name index stops."""
    expected, total = _value("expected", Integer), _value("total", Integer)
    places = func.greatest(_estimated_places(), total)
    return (
        select(Place.nom, Place.id)
        .order_by(Place.nom, Place.id)
        .offset(func.ceil(expected * places / total).cast(Integer))
        .limit(1)
    )


@lru_cache(maxsize=4)
def directory_version(dialect: str) -> Select[Any]:
    """The directory's version: the time of its latest change, of places and of their permanences
    (versions.py)."""
    return select(versions.latest_change())


class Compiled:
    """A statement compiled once for PostgreSQL: its SQL, and how to turn the values of an execution into
    the driver's positional arguments (constants of the statement included, each through its type's
    conversion)."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        assert "POSTCOMPILE" not in self.sql, self.sql  # no values rendered at execution (expanding IN)
        processors = compiled._bind_processors
        self._arguments: list[tuple[str, bool, Any, Callable[[Any], Any] | None]] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            constant = bind.callable is None and not bind.required
            self._arguments.append((name, constant, bind.effective_value, processors.get(name)))

    def arguments(self, values: dict[str, Any]) -> Sequence[Any]:
        found = []
        for name, constant, value, process in self._arguments:
            if not constant or name in values:
                value = values[name]
            found.append(process(value) if process is not None and value is not None else value)
        return found


@lru_cache(maxsize=2048)
def compiled(statement: Any, dialect: Dialect) -> Compiled:
    """The statement compiled for the dialect, once (statements come from the caches above: the same object
    for the same shape; statements and dialects are hashed by identity)."""
    return Compiled(statement, dialect)


def _page_of(shape: Shape, chosen: Any, ordering: Sequence[Any]) -> Select[Any]:
    """The page's rows, read by id from the chosen ids (`chosen_id`, `matching`: the count of all matches)."""
    return (
        select(*_columns(shape), chosen.c.matching)
        .select_from(chosen.join(Place, Place.id == chosen.c.chosen_id))
        .order_by(*ordering)
    )
