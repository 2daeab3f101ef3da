"""Computing the directory's indicators for every commune of the perimeter the directory serves (setting
`OBSERVATORY_DIRECTORY_DEPARTEMENTS`), stored as a dataset version and published.

One computation per month (period AAAA-MM, dataset `annuaire-AAAA-MM`): computing again within the month
replaces that month's values, earlier months stay as the time series.
"""

import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.directory_figures.client import DirectoryClient, PlaceFacts
from fne_observatory.directory_figures.travel import ESTIMATE, OSRM, Destination, Origin, OsrmTable, estimate
from fne_observatory.imports.models import DatasetImport, ImportKind
from fne_observatory.imports.service import store_computation
from fne_observatory.indicators.models import PublishedValue
from fne_observatory.territories.models import CommuneAlias, Level, Territory
from fne_observatory.territories.service import within

CONSEILLERS_NUMERIQUES, FRANCE_SERVICES, AIDANTS_CONNECT = (
    "Conseillers numériques",
    "France Services",
    "Aidants Connect",
)
PROGRAMME_INDICATORS = {
    CONSEILLERS_NUMERIQUES: "lieux_conseillers_numeriques",
    FRANCE_SERVICES: "lieux_france_services",
    AIDANTS_CONNECT: "lieux_aidants_connect",
}
FRESH_DAYS = 365
PER_10000 = 10_000
SOURCE = "Annuaire FNE Savoie (export au standard national, GET /exports/lieux.json)"


@dataclass(frozen=True)
class CommuneFacts:
    code: str
    population: int
    latitude: float | None
    longitude: float | None
    density: float
    department: str


async def _communes(session: AsyncSession, perimeter: list[str] | None = None) -> list[CommuneFacts]:
    """The loaded communes (of the perimeter's départements, when given), by code."""
    selection = select(
        Territory.code,
        Territory.population,
        Territory.latitude,
        Territory.longitude,
        Territory.area_km2,
        Territory.departement_code,
    ).where(Territory.level == Level.COMMUNE)
    if perimeter:
        selection = selection.where(Territory.departement_code.in_(perimeter))
    rows = await session.execute(selection.order_by(Territory.code))
    return [
        CommuneFacts(
            code,
            population or 0,
            latitude,
            longitude,
            (population or 0) / area if area else 0.0,
            department or "",
        )
        for code, population, latitude, longitude, area, department in rows
    ]


async def travel_minutes(
    communes: list[CommuneFacts],
    destinations: list[Destination],
    router: OsrmTable | None,
    reach_minutes: int,
    mountain: set[str],
) -> tuple[dict[str, float | None], str]:
    origins = [
        Origin(c.code, c.latitude, c.longitude, c.density, c.department in mountain)
        for c in communes
        if c.latitude is not None and c.longitude is not None
    ]
    if router is not None:
        minutes = await router.minutes(origins, destinations, reach_minutes)
        method = OSRM
    else:
        minutes, method = estimate(origins, destinations), ESTIMATE
    return {origin.code: value for origin, value in zip(origins, minutes, strict=True)}, method


