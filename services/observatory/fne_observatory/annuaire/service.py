"""Computing the directory's indicators for every loaded commune, stored as a dataset version and published.

One computation per month (period AAAA-MM, dataset `annuaire-AAAA-MM`): computing again within the month
replaces that month's values, earlier months stay as the time series.
"""

import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.annuaire.client import DirectoryClient, PlaceFacts
from fne_observatory.annuaire.travel import ESTIMATE, OSRM, Destination, Origin, OsrmTable, estimate
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
    departement: str


async def _communes(session: AsyncSession) -> list[CommuneFacts]:
    rows = await session.execute(
        select(
            Territory.code,
            Territory.population,
            Territory.latitude,
            Territory.longitude,
            Territory.area_km2,
            Territory.departement_code,
        )
        .where(Territory.level == Level.COMMUNE)
        .order_by(Territory.code)
    )
    return [
        CommuneFacts(
            code,
            population or 0,
            latitude,
            longitude,
            (population or 0) / area if area else 0.0,
            departement or "",
        )
        for code, population, latitude, longitude, area, departement in rows
    ]


async def travel_minutes(
    communes: list[CommuneFacts],
    destinations: list[Destination],
    router: OsrmTable | None,
    reach_minutes: int,
    mountain: set[str],
) -> tuple[dict[str, float | None], str]:
    origins = [
        Origin(c.code, c.latitude, c.longitude, c.density, c.departement in mountain)
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


async def compute(
    session: AsyncSession,
    client: DirectoryClient,
    router: OsrmTable | None,
    *,
    reach_minutes: int,
    mountain: set[str],
    actor: str,
    today: date,
) -> DatasetImport:
    started = time.perf_counter()
    facts, unusable = await client.places()
    communes = await _communes(session)
    known = {commune.code for commune in communes}
    # A place in Paris, Lyon or Marseille may carry its arrondissement's code: it counts for the city.
    aliases = {alias.code: alias.commune_code for alias in await session.scalars(select(CommuneAlias))}
    by_commune: dict[str, list[PlaceFacts]] = {}
    outside: Counter[str] = Counter()
    for place in facts:
        code = place.code_insee if place.code_insee in known else aliases.get(place.code_insee)
        if code is None:
            outside[place.code_insee[:2]] += 1
            continue
        by_commune.setdefault(code, []).append(place)
    advisers = [
        Destination(place.latitude, place.longitude)
        for place in facts
        if CONSEILLERS_NUMERIQUES in place.programmes
    ]
    minutes, method = await travel_minutes(communes, advisers, router, reach_minutes, mountain)
    period = today.strftime("%Y-%m")
    served = frozenset(await client.communes_with_permanence("conseiller_numerique"))
    rows = observations(period, communes, by_commune, minutes, method, reach_minutes, today, served)
    report = {
        "lieux_lus": len(facts) + unusable,
        "lieux_inutilisables": unusable,
        "lieux_hors_referentiel": sum(outside.values()),
        "lieux_comptes": len(facts) - sum(outside.values()),
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
    return await store_computation(
        session,
        dataset=f"annuaire-{period}",
        kind=ImportKind.ANNUAIRE,
        title=f"Indicateurs de l'annuaire, {period}",
        source=SOURCE,
        vintage=today.isoformat(),
        observations=rows,
        report=report,
        actor=actor,
    )


async def white_zones(
    session: AsyncSession, parent: tuple[Level, str] | None, limit: int, offset: int
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
        }
        for code, nom, population in rows
    ], total
