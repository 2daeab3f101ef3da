"""Finding places: fuzzy text, filters on the standard's vocabularies and territories, freshness, opening
times, distance and map bounds, facets, and stable pagination.

Text matching is trigram word similarity: pg_trgm on PostgreSQL (GIN index), the same measure computed by
SQL functions registered on SQLite connections (the embedded default, for small directories).
"""

import base64
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from fne_directory.places import hours
from fne_directory.places.exceptions import InvalidSearch
from fne_directory.places.models import Place, PlaceOpening, PlaceTag
from fne_directory.places.quality import Freshness
from fne_directory.text import normalise_text

EARTH_RADIUS_M = 6_371_008.8
WORD_SIMILARITY_THRESHOLD = 0.5
# Freshness state → bounds on date_maj (in months before today): [newer than, older than].
FRESHNESS_MONTHS = {
    Freshness.UP_TO_DATE: (6, None), Freshness.TO_WATCH: (12, 6), Freshness.TO_CHECK: (18, 12),
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


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of one word: lower-cased, padded with two spaces before and one after."""
    padded = f"  {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def word_similarity(needle: str, haystack: str) -> float:
    """Trigram similarity of the needle to the closest word of the haystack, 1 when it is contained in a word
    (pg_trgm's word_similarity, simplified to whole words: what a typo in one word needs)."""
    needle_trigrams = trigrams(needle)
    best = 0.0
    for word in haystack.split():
        best = max(best, len(needle_trigrams & trigrams(word)) / len(needle_trigrams | trigrams(word)))
        if needle in word:
            return 1.0
    return best


def _sqlite_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def register_sqlite_functions(dbapi_connection: Any) -> None:
    dbapi_connection.create_function("fne_word_similarity", 2, word_similarity, deterministic=True)
    dbapi_connection.create_function("fne_distance_m", 4, _sqlite_distance, deterministic=True)


def _distance(dialect: str, lat: float, lon: float) -> ColumnElement[float]:
    if dialect == "sqlite":
        return func.fne_distance_m(lat, lon, Place.latitude, Place.longitude)
    phi = math.radians(lat)
    half_dlat = func.radians(Place.latitude - lat) / 2
    half_dlon = func.radians(Place.longitude - lon) / 2
    a = func.power(func.sin(half_dlat), 2) + math.cos(phi) * func.cos(func.radians(Place.latitude)) * func.power(
        func.sin(half_dlon), 2)
    return 2 * EARTH_RADIUS_M * func.asin(func.least(1.0, func.sqrt(a)))


def _word_similarity(dialect: str, word: str) -> ColumnElement[float]:
    if dialect == "sqlite":
        return func.fne_word_similarity(word, Place.search_text)
    return func.word_similarity(word, Place.search_text)


def _word_match(dialect: str, word: str) -> ColumnElement[bool]:
    if dialect == "sqlite":
        return func.fne_word_similarity(word, Place.search_text) >= WORD_SIMILARITY_THRESHOLD
    # `<%` is the indexable form of word_similarity >= pg_trgm.word_similarity_threshold (set per query).
    return Place.search_text.op("%>")(word)


def _months_ago(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.4375))


def conditions(query: PlaceQuery, dialect: str, today: date) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Place.status == "active"]
    for word in (normalise_text(query.text).split() if query.text else []):
        where.append(_word_match(dialect, word))
    for name, values in query.tags.items():
        if values:
            where.append(exists().where(PlaceTag.place_id == Place.id, PlaceTag.field == name,
                                        PlaceTag.value.in_(values)))
    if query.communes:
        where.append(Place.code_insee.in_(query.communes))
    if query.epcis:
        where.append(Place.epci_code.in_(query.epcis))
    if query.departements:
        where.append(Place.departement_code.in_(query.departements))
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
        where.append(exists().where(PlaceOpening.place_id == Place.id, PlaceOpening.opens_at <= query.open_at,
                                    PlaceOpening.closes_at > query.open_at))
    if query.bbox is not None:
        west, south, east, north = query.bbox
        where += [Place.longitude.between(west, east), Place.latitude.between(south, north)]
    if query.near is not None and query.radius_m is not None:
        lat, lon = query.near
        # A bounding box first, which the (latitude, longitude) index can use; then the exact distance.
        dlat = math.degrees(query.radius_m / EARTH_RADIUS_M)
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        where += [Place.latitude.between(lat - dlat, lat + dlat), Place.longitude.between(lon - dlon, lon + dlon),
                  _distance(dialect, lat, lon) <= query.radius_m]
    return where