def observations(
    period: str,
    communes: list[CommuneFacts],
    places: dict[str, list[PlaceFacts]],
    minutes: dict[str, float | None],
    method: str,
    reach_minutes: int,
    today: date,
    served: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    fresh_since = today - timedelta(days=FRESH_DAYS)
    rows: list[dict[str, Any]] = []
    commune = Level.COMMUNE.value  # read once: an enum member's value is slow to read in a loop of 35,000

    def add(
        indicator: str,
        code: str,
        value: float | None,
        numerator: float | None = None,
        denominator: float | None = None,
        row_method: str | None = None,
    ) -> None:
        rows.append(
            {
                "indicator_code": indicator,
                "period": period,
                "territory_level": commune,
                "territory_code": code,
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "weight": None,
                "source_secret": False,
                "method": row_method,
            }
        )

    for facts in communes:
        here = places.get(facts.code, [])
        add("lieux_nombre", facts.code, len(here))
        for programme, indicator in PROGRAMME_INDICATORS.items():
            add(indicator, facts.code, sum(1 for place in here if programme in place.programmes))
        if facts.population > 0:
            add(
                "lieux_pour_10000_habitants",
                facts.code,
                len(here) / facts.population * PER_10000,
                len(here),
                facts.population,
            )
        if here:
            fresh = sum(1 for place in here if place.updated_on and place.updated_on >= fresh_since)
            add("annuaire_fraicheur", facts.code, fresh / len(here) * 100, fresh, len(here))
        if facts.code not in minutes:
            continue  # no reference point: no access time
        time_to = minutes[facts.code]
        # A commune where a conseiller numérique holds a permanence (a tour's stop included) is reached.
        within = (time_to is not None and time_to <= reach_minutes) or facts.code in served
        add("zones_blanches_communes", facts.code, 0 if within else 1, row_method=method)
        if time_to is not None:
            add("acces_conseiller_numerique_minutes", facts.code, round(time_to, 2), row_method=method)
        if facts.population > 0:
            reached = facts.population if within else 0
            add(
                "acces_conseiller_numerique_part_population",
                facts.code,
                reached / facts.population * 100,
                reached,
                facts.population,
                row_method=method,
            )
    return rows


async def no_progress(share: float, message: str) -> None:
    """Progress is only reported by computations run as jobs."""


@dataclass(frozen=True)
class Prepared:
    """A computation's results, ready to be stored (nothing written yet)."""

    period: str
    rows: list[dict[str, Any]]
    report: dict[str, Any]
    vintage: str


async def prepare(
    open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    client: DirectoryClient,
    router: OsrmTable | None,
    *,
    reach_minutes: int,
    mountain: set[str],
    perimeter: list[str] | None,
    today: date,
    progress: Callable[[float, str], Awaitable[None]] = no_progress,
) -> Prepared:
    """Reads the directory's places and the communes of the perimeter, computes every value: no write.

    The indicators are computed for the communes of the départements the directory serves (`perimeter`; every
    loaded commune when empty): outside it, the directory knows no place, and a commune there would count as a
    zone blanche with an access time to the perimeter's advisers. Above the perimeter (the region, France),
    the aggregates carry their coverage and are not published as those territories' values.
    """
    started = time.perf_counter()
    await progress(0.05, "Lecture de l'annuaire")
    # Every place is read: an adviser across the perimeter's border still serves the communes near it.
    facts, unusable = await client.places()
    async with open_session() as session:
        communes = await _communes(session, perimeter)
        # A place in Paris, Lyon or Marseille may carry its arrondissement's code: it counts for the city.
        aliases = {alias.code: alias.commune_code for alias in await session.scalars(select(CommuneAlias))}
        loaded = set(await session.scalars(select(Territory.code).where(Territory.level == Level.COMMUNE)))
    known = {commune.code for commune in communes}
    by_commune: dict[str, list[PlaceFacts]] = {}
    outside_perimeter = unknown = 0
    for place in facts:
        code = aliases.get(place.code_insee, place.code_insee)
        if code in known:
            by_commune.setdefault(code, []).append(place)
        elif code in loaded:
            outside_perimeter += 1
        else:
            unknown += 1
    advisers = [
        Destination(place.latitude, place.longitude)
        for place in facts
        if CONSEILLERS_NUMERIQUES in place.programmes
    ]
    await progress(0.3, f"Temps d'accès de {len(communes)} communes à {len(advisers)} conseillers numériques")
    minutes, method = await travel_minutes(communes, advisers, router, reach_minutes, mountain)
    await progress(0.8, "Calcul des indicateurs")
    period = today.strftime("%Y-%m")
    served = frozenset(await client.communes_with_permanence("conseiller_numerique"))
    rows = observations(period, communes, by_commune, minutes, method, reach_minutes, today, served)
    report = {
        "perimetre": sorted(perimeter or []),
        "lieux_lus": len(facts) + unusable,
        "lieux_inutilisables": unusable,
        "lieux_hors_referentiel": unknown,
        "lieux_hors_perimetre": outside_perimeter,
        "lieux_comptes": sum(len(places) for places in by_commune.values()),
        "lieux_conseillers_numeriques": len(advisers),
        "communes_avec_permanence_conseiller": len(served & known),
        "communes": len(communes),
        "temps_d_acces": {
            "methode": method,
            "seuil_minutes": reach_minutes,
            "requetes_osrm": router.requests if router else 0,
            "zones_blanches": sum(
                1 for row in rows if row["indicator_code"] == "zones_blanches_communes" and row["value"] == 1
            ),
        },
        "secondes": round(time.perf_counter() - started, 2),
    }
    await progress(0.9, "Publication des valeurs")
    return Prepared(period, rows, report, today.isoformat())


async def store(session: AsyncSession, prepared: Prepared, actor: str) -> DatasetImport:
    return await store_computation(
        session,
        dataset=f"annuaire-{prepared.period}",
        kind=ImportKind.DIRECTORY,
        title=f"Indicateurs de l'annuaire, {prepared.period}",
        source=SOURCE,
        vintage=prepared.vintage,
        observations=prepared.rows,
        report=prepared.report,
        actor=actor,
    )


async def compute(
    session: AsyncSession,
    client: DirectoryClient,
    router: OsrmTable | None,
    *,
    reach_minutes: int,
    mountain: set[str],
    actor: str,
    today: date,
    perimeter: list[str] | None = None,
) -> DatasetImport:
    """Reads, computes and stores in the caller's session (the command line's)."""
    prepared = await prepare(
        lambda: nullcontext(session),
        client,
        router,
        reach_minutes=reach_minutes,
        mountain=mountain,
        perimeter=perimeter,
        today=today,
    )
    return await store(session, prepared, actor)


NO_ADVISER_IN_REACH = "aucun conseiller numérique à portée de route"


def access_class(minutes: float | None, thresholds: list[float]) -> str:
    """The access-time class of a commune, in words (the same classes as the access-time map's)."""
    if minutes is None:
        return NO_ADVISER_IN_REACH
    lower = 0.0
    for bound in thresholds:
        if minutes <= bound:
            return f"{lower:g} à {bound:g} min" if lower else f"jusqu'à {bound:g} min"
        lower = bound
    return f"plus de {lower:g} min"


async def white_zones(
    session: AsyncSession,
    parent: tuple[Level, str] | None,
    limit: int,
    offset: int,
    thresholds: list[float] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The communes beyond reach at the latest computation, with their minutes and population, by code."""
    latest = await session.scalar(
        select(PublishedValue.period)
        .where(PublishedValue.indicator_code == "zones_blanches_communes")
        .order_by(PublishedValue.period.desc())
        .limit(1)
    )
    if latest is None:
        return [], 0
    zone = select(PublishedValue.territory_code).where(
        PublishedValue.indicator_code == "zones_blanches_communes",
        PublishedValue.period == latest,
        PublishedValue.territory_level == Level.COMMUNE,
        PublishedValue.value == 1,
    )
    selection = select(Territory.code, Territory.nom, Territory.population).where(
        *within(Level.COMMUNE, parent), Territory.code.in_(zone)
    )
    total = await session.scalar(select(func.count()).select_from(selection.subquery())) or 0
    rows = (await session.execute(selection.order_by(Territory.code).limit(limit).offset(offset))).all()
    minutes = {
        code: (value, method)
        for code, value, method in await session.execute(
            select(PublishedValue.territory_code, PublishedValue.value, PublishedValue.method).where(
                PublishedValue.indicator_code == "acces_conseiller_numerique_minutes",
                PublishedValue.period == latest,
                PublishedValue.territory_level == Level.COMMUNE,
                PublishedValue.territory_code.in_([code for code, _, _ in rows]),
            )
        )
    }
    return [
        {
            "code": code,
            "nom": nom,
            "population": population,
            "periode": latest,
            "minutes": minutes.get(code, (None, None))[0],
            "methode": minutes.get(code, (None, None))[1],
            "classe": access_class(minutes.get(code, (None, None))[0], thresholds or []),
        }
        for code, nom, population in rows
    ], total
