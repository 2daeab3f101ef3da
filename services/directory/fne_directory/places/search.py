"""Finding places: fuzzy text, filters on the standard's vocabularies and territories, freshness, opening
times, distance and map bounds, facets, and stable pagination.

Text matching goes word by word through the vocabulary of the places' words (words.py: trigram closeness, then
typos, beginnings and words run together): pg_trgm and fuzzystrmatch on PostgreSQL, the same measures computed by
functions registered on SQLite connections (the embedded default, for small directories).
"""

import base64
import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from rapidfuzz.distance import Levenshtein
from sqlalchemy import (
    Float,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from fne_directory.permanences.service import held_in_place
from fne_directory.places import filter_keys, hours, versions, words
from fne_directory.places.exceptions import InvalidSearch
from fne_directory.places.models import PUBLISHED_COLUMNS, Place, PlaceRow
from fne_directory.places.quality import Freshness
from fne_directory.places.vocabulary import TAG_FIELDS
from fne_kernel.db import utc_text

EARTH_RADIUS_M = 6_371_008.8
# Freshness state → bounds on date_maj (in months before today): [newer than, older than].
FRESHNESS_MONTHS = {
    Freshness.UP_TO_DATE: (6, None),
    Freshness.TO_WATCH: (12, 6),
    Freshness.TO_CHECK: (18, 12),
    Freshness.TO_UPDATE: (None, 18),
}


class SortOrder(StrEnum):
    RELEVANCE = "pertinence"
    DISTANCE = "distance"
    NAME = "nom"
    UPDATED = "mise_a_jour"


@dataclass
class PlaceQuery:
    text: str | None = None
    tags: dict[str, list[str]] = field(default_factory=dict)
    communes: list[str] = field(default_factory=list)
    epcis: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)
    freshness: list[Freshness] = field(default_factory=list)
    open_at: datetime | None = None
    near: tuple[float, float] | None = None
    radius_m: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    sort: SortOrder | None = None
    # Roles of a permanence the place must host (permanences/): `permanence=conseiller_numerique`.
    permanence_roles: list[str] = field(default_factory=list)


def trigrams(word: str) -> list[str]:
    """pg_trgm's trigrams of one word, in order: padded with two spaces before and one after."""
    padded = f"  {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def word_similarity(needle: str, haystack: str) -> float:
    """pg_trgm's word_similarity: the best ratio, over the runs of consecutive trigrams of one of the haystack's
    words, of the trigrams shared with the needle to the trigrams of either."""
    wanted = set(trigrams(needle))
    best = 0.0
    for word in haystack.split():
        found = trigrams(word)
        for start in range(len(found)):
            extent: set[str] = set()
            for trigram in found[start:]:
                extent.add(trigram)
                best = max(best, len(wanted & extent) / (len(wanted) + len(extent - wanted)))
    return best


def _sqlite_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _levenshtein_less_equal(source: str, target: str, most: int) -> int:
    """fuzzystrmatch's levenshtein_less_equal: the edit distance, or more than `most` when it is."""
    return Levenshtein.distance(source, target, score_cutoff=most)


def register_sqlite_functions(dbapi_connection: Any) -> None:
    dbapi_connection.create_function("fne_word_similarity", 2, word_similarity, deterministic=True)
    dbapi_connection.create_function("levenshtein_less_equal", 3, _levenshtein_less_equal, deterministic=True)
    dbapi_connection.create_function("fne_distance_m", 4, _sqlite_distance, deterministic=True)


def _distance(lat: float, lon: float) -> ColumnElement[float]:
    """Metres from the point to the place: a SQL function on both databases (migration search02 on
    PostgreSQL, register_sqlite_functions on SQLite)."""
    return func.fne_distance_m(lat, lon, Place.latitude, Place.longitude, type_=Float)


def _open_at(dialect: str, moment: datetime) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return Place.openings.op("@>")(bindparam(None, moment, type_=postgresql.TIMESTAMP(timezone=True)))
    interval = func.json_each(Place.openings).table_valued("value")
    at = utc_text(moment)
    return (
        exists()
        .select_from(interval)
        .where(
            func.json_extract(interval.c.value, "$[0]") <= at,
            func.json_extract(interval.c.value, "$[1]") > at,
        )
    )


def _months_ago(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.4375))


def key_groups(query: PlaceQuery) -> list[list[str]]:
    """The filters as groups of keys: a place matches when it holds at least one key of every group."""
    groups = [
        [filter_keys.key(name, value) for value in values] for name, values in query.tags.items() if values
    ]
    for name, codes in (
        ("code_insee", query.communes),
        ("epci_code", query.epcis),
        ("departement_code", query.departements),
    ):
        if codes:
            groups.append([filter_keys.key(name, code) for code in codes])
    if query.open_at is not None:
        groups.append([filter_keys.open_slot(query.open_at.astimezone(hours.UTC))])
    return groups


