"""Finding places: fuzzy text, filters on the standard's vocabularies and territories, freshness, opening
times, distance and map bounds, facets, and stable pagination — the statements of a search run and their rows
read.

What a search asks for is query.py, its SQL statements.py (built once per shape of search). On PostgreSQL the
statements run on the session's driver connection as prepared statements, their SQL compiled once per process:
SQLAlchemy's execution of a statement (cache key, ORM context, result processing) cost more CPU than
PostgreSQL spends running it (issue #18). A search's statements only read, each in its own snapshot (as they
would in the request's read-committed transaction), so no transaction is begun for them; inside one (a test's,
a job's) they run in it.
"""

import base64
from collections import namedtuple
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places import filter_keys, statements, versions
from fne_directory.places.exceptions import InvalidSearch
from fne_directory.places.models import PUBLISHED_COLUMNS, Place, PlaceRow
from fne_directory.places.query import PlaceQuery, SortOrder, check, filters, parameters
from fne_directory.places.sqlite_functions import register_sqlite_functions
from fne_directory.places.statements import Shape, conditions
from fne_directory.places.vocabulary import TAG_FIELDS
from fne_kernel import tracing

# What other modules import from here (the module held them all before it was split).
__all__ = [
    "KeptFacets",
    "PlaceQuery",
    "SearchPage",
    "SortOrder",
    "change_feed",
    "check",
    "conditions",
    "facet_counts",
    "parameters",
    "register_sqlite_functions",
    "search",
]

# A published place read by a search: the published columns by name, as a tuple.
FoundPlace = namedtuple("FoundPlace", [column.key for column in PUBLISHED_COLUMNS])  # type: ignore[misc]
_PUBLISHED = len(PUBLISHED_COLUMNS)

# The number of matching places, and per enumerated field, per value, the number of them holding it.
Counted = tuple[int, dict[str, dict[str, int]]]


class KeptFacets(versions.Kept[Hashable, Counted]):
    """Facet counts and totals of searches, kept while the directory does not change: the web app asks for
    them with every page of results, a set of filters has the same counts for every visitor, and counting
    costs as much as the page itself (every matching place's keys; all 100,000 with no filter)."""

    def __init__(self, max_entries: int, settle_seconds: float) -> None:
        super().__init__(max_entries)
        self.settle_seconds = settle_seconds


@dataclass
class SearchPage:
    # Each place (a FoundPlace, or a row on SQLite), and its distance to the search's point (metres).
    places: list[tuple[Any, float | None]]
    total: int
    facets: dict[str, dict[str, int]] | None
    # The ids of the places on the page where a permanence's slot is held: only those have permanences to
    # read (most pages have none, and then no statement is run for them).
    hosting: list[str]


# A page in name order is looked for among the first places in that order (a walk of the name index, which
# stops at the page's last place) when at least this many places match; fewer are sorted out of the matches.
WALK_FROM_MATCHES = 2_000
# The walk reads at most this many times the places it is expected to read, then gives up (the matches are
# bunched further down the order: a kind of place whose names all begin alike) and the matches are sorted.
WALK_MARGIN = 4

# Called with each statement a search runs on PostgreSQL and its arguments (`observed`: tests, benchmarks).
_observers: list[Callable[[str, Sequence[Any]], None]] = []


@contextmanager
def observed() -> Iterator[list[tuple[str, Sequence[Any]]]]:
    """The statements searches run on PostgreSQL meanwhile, with their arguments (as the driver gets them)."""
    executed: list[tuple[str, Sequence[Any]]] = []

    def keep(statement: str, arguments: Sequence[Any]) -> None:
        executed.append((statement, arguments))

    _observers.append(keep)
    try:
        yield executed
    finally:
        _observers.remove(keep)