def check(query: PlaceQuery, now: datetime) -> None:
    if query.open_at is not None and not (now - timedelta(hours=23) <= query.open_at
                                          <= now + hours.HORIZON - timedelta(days=1)):
        raise InvalidSearch("« ouvert à » doit être compris entre hier et les 13 prochains jours")
    if query.sort == SortOrder.DISTANCE and query.near is None:
        raise InvalidSearch("le tri par distance demande un point (lat, lon)")
    if query.sort == SortOrder.RELEVANCE and not query.text:
        raise InvalidSearch("le tri par pertinence demande un texte (q)")


@dataclass
class SearchPage:
    places: list[tuple[Place, float | None]]
    total: int
    facets: dict[str, dict[str, int]] | None


async def prepare_text_search(session: AsyncSession, query: PlaceQuery) -> str:
    """Sets what the text match needs on this transaction (pg_trgm's threshold); returns the dialect name."""
    dialect = session.bind.dialect.name
    if dialect == "postgresql" and query.text:
        await session.execute(select(func.set_config("pg_trgm.word_similarity_threshold",
                                                     str(WORD_SIMILARITY_THRESHOLD), True)))
    return dialect


async def search(session: AsyncSession, query: PlaceQuery, *, now: datetime, offset: int, limit: int,
                 with_facets: bool) -> SearchPage:
    check(query, now)
    dialect = await prepare_text_search(session, query)
    where = conditions(query, dialect, now.date())
    distance = _distance(dialect, *query.near) if query.near is not None else None
    sort = query.sort or (SortOrder.DISTANCE if query.near else SortOrder.RELEVANCE if query.text
                          else SortOrder.NAME)
    if sort == SortOrder.DISTANCE and distance is not None:
        order = [distance, Place.id]
    elif sort == SortOrder.RELEVANCE and query.text:
        relevance = sum(_word_similarity(dialect, word) for word in normalise_text(query.text).split())
        order = [relevance.desc(), Place.nom, Place.id]
    elif sort == SortOrder.UPDATED:
        order = [Place.updated_at.desc(), Place.id]
    else:
        order = [Place.nom, Place.id]

    columns: list[Any] = [Place, distance if distance is not None else literal(None)]
    # A text search is selective and its matches must all be scored: counting them in the same pass is
    # cheaper than a second query. Other searches read their page in index order and count separately.
    count_in_page = bool(query.text)
    if count_in_page:
        columns.append(func.count().over())
    rows = (await session.execute(select(*columns).where(*where).order_by(*order).offset(offset).limit(limit))).all()
    if count_in_page and (rows or offset == 0):
        total = rows[0][2] if rows else 0
    else:
        total = await session.scalar(select(func.count()).select_from(Place).where(*where)) or 0
    facets = await facet_counts(session, where) if with_facets else None
    return SearchPage(places=[(row[0], row[1]) for row in rows], total=total, facets=facets)


async def facet_counts(session: AsyncSession, where: list[ColumnElement[bool]]) -> dict[str, dict[str, int]]:
    matching = select(Place.id).where(*where)
    rows = await session.execute(
        select(PlaceTag.field, PlaceTag.value, func.count())
        .where(PlaceTag.place_id.in_(matching))
        .group_by(PlaceTag.field, PlaceTag.value)
        .order_by(PlaceTag.field, func.count().desc(), PlaceTag.value)
    )
    facets: dict[str, dict[str, int]] = {}
    for name, value, count in rows:
        facets.setdefault(name, {})[value] = count
    return facets


def encode_cursor(place: Place) -> str:
    return base64.urlsafe_b64encode(f"{place.updated_at.isoformat()}|{place.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        moment, place_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(moment), place_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidSearch("curseur invalide : reprenez celui de la page précédente") from exc


async def change_feed(session: AsyncSession, *, since: datetime | None, cursor: str | None,
                      limit: int) -> tuple[list[Place], str | None]:
    """Places changed since a moment, withdrawals included, in (updated_at, id) order.

    Keyset paging: a record changed while a consumer pages moves to the end of the feed and comes again,
    so nothing is lost or skipped between runs (unlike offset paging).
    """
    statement = select(Place)
    if cursor is not None:
        moment, place_id = decode_cursor(cursor)
        statement = statement.where(or_(Place.updated_at > moment,
                                        and_(Place.updated_at == moment, Place.id > place_id)))
    elif since is not None:
        statement = statement.where(Place.updated_at >= since)
    places = list(await session.scalars(statement.order_by(Place.updated_at, Place.id).limit(limit + 1)))
    next_cursor = encode_cursor(places[limit - 1]) if len(places) > limit else None
    return places[:limit], next_cursor