def _holds_keys(dialect: str, groups: list[list[str]]) -> list[ColumnElement[bool]]:
    if dialect == "postgresql":
        # Single keys in one `@>` and alternatives in `&&`: the GIN index intersects them all in one scan.
        array = postgresql.ARRAY(Text)
        singles = [group[0] for group in groups if len(group) == 1]
        held = [Place.filter_keys.op("@>")(bindparam(None, singles, type_=array))] if singles else []
        return held + [
            Place.filter_keys.op("&&")(bindparam(None, group, type_=array))
            for group in groups
            if len(group) > 1
        ]
    keys = func.json_each(Place.filter_keys).table_valued("value")
    return [exists().select_from(keys).where(keys.c.value.in_(group)) for group in groups]


def conditions(query: PlaceQuery, dialect: str, today: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Place.status == "active"]
    where += [words.match(dialect, position) for position in range(len(query_words(query)))]
    where += _holds_keys(dialect, key_groups(query))
    if query.freshness:
        ranges = []
        for state in query.freshness:
            newer, older = FRESHNESS_MONTHS[state]
            bounds = []
            if newer is not None:
                bounds.append(Place.date_maj > _months_ago(today, newer))
            if older is not None:
                bounds.append(Place.date_maj <= _months_ago(today, older))
            ranges.append(and_(*bounds))
        where.append(or_(*ranges))
    if query.open_at is not None:
        # The opening slot (a key group) keeps the candidates; their intervals decide.
        where.append(_open_at(dialect, query.open_at))
    if query.permanence_roles:
        where.append(held_in_place(query.permanence_roles))
    if query.bbox is not None:
        west, south, east, north = query.bbox
        where += [Place.longitude.between(west, east), Place.latitude.between(south, north)]
    if query.near is not None and query.radius_m is not None:
        lat, lon = query.near
        # A bounding box first, which the (latitude, longitude) index can use; then the exact distance.
        dlat = math.degrees(query.radius_m / EARTH_RADIUS_M)
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        where += [
            Place.latitude.between(lat - dlat, lat + dlat),
            Place.longitude.between(lon - dlon, lon + dlon),
            _distance(lat, lon) <= query.radius_m,
        ]
    return where


def query_words(query: PlaceQuery) -> list[str]:
    return words.of_query(query.text) if query.text else []


def parameters(query: PlaceQuery) -> dict[str, str | int]:
    """The values to execute the statements built on `conditions(query)` with (the words of a text search)."""
    return words.parameters(query_words(query))


def check(query: PlaceQuery, now: datetime) -> None:
    if query.open_at is not None and not (
        now - timedelta(hours=23) <= query.open_at <= now + hours.HORIZON - timedelta(days=1)
    ):
        raise InvalidSearch("« ouvert à » doit être compris entre hier et les 13 prochains jours")
    if query.sort == SortOrder.DISTANCE and query.near is None:
        raise InvalidSearch("le tri par distance demande un point (lat, lon)")
    if query.sort == SortOrder.RELEVANCE and not query.text:
        raise InvalidSearch("le tri par pertinence demande un texte (q)")


# The number of matching places, and per enumerated field, per value, the number of them holding it.
Counted = tuple[int, dict[str, dict[str, int]]]


class KeptFacets(versions.Kept[Hashable, Counted]):
    """Facet counts and totals of searches, kept while the directory does not change: the web app asks for them
    with every page of results, a set of filters has the same counts for every visitor, and counting costs as much
    as the page itself (every matching place's keys; all 100,000 with no filter)."""

    def __init__(self, max_entries: int, settle_seconds: float) -> None:
        super().__init__(max_entries)
        self.settle_seconds = settle_seconds


@dataclass
class SearchPage:
    places: list[tuple[PlaceRow, float | None]]  # each place, and its distance to the search's point (metres)
    total: int
    facets: dict[str, dict[str, int]] | None


def _filters(query: PlaceQuery, today: date) -> Hashable:
    """What a search's matches depend on (not their order): its filters, and the day (freshness)."""
    return (
        query.text,
        tuple(sorted((name, tuple(sorted(values))) for name, values in query.tags.items())),
        tuple(sorted(query.communes)),
        tuple(sorted(query.epcis)),
        tuple(sorted(query.departements)),
        tuple(sorted(query.freshness)),
        query.near,
        query.radius_m,
        query.bbox,
        tuple(sorted(query.permanence_roles)),
        today,
    )


