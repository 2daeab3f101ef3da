"""What a search asks for: its filters, point, bounds and order (`PlaceQuery`), checked, and what follows from
them — the words looked for, the filters as groups of keys, the order used, and how selective it is.

Statements are built from a query's *shape* (statements.py) and executed with its values (search.py).
"""

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from fne_directory.places import filter_keys, hours, words
from fne_directory.places.exceptions import InvalidSearch
from fne_directory.places.quality import Freshness

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
    departments: list[str] = field(default_factory=list)
    freshness: list[Freshness] = field(default_factory=list)
    open_at: datetime | None = None
    near: tuple[float, float] | None = None
    radius_m: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    sort: SortOrder | None = None
    # Roles of a permanence the place must host (permanences/): `permanence=conseiller_numerique`.
    permanence_roles: list[str] = field(default_factory=list)


def check(query: PlaceQuery, now: datetime) -> None:
    if query.open_at is not None and not (
        now - timedelta(hours=23) <= query.open_at <= now + hours.HORIZON - timedelta(days=1)
    ):
        raise InvalidSearch("« ouvert à » doit être compris entre hier et les 13 prochains jours")
    if query.sort == SortOrder.DISTANCE and query.near is None:
        raise InvalidSearch("le tri par distance demande un point (lat, lon)")
    if query.sort == SortOrder.RELEVANCE and not query.text:
        raise InvalidSearch("le tri par pertinence demande un texte (q)")


def query_words(query: PlaceQuery) -> list[str]:
    return words.of_query(query.text) if query.text else []


def parameters(query: PlaceQuery) -> dict[str, str | int]:
    """The values to execute the statements built on `conditions(query)` with (the words of a text search)."""
    return words.parameters(query_words(query))


def key_groups(query: PlaceQuery) -> list[list[str]]:
    """The filters as groups of keys: a place matches when it holds at least one key of every group."""
    groups = [
        [filter_keys.key(name, value) for value in values] for name, values in query.tags.items() if values
    ]
    for name, codes in (
        ("code_insee", query.communes),
        ("epci_code", query.epcis),
        ("departement_code", query.departments),
    ):
        if codes:
            groups.append([filter_keys.key(name, code) for code in codes])
    if query.open_at is not None:
        groups.append([filter_keys.open_slot(query.open_at.astimezone(hours.UTC))])
    return groups


def months_ago(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.4375))


def sort_order(query: PlaceQuery, found_words: list[str]) -> SortOrder:
    """The order used: the one asked for, else by distance to a point, by relevance to a text, by name;
    by name when there is nothing to rank by (a text of signs only: no word, no relevance)."""
    sort = query.sort or (
        SortOrder.DISTANCE if query.near else SortOrder.RELEVANCE if query.text else SortOrder.NAME
    )
    if (sort == SortOrder.DISTANCE and query.near is None) or (
        sort == SortOrder.RELEVANCE and not found_words
    ):
        return SortOrder.NAME
    return sort


def one_department_only(query: PlaceQuery) -> bool:
    """A search of one département's places and nothing else: a range of ix_places_active_departement_nom."""
    return len(query.departments) == 1 and not (
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


def one_department_open_only(query: PlaceQuery) -> bool:
    """A search of one département's places open at a moment and nothing else: a range of
    ix_places_active_departement_open (PostgreSQL), each entry with its opening intervals."""
    return (
        len(query.departments) == 1
        and query.open_at is not None
        and not (
            query.text
            or any(query.tags.values())
            or query.communes
            or query.epcis
            or query.freshness
            or query.near
            or query.bbox
            or query.permanence_roles
        )
    )


def selective(query: PlaceQuery, groups: list[list[str]]) -> bool:
    """Whether the search's conditions go through an index other than the order's (keys, words, place)."""
    return bool(query.text or groups or query.near or query.bbox or query.permanence_roles)


def filters(query: PlaceQuery, today: date) -> Hashable:
    """What a search's matches depend on (not their order): its filters, and the day (freshness)."""
    return (
        query.text,
        tuple(sorted((name, tuple(sorted(values))) for name, values in query.tags.items())),
        tuple(sorted(query.communes)),
        tuple(sorted(query.epcis)),
        tuple(sorted(query.departments)),
        tuple(sorted(query.freshness)),
        query.near,
        query.radius_m,
        query.bbox,
        tuple(sorted(set(query.permanence_roles))),
        today,
    )
