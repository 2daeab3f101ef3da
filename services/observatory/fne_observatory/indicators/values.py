"""Rebuilding the published values of an (indicator, period) from the observations of published imports."""

from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_observatory.imports.models import DatasetImport, ImportStatus, Observation
from fne_observatory.indicators.aggregation import Cell, Hierarchy, Key, Rule, aggregate, hierarchy
from fne_observatory.indicators.exceptions import PublicationBusy
from fne_observatory.indicators.models import Aggregation, Indicator, Origin, PublishedValue, Secrecy
from fne_observatory.territories.models import Level
from fne_observatory.territories.service import load_structure

Pair = tuple[str, str]  # (indicator code, period)
BATCH_SIZE = 2000


def rule_of(indicator: Indicator) -> Rule:
    return Rule(Aggregation(indicator.aggregation), indicator.scale, indicator.disclosure_threshold)


async def observed_cells(session: AsyncSession, indicator: str, period: str) -> dict[Key, Cell]:
    rows = await session.execute(
        select(
            Observation.territory_level,
            Observation.territory_code,
            Observation.value,
            Observation.numerator,
            Observation.denominator,
            Observation.weight,
            Observation.source_secret,
            Observation.method,
            Observation.import_id,
            DatasetImport.value_status,
        )
        .join(DatasetImport, DatasetImport.id == Observation.import_id)
        .where(
            Observation.indicator_code == indicator,
            Observation.period == period,
            DatasetImport.status == ImportStatus.PUBLISHED,
        )
    )
    commune = Level.COMMUNE.value
    return {
        (level, code): Cell(
            value=None if secret else value,
            numerator=numerator,
            denominator=denominator,
            weight=weight,
            secrecy=Secrecy.SOURCE if secret else None,
            status=status,
            method=method,
            import_id=import_id,
            covered=1 if level == commune else None,
            members=1 if level == commune else None,
        )
        for level, code, value, numerator, denominator, weight, secret, method, import_id, status in rows
    }


def _row(indicator: str, period: str, key: Key, cell: Cell, now: datetime) -> dict[str, object]:
    return {
        "indicator_code": indicator,
        "period": period,
        "territory_level": key[0],
        "territory_code": key[1],
        "value": cell.value,
        "numerator": cell.numerator,
        "denominator": cell.denominator,
        "weight": cell.weight,
        "secrecy": cell.secrecy.value if cell.secrecy else None,
        "origin": cell.origin.value,
        "status": cell.status,
        "method": cell.method,
        "covered": cell.covered,
        "members": cell.members,
        "coverage": None if cell.coverage is None else round(cell.coverage, 6),
        "import_id": cell.import_id,
        "computed_at": now,
    }


async def _write(session: AsyncSession, indicator: str, period: str, cells: dict[Key, Cell]) -> None:
    now = utcnow()
    rows = [_row(indicator, period, key, cell, now) for key, cell in sorted(cells.items())]
    try:
        for start in range(0, len(rows), BATCH_SIZE):
            await session.execute(
                insert(cast(Table, PublishedValue.__table__)), rows[start : start + BATCH_SIZE]
            )
    except IntegrityError as exc:  # another publication rebuilt the same values at the same moment
        raise PublicationBusy(
            f"Les valeurs de {indicator} ({period}) viennent d'être republiées par une autre "
            "opération : réessayez",
            indicator=indicator,
            period=period,
        ) from exc


async def recompute(session: AsyncSession, pairs: set[Pair], tree: Hierarchy | None = None) -> int:
    """Rebuilds the published values of each (indicator, period); returns how many values are published."""
    if not pairs:
        return 0
    tree = tree or hierarchy(await load_structure(session))
    written = 0
    for indicator_code, period in sorted(pairs):
        indicator = await session.get(Indicator, indicator_code)
        await session.execute(
            delete(PublishedValue).where(
                PublishedValue.indicator_code == indicator_code, PublishedValue.period == period
            )
        )
        if indicator is None:
            continue
        observed = await observed_cells(session, indicator_code, period)
        cells = aggregate(rule_of(indicator), observed, tree) if observed else {}
        await _write(session, indicator_code, period, cells)
        written += len(cells)
    await session.flush()
    return written


async def published_pairs(session: AsyncSession) -> set[Pair]:
    rows = await session.execute(
        select(Observation.indicator_code, Observation.period)
        .join(DatasetImport, DatasetImport.id == Observation.import_id)
        .where(DatasetImport.status == ImportStatus.PUBLISHED)
        .distinct()
    )
    return {(indicator, period) for indicator, period in rows}


async def recompute_all(session: AsyncSession) -> int:
    """After the territories changed: every published value again."""
    return await recompute(session, await published_pairs(session))


async def refresh_grouping(session: AsyncSession, code: str) -> int:
    """A groupement was drawn, redrawn or deleted: only its own values change (a groupement is protected by
    withholding itself, never one of its communes)."""
    await session.execute(
        delete(PublishedValue).where(
            PublishedValue.territory_level == Level.GROUPING, PublishedValue.territory_code == code
        )
    )
    structure = await load_structure(session)
    if code not in structure.groupings:
        await session.flush()
        return 0
    structure.groupings = {code: structure.groupings[code]}
    tree = hierarchy(structure)
    members = [member for _, member in tree.groupings[(Level.GROUPING.value, code)]]
    written = 0
    for indicator_code, period in sorted(await published_pairs(session)):
        indicator = await session.get(Indicator, indicator_code)
        if indicator is None:
            continue
        rows = await session.scalars(
            select(PublishedValue).where(
                PublishedValue.indicator_code == indicator_code,
                PublishedValue.period == period,
                PublishedValue.territory_level == Level.COMMUNE,
                PublishedValue.territory_code.in_(members),
            )
        )
        final = {
            (row.territory_level, row.territory_code): Cell(
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                weight=row.weight,
                secrecy=Secrecy(row.secrecy) if row.secrecy else None,
                origin=Origin(row.origin),
                status=row.status,
                method=row.method,
                covered=1,
                members=1,
                coverage=row.coverage,
                import_id=row.import_id,
            )
            for row in rows
        }
        cells = aggregate(rule_of(indicator), final, tree, only_groupings={code}) if final else {}
        await _write(session, indicator_code, period, cells)
        written += len(cells)
    await session.flush()
    return written
