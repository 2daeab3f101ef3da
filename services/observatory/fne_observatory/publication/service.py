"""Reading published values: lists with metadata, profiles, time series. Never a withheld number."""

from collections.abc import Iterable, Sequence

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from fne_observatory.imports.models import DatasetImport
from fne_observatory.indicators.models import Indicator, Origin, PublishedValue
from fne_observatory.indicators.service import get_indicator, indicator_out, objectives_of
from fne_observatory.publication.exceptions import LevelNotPublished, NoPublishedValues
from fne_observatory.publication.schemas import (
    Profile,
    ProfileEntry,
    SeriesOut,
    SourceOut,
    ValueOut,
    ValuesPage,
)
from fne_observatory.territories.loader import DATASET as TERRITORY_DATASET
from fne_observatory.territories.models import FRANCE_CODE, Level, Territory, TerritoryDataset
from fne_observatory.territories.service import get_territory, within


def is_partial(row: PublishedValue, threshold: float) -> bool:
    """An aggregate computed from communes covering less than `threshold` of the territory's population:
    not that territory's value (Savoie's values are not France's)."""
    return row.origin == Origin.AGGREGATED and row.coverage is not None and row.coverage < threshold


def value_out(row: PublishedValue, nom: str, threshold: float) -> ValueOut:
    partial = is_partial(row, threshold)
    withheld = row.secrecy is not None or partial
    return ValueOut(
        niveau=row.territory_level,
        code=row.territory_code,
        nom=nom,
        periode=row.period,
        valeur=None if withheld else row.value,
        numerateur=None if withheld else row.numerator,
        denominateur=None if withheld else row.denominator,
        secret=row.secrecy,
        statut=row.status,
        origine=row.origin,
        methode=row.method,
        communes_couvertes=row.covered,
        communes=row.members,
        couverture=None if row.coverage is None else round(row.coverage, 4),
        donnees_partielles=partial,
        import_id=row.import_id,
    )


async def periods_of(session: AsyncSession, indicator: str) -> list[str]:
    return list(
        await session.scalars(
            select(PublishedValue.period)
            .where(PublishedValue.indicator_code == indicator)
            .group_by(PublishedValue.period)
            .order_by(PublishedValue.period)
        )
    )


async def sources_of(session: AsyncSession, import_ids: Iterable[str | None]) -> list[SourceOut]:
    ids = sorted({identifier for identifier in import_ids if identifier})
    if not ids:
        return []
    imports = await session.scalars(
        select(DatasetImport)
        .where(DatasetImport.id.in_(ids))
        .order_by(DatasetImport.dataset, DatasetImport.version)
    )
    return [
        SourceOut(
            import_id=item.id,
            jeu=item.dataset,
            version=item.version,
            titre=item.title,
            source=item.source,
            millesime=item.vintage,
        )
        for item in imports
    ]


async def population_vintage(session: AsyncSession) -> str | None:
    dataset = await session.get(TerritoryDataset, TERRITORY_DATASET)
    return dataset.vintage if dataset else None


def check_level(indicator: Indicator, level: Level) -> None:
    if level.value not in indicator.levels:
        raise LevelNotPublished(
            f"{indicator.code} est publié aux niveaux : {', '.join(indicator.levels)}",
            niveaux=indicator.levels,
        )


async def resolve_period(
    session: AsyncSession, indicator: Indicator, period: str | None
) -> tuple[str, list[str]]:
    periods = await periods_of(session, indicator.code)
    if not periods:
        raise NoPublishedValues(f"Aucune valeur publiée pour {indicator.code}", indicator=indicator.code)
    if period is None:
        return periods[-1], periods
    if period not in periods:
        raise NoPublishedValues(f"Aucune valeur publiée pour {indicator.code} en {period}", periodes=periods)
    return period, periods


async def list_values(
    session: AsyncSession,
    code: str,
    level: Level,
    parent: tuple[Level, str] | None,
    period: str | None,
    limit: int,
    offset: int,
    threshold: float,
) -> ValuesPage:
    indicator = await get_indicator(session, code)
    check_level(indicator, level)
    period, periods = await resolve_period(session, indicator, period)
    selection = (
        select(PublishedValue, Territory.nom)
        .join(
            Territory,
            and_(
                Territory.level == PublishedValue.territory_level,
                Territory.code == PublishedValue.territory_code,
            ),
        )
        .where(PublishedValue.indicator_code == code, PublishedValue.period == period, *within(level, parent))
    )
    total = await session.scalar(select(func.count()).select_from(selection.subquery())) or 0
    rows = (
        await session.execute(selection.order_by(PublishedValue.territory_code).limit(limit).offset(offset))
    ).all()
    objectives = await objectives_of(session, [code])
    return ValuesPage(
        items=[value_out(row, nom, threshold) for row, nom in rows],
        total=total,
        page=offset // limit + 1,
        size=limit,
        indicateur=indicator_out(indicator, objectives[code]),
        periode=period,
        periodes=periods,
        sources=await sources_of(session, (row.import_id for row, _ in rows)),
        population_millesime=await population_vintage(session),
    )


def comparison_department(territory: Territory) -> str | None:
    """The department a territory is shown next to: its own, or where most of its population lives."""
    if territory.level in (Level.REGION, Level.COUNTRY):
        return None
    return territory.departement_code