# A page in name order is looked for among the first places in that order (a walk of the name index, which
# stops at the page's last place) when at least this many places match; fewer are sorted out of the matches.
WALK_FROM_MATCHES = 2_000
# The walk reads at most this many times the places it is expected to read, then gives up (the matches are
# bunched further down the order: a kind of place whose names all begin alike) and the matches are sorted.
WALK_MARGIN = 4


def _unindexed(dialect: str, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The same order as the column's, from an expression no index serves: the planner then finds the
    matches through the filter indexes and sorts them, and cannot walk the column's index filtering out the
    rest of the directory (docs/benchmarks.md, "Directory searches without cliffs")."""
    if dialect != "postgresql":
        return column
    return column.concat("") if isinstance(column.type, String) else column + literal_column("interval '0'")


def _one_departement_only(query: PlaceQuery) -> bool:
    """A search of one département's places and nothing else: a range of ix_places_active_departement_nom."""
    return len(query.departements) == 1 and not (
        query.text
        or any(query.tags.values())
        or query.communes
        or query.epcis
        or query.freshness
        or query.open_at
        or query.near
        or query.bbox
        or query.permanence_roles
    )


def _selective(query: PlaceQuery) -> bool:
    """Whether the search's conditions go through an index other than the order's (keys, words, place)."""
    return bool(query.text or key_groups(query) or query.near or query.bbox)


async def _walk(
    session: AsyncSession,
    columns: list[Any],
    where: list[ColumnElement[bool]],
    values: dict[str, Any],
    offset: int,
    limit: int,
    total: int,
) -> list[Any] | None:
    """The page in name order read by walking the name index up to a bound: the place that many places down
    the order where the page's places are expected WALK_MARGIN times over (matches spread evenly). None when
    the bound comes first (matches bunched further down): the caller sorts the matches instead."""
    places = func.greatest(_estimated_places(), total)
    expected = WALK_MARGIN * (offset + limit)
    bound = (
        select(Place.nom, Place.id)
        .order_by(Place.nom, Place.id)
        .offset(func.ceil(expected * places / total).cast(Integer))
        .limit(1)
    )
    last = (await session.execute(bound)).first()
    statement = select(*columns).where(*where)
    if last is not None:
        statement = statement.where(tuple_(Place.nom, Place.id) <= tuple_(*last))
    rows = (
        await session.execute(statement.order_by(Place.nom, Place.id).offset(offset).limit(limit), values)
    ).all()
    return rows if len(rows) == min(limit, total - offset) or last is None else None


def _estimated_places() -> ColumnElement[float]:
    """The planner's count of the places' rows (pg_class.reltuples; -1 before the first ANALYZE)."""
    return literal_column("(SELECT reltuples FROM pg_class WHERE oid = 'places'::regclass)", Float)


def _order(
    query: PlaceQuery,
    sort: SortOrder,
    dialect: str,
    distance: ColumnElement[float] | None,
    index_served: bool,
) -> list[ColumnElement[Any]]:
    """The results' order; names and change times as expressions no index serves unless `index_served`."""
    name = Place.nom if index_served else _unindexed(dialect, Place.nom)
    if sort == SortOrder.DISTANCE and distance is not None:
        return [distance, Place.id]
    if sort == SortOrder.RELEVANCE:
        relevance = sum(words.relevance(dialect, position) for position in range(len(query_words(query))))
        return [relevance.desc(), name, Place.id]
    if sort == SortOrder.UPDATED:
        changed = Place.updated_at if index_served else _unindexed(dialect, Place.updated_at)
        return [changed.desc(), Place.id]
    return [name, Place.id]


async def search(
    session: AsyncSession,
    query: PlaceQuery,
    *,
    now: datetime,
    offset: int,
    limit: int,
    with_facets: bool,
    kept_facets: KeptFacets | None = None,
) -> SearchPage:
    """A page of the places matching the query, their number and, if asked for, facet counts (`kept_facets`:
    counts kept until the directory changes).

    The cost follows the number of matches, never the directory's size: orders that an index serves (name,
    last change) are read from it only when the search has no selective condition, or by a bounded walk
    when the matches are known to be many; otherwise the matches are found through the filter indexes, counted
    and sorted. The planner's own choice walked the name index whenever it expected more than ~1,500 matches,
    filtering out the rest of the directory (400+ ms) for a large département or a kind of place."""
    check(query, now)
    dialect = session.bind.dialect.name
    where = conditions(query, dialect, now.date())
    distance = _distance(*query.near) if query.near is not None else None
    sort = query.sort or (
        SortOrder.DISTANCE if query.near else SortOrder.RELEVANCE if query.text else SortOrder.NAME
    )
    without_words = sort == SortOrder.RELEVANCE and not query_words(query)  # "-": no relevance to rank by
    if (sort == SortOrder.DISTANCE and distance is None) or without_words:
        sort = SortOrder.NAME
    by_departement = _one_departement_only(query) and sort == SortOrder.NAME
    if by_departement:
        # Its count reads the département's range of the index (not the places), its page the range's start.
        where = [Place.status == "active", Place.departement_code == query.departements[0]]
    selective = _selective(query) and not by_departement
    # Every active place matches an unselective search (but for freshness), and a département's are a range of
    # its index in name order: the index's order is the page's.
    order = _order(query, sort, dialect, distance, index_served=not selective)

    point_distance = distance if distance is not None else literal(None)
    columns: list[Any] = [*PUBLISHED_COLUMNS, point_distance.label("distance_m")]
    values = parameters(query)
    # Text, distance and territory searches read every match to order them (a territory holds a few thousand
    # places at most): counting them in the same pass is cheaper than a second query.
    count_in_page = (
        bool(query.text or query.near or query.communes or query.epcis or query.departements)
        and not with_facets
        and not by_departement
    )
    if count_in_page:
        statement = select(*columns, func.count().over().label("matching")).where(*where)
        rows = (await session.execute(statement.order_by(*order).offset(offset).limit(limit), values)).all()
        total = rows[0].matching if rows else 0
        if not rows and offset > 0:
            total = await session.scalar(select(func.count()).select_from(Place).where(*where), values) or 0
        return SearchPage(places=[(row, row.distance_m) for row in rows], total=total, facets=None)

    # The number of matches first (with the facets, kept or counted): it decides how the page is read.
    facets = None
    if with_facets:
        # Facets that may be kept are kept under the directory's version ("open at" ones change hourly).
        keep = kept_facets is not None and query.open_at is None
        version = await session.scalar(select(versions.latest_change())) if keep else None
        key = (_filters(query, now.date()), version) if keep else None
        counted = kept_facets.get(key) if kept_facets is not None and key is not None else None
        if counted is None:
            counted = await facet_counts(session, where, values, dialect)
            if kept_facets is not None and key is not None:
                kept_facets.put(key, counted, versions.exact_until(version, kept_facets.settle_seconds))
        total, facets = counted
    else:
        total = await session.scalar(select(func.count()).select_from(Place).where(*where), values) or 0

    rows: list[Any] | None = []
    if offset < total:
        rows = None
        if dialect == "postgresql" and sort == SortOrder.NAME and selective and total >= WALK_FROM_MATCHES:
            rows = await _walk(session, columns, where, values, offset, limit, total)
        if rows is None:
            statement = select(*columns).where(*where).order_by(*order).offset(offset).limit(limit)
            rows = (await session.execute(statement, values)).all()
    return SearchPage(places=[(row, row.distance_m) for row in rows], total=total, facets=facets)


async def facet_counts(
    session: AsyncSession, where: list[ColumnElement[bool]], values: dict[str, str | int], dialect: str
) -> Counted:
    """The number of matching places and, per enumerated field, of matching places holding each value: one
    pass over the matching places' keys."""
    matching = select(Place.filter_keys).where(*where).cte("matching")
    if dialect == "postgresql":
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
    total, facets = 0, {}
    for filter_key, count in await session.execute(union_all(everything, per_key), values):
        if filter_key is None:
            total = count
            continue
        name, value = filter_keys.parse(filter_key)
        if name in TAG_FIELDS:
            facets.setdefault(name, {})[value] = count
    return total, {
        name: dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        for name, counts in sorted(facets.items())
    }


def encode_cursor(place: PlaceRow) -> str:
    return base64.urlsafe_b64encode(f"{place.updated_at.isoformat()}|{place.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        moment, place_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(moment), place_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidSearch("curseur invalide : reprenez celui de la page précédente") from exc


async def change_feed(
    session: AsyncSession, *, since: datetime | None, cursor: str | None, limit: int
) -> tuple[list[PlaceRow], str | None]:
    """Places changed since a moment, withdrawals included, in (updated_at, id) order.

    Keyset paging: a record changed while a consumer pages moves to the end of the feed and comes again,
    so nothing is lost or skipped between runs (unlike offset paging).
    """
    statement = select(*PUBLISHED_COLUMNS)
    if cursor is not None:
        moment, place_id = decode_cursor(cursor)
        statement = statement.where(
            or_(Place.updated_at > moment, and_(Place.updated_at == moment, Place.id > place_id))
        )
    elif since is not None:
        statement = statement.where(Place.updated_at >= since)
    places = list(await session.execute(statement.order_by(Place.updated_at, Place.id).limit(limit + 1)))
    next_cursor = encode_cursor(places[limit - 1]) if len(places) > limit else None
    return places[:limit], next_cursor
