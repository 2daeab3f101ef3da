"""Exports of an indicator's published values: CSV (UTF-8, comma, decimal point: the open-data convention)
and XLSX (a values sheet and a metadata sheet), withheld values left empty with the reason."""

import csv
import io
from typing import Any

from openpyxl import Workbook
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.spreadsheets import safe_cell, safe_row
from fne_observatory.imports.models import DatasetImport
from fne_observatory.indicators.models import PublishedValue
from fne_observatory.indicators.service import get_indicator
from fne_observatory.publication.exceptions import NoPublishedValues
from fne_observatory.publication.service import check_level, population_vintage, value_out
from fne_observatory.territories.models import Level, Territory
from fne_observatory.territories.service import within

COLUMNS = (
    "indicateur",
    "niveau",
    "code",
    "nom",
    "periode",
    "valeur",
    "unite",
    "numerateur",
    "denominateur",
    "secret",
    "statut",
    "origine",
    "methode",
    "communes_couvertes",
    "communes",
    "couverture",
    "donnees_partielles",
    "source",
    "millesime",
)


async def export_rows(
    session: AsyncSession,
    code: str,
    level: Level,
    parent: tuple[Level, str] | None,
    period: str | None,
    threshold: float,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    indicator = await get_indicator(session, code)
    check_level(indicator, level)
    conditions = [PublishedValue.indicator_code == code, *within(level, parent)]
    if period is not None:
        conditions.append(PublishedValue.period == period)
    rows = (
        await session.execute(
            select(PublishedValue, Territory.nom, DatasetImport.source, DatasetImport.vintage)
            .join(
                Territory,
                and_(
                    Territory.level == PublishedValue.territory_level,
                    Territory.code == PublishedValue.territory_code,
                ),
            )
            .outerjoin(DatasetImport, DatasetImport.id == PublishedValue.import_id)
            .where(*conditions)
            .order_by(PublishedValue.period, PublishedValue.territory_code)
        )
    ).all()
    if not rows:
        raise NoPublishedValues(f"Aucune valeur publiée pour {code} à ce niveau et cette période")
    exported = []
    for row, nom, source, vintage in rows:
        value = value_out(row, nom, threshold)
        exported.append(
            {
                "indicateur": code,
                "niveau": value.niveau.value,
                "code": value.code,
                "nom": value.nom,
                "periode": value.periode,
                "valeur": value.valeur,
                "unite": indicator.unit,
                "numerateur": value.numerateur,
                "denominateur": value.denominateur,
                "secret": value.secret.value if value.secret else None,
                "statut": value.statut,
                "origine": value.origine,
                "methode": value.methode,
                "communes_couvertes": value.communes_couvertes,
                "communes": value.communes,
                "couverture": value.couverture,
                "donnees_partielles": "oui" if value.donnees_partielles else None,
                "source": source or indicator.source,
                "millesime": vintage,
            }
        )
    metadata = {
        "indicateur": code,
        "libelle": indicator.label,
        "description": indicator.description,
        "unite": indicator.unit,
        "source": indicator.source,
        "methode": indicator.method,
        "agregation": indicator.aggregation,
        "polarite": indicator.polarity,
        "population_millesime": await population_vintage(session) or "",
        "seuil_couverture": f"{threshold:.0%} de la population du territoire "
        "(en dessous : données partielles)",
    }
    return exported, metadata


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: safe_cell(value) for name, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict[str, Any]], metadata: dict[str, str]) -> bytes:
    workbook = Workbook()
    values = workbook.active
    values.title = "valeurs"
    values.append(list(COLUMNS))
    for row in rows:
        values.append(safe_row(row[column] for column in COLUMNS))
    values.freeze_panes = "A2"
    about = workbook.create_sheet("metadonnees")
    for name, text in metadata.items():
        about.append(safe_row([name, text]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