async def _rows_at(
    session: AsyncSession, level: Level, code: str, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], PublishedValue]:
    if not pairs:
        return {}
    rows = await session.scalars(
        select(PublishedValue).where(
            PublishedValue.territory_level == level,
            PublishedValue.territory_code == code,
            tuple_(PublishedValue.indicator_code, PublishedValue.period).in_(list(pairs)),
        )
    )
    return {(row.indicator_code, row.period): row for row in rows}


async def _names(session: AsyncSession, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    if not keys:
        return {}
    rows = await session.execute(
        select(Territory.level, Territory.code, Territory.nom).where(
            tuple_(Territory.level, Territory.code).in_(list(keys))
        )
    )
    return {(level, code): nom for level, code, nom in rows}


async def profile(
    session: AsyncSession, level: Level, code: str, period: str | None, threshold: float
) -> Profile:
    """Every indicator published for the territory (its latest period, or `period`), next to its department's
    and France's values for the same period."""
    territory = await get_territory(session, level, code)
    conditions = [PublishedValue.territory_level == level, PublishedValue.territory_code == code]
    if period is not None:
        conditions.append(PublishedValue.period == period)
    latest = (
        select(PublishedValue.indicator_code, func.max(PublishedValue.period).label("period"))
        .where(*conditions)
        .group_by(PublishedValue.indicator_code)
        .subquery()
    )
    rows = [
        (row, indicator)
        for row, indicator in (
            await session.execute(
                select(PublishedValue, Indicator)
                .join(
                    latest,
                    and_(
                        latest.c.indicator_code == PublishedValue.indicator_code,
                        latest.c.period == PublishedValue.period,
                    ),
                )
                .join(Indicator, Indicator.code == PublishedValue.indicator_code)
                .where(PublishedValue.territory_level == level, PublishedValue.territory_code == code)
                .order_by(Indicator.theme, Indicator.code)
            )
        ).all()
        if level.value in indicator.levels
    ]
    pairs = [(row.indicator_code, row.period) for row, _ in rows]
    department = comparison_department(territory)
    at_department = await _rows_at(session, Level.DEPARTMENT, department, pairs) if department else {}
    at_france = await _rows_at(session, Level.COUNTRY, FRANCE_CODE, pairs)
    names = await _names(session, {(Level.DEPARTMENT.value, department)} if department else set())
    names[(Level.COUNTRY.value, FRANCE_CODE)] = "France"
    entries = []
    for row, indicator in rows:
        key = (row.indicator_code, row.period)
        department_row, france_row = at_department.get(key), at_france.get(key)
        entries.append(
            ProfileEntry(
                indicateur=indicator.code,
                libelle=indicator.label,
                theme=indicator.theme,
                unite=indicator.unit,
                decimales=indicator.decimals,
                polarite=indicator.polarity,
                periode=row.period,
                territoire=value_out(row, territory.nom, threshold),
                departement=value_out(
                    department_row, names.get((Level.DEPARTMENT.value, department or ""), ""), threshold
                )
                if department_row and (level, code) != (Level.DEPARTMENT, department)
                else None,
                france=value_out(france_row, "France", threshold)
                if france_row and level != Level.COUNTRY
                else None,
            )
        )
    import_ids = [entry.territoire.import_id for entry in entries]
    return Profile(
        territoire={
            "niveau": territory.level,
            "code": territory.code,
            "nom": territory.nom,
            "population": territory.population,
        },
        departement=department,
        indicateurs=entries,
        sources=await sources_of(session, import_ids),
    )


async def _series_rows(
    session: AsyncSession, indicator: str, level: Level, code: str
) -> list[PublishedValue]:
    return list(
        await session.scalars(
            select(PublishedValue)
            .where(
                PublishedValue.indicator_code == indicator,
                PublishedValue.territory_level == level,
                PublishedValue.territory_code == code,
            )
            .order_by(PublishedValue.period)
        )
    )


async def series(
    session: AsyncSession, indicator_code: str, level: Level, code: str, threshold: float
) -> SeriesOut:
    indicator = await get_indicator(session, indicator_code)
    check_level(indicator, level)
    territory = await get_territory(session, level, code)
    points = [
        value_out(row, territory.nom, threshold)
        for row in await _series_rows(session, indicator_code, level, code)
    ]
    department = comparison_department(territory)
    department_points: list[ValueOut] = []
    if department and level != Level.DEPARTMENT:
        names = await _names(session, {(Level.DEPARTMENT.value, department)})
        department_points = [
            value_out(row, names.get((Level.DEPARTMENT.value, department), ""), threshold)
            for row in await _series_rows(session, indicator_code, Level.DEPARTMENT, department)
        ]
    france_points = (
        []
        if level == Level.COUNTRY
        else [
            value_out(row, "France", threshold)
            for row in await _series_rows(session, indicator_code, Level.COUNTRY, FRANCE_CODE)
        ]
    )
    objectives = await objectives_of(session, [indicator_code])
    return SeriesOut(
        indicateur=indicator_out(indicator, objectives[indicator_code]),
        territoire=points[-1] if points else None,
        points=points,
        departement=department_points,
        france=france_points,
        sources=await sources_of(session, (point.import_id for point in points)),
    )