class _Statements:
    """Runs a search's statements (statements.py) on its session, returning rows as sequences of columns: on
    PostgreSQL on the session's driver connection, looked up once per search."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.dialect = session.bind.dialect
        self._driver: Any = None

    async def rows(self, statement: Any, values: dict[str, Any]) -> Sequence[Sequence[Any]]:
        if self.dialect.name != "postgresql":
            return (await self.session.execute(statement, values)).all()
        prepared = statements.compiled(statement, self.dialect)
        arguments = prepared.arguments(values)
        for observer in _observers:
            observer(prepared.sql, arguments)
        if self._driver is None:
            self._driver = (await (await self.session.connection()).get_raw_connection()).driver_connection
        with tracing.statement_span("postgresql", prepared.sql):
            return await self._driver.fetch(prepared.sql, *arguments)

    async def scalar(self, statement: Any, values: dict[str, Any]) -> Any:
        found = await self.rows(statement, values)
        return found[0][0] if found else None


def _page(rows: Sequence[Sequence[Any]], total: int, facets: dict[str, dict[str, int]] | None) -> SearchPage:
    """The page of these rows: each row's place, its distance and whether slots are held there (the columns
    after the published ones)."""
    places = [(FoundPlace._make(row[:_PUBLISHED]), row[_PUBLISHED]) for row in rows]
    hosting = [place.id for (place, _distance), row in zip(places, rows, strict=True) if row[_PUBLISHED + 1]]
    return SearchPage(places=places, total=total, facets=facets, hosting=hosting)


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
    run = _Statements(session)
    planned = statements.plan(query, dialect, now.date())
    shape, values = planned.shape, planned.values
    paging = {**values, "offset": offset, "limit": limit}
    # Text, distance and territory searches read every match to order them (a territory holds a few thousand
    # places at most): counting them in the same pass is cheaper than a second query.
    count_in_page = (
        bool(query.text or query.near or query.communes or query.epcis or query.departments)
        and not with_facets
        and not shape.by_department
    )
    if count_in_page:
        rows = await run.rows(statements.page(shape, with_count=True), paging)
        total = rows[0][-1] if rows else 0
        if not rows and offset > 0:
            total = await run.scalar(statements.count(shape), values) or 0
        return _page(rows, total, None)

    if dialect == "postgresql" and shape.by_department and not with_facets:
        rows = await run.rows(statements.counted_page(shape), paging)
        found = [row[1:] for row in rows if row[1] is not None]  # the place's id: NULL past the end
        return _page(found, rows[0][0], None)

    # The number of matches first (with the facets, kept or counted): it decides how the page is read.
    facets = None
    if with_facets:
        # Facets that may be kept are kept under the directory's version ("open at" ones change hourly).
        keep = kept_facets is not None and query.open_at is None
        version = await run.scalar(statements.directory_version(dialect), {}) if keep else None
        key = (filters(query, now.date()), version) if keep else None
        counted = kept_facets.get(key) if kept_facets is not None and key is not None else None
        if counted is None:
            counted = await facet_counts(run, shape, values)
            if kept_facets is not None and key is not None:
                kept_facets.put(key, counted, versions.exact_until(version, kept_facets.settle_seconds))
        total, facets = counted
    else:
        total = await run.scalar(statements.count(shape), values) or 0

    page_rows: Sequence[Sequence[Any]] | None = []
    if offset < total:
        page_rows = None
        if (
            dialect == "postgresql"
            and shape.sort == SortOrder.NAME
            and planned.selective
            and total >= WALK_FROM_MATCHES
        ):
            page_rows = await _walk(run, shape, paging, offset, limit, total)
        if page_rows is None:
            page_rows = await run.rows(statements.page(shape), paging)
    return _page(page_rows or [], total, facets)


async def _walk(
    run: _Statements, shape: Shape, paging: dict[str, Any], offset: int, limit: int, total: int
) -> Sequence[Sequence[Any]] | None:
    """The page in name order read by walking the name index up to a bound: the place that many places down
    the order where the page's places are expected WALK_MARGIN times over (matches spread evenly). None when
    the bound comes first (matches bunched further down): the caller sorts the matches instead."""
    bound = await run.rows(
        statements.walk_bound(shape.dialect),
        {"expected": WALK_MARGIN * (offset + limit), "total": total},
    )
    if bound:
        last_nom, last_id = bound[0]
        statement = statements.page(shape, bounded=True)
        paging = {**paging, "last_nom": last_nom, "last_id": last_id}
    else:
        statement = statements.page(shape)
    rows = await run.rows(statement, paging)
    return rows if len(rows) == min(limit, total - offset) or not bound else None


async def facet_counts(run: _Statements, shape: Shape, values: dict[str, Any]) -> Counted:
    """The number of matching places and, per enumerated field, of matching places holding each value: one
    pass over the matching places' keys."""
    total, facets = 0, dict[str, dict[str, int]]()
    for filter_key, count in await run.rows(statements.facets(shape), values):
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
