"""The indicator catalogue: reading, defining and changing indicators."""

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.imports.models import Observation
from fne_observatory.indicators.exceptions import IndicatorExists, IndicatorNotFound, RuleLocked
from fne_observatory.indicators.models import Indicator, IndicatorObjective
from fne_observatory.indicators.schemas import IndicatorBody, IndicatorIn, IndicatorOut
from fne_observatory.roadmap.models import Objective

# Changing these would make stored observations mean something else: they are fixed once values exist.
RULE_FIELDS = {"agregation": "aggregation", "echelle": "scale", "unite": "unit"}


async def get_indicator(session: AsyncSession, code: str) -> Indicator:
    indicator = await session.get(Indicator, code)
    if indicator is None:
        raise IndicatorNotFound(f"Aucun indicateur de code {code}", indicator=code)
    return indicator


async def objectives_of(session: AsyncSession, codes: list[str]) -> dict[str, list[int]]:
    linked: dict[str, list[int]] = {code: [] for code in codes}
    rows = await session.execute(
        select(IndicatorObjective.indicator_code, IndicatorObjective.objective_number)
        .where(IndicatorObjective.indicator_code.in_(codes))
        .order_by(IndicatorObjective.objective_number)
    )
    for code, number in rows:
        linked[code].append(number)
    return linked


def indicator_out(indicator: Indicator, objectives: list[int]) -> IndicatorOut:
    return IndicatorOut(
        code=indicator.code,
        libelle=indicator.label,
        description=indicator.description,
        theme=indicator.theme,
        unite=indicator.unit,
        echelle=indicator.scale,
        decimales=indicator.decimals,
        source=indicator.source,
        methode=indicator.method,
        niveaux=indicator.levels,
        periodicite=indicator.periodicity,
        polarite=indicator.polarity,
        agregation=indicator.aggregation,
        minimum=indicator.minimum,
        maximum=indicator.maximum,
        seuil_secret=indicator.disclosure_threshold,
        objectifs=objectives,
        producteur=indicator.producer,
    )


async def list_indicators(
    session: AsyncSession, theme: str | None, objective: int | None, q: str | None, limit: int, offset: int
) -> tuple[list[IndicatorOut], int]:
    conditions = []
    if theme:
        conditions.append(Indicator.theme == theme)
    if objective is not None:
        conditions.append(
            Indicator.code.in_(
                select(IndicatorObjective.indicator_code).where(
                    IndicatorObjective.objective_number == objective
                )
            )
        )
    if q:
        conditions.append(func.lower(Indicator.label).contains(q.lower()) | (Indicator.code == q))
    total = await session.scalar(select(func.count()).select_from(Indicator).where(*conditions)) or 0
    indicators = list(
        await session.scalars(
            select(Indicator)
            .where(*conditions)
            .order_by(Indicator.theme, Indicator.code)
            .limit(limit)
            .offset(offset)
        )
    )
    objectives = await objectives_of(session, [indicator.code for indicator in indicators])
    return [indicator_out(indicator, objectives[indicator.code]) for indicator in indicators], total


async def _check_objectives(session: AsyncSession, numbers: list[int]) -> None:
    known = set(await session.scalars(select(Objective.number).where(Objective.number.in_(numbers))))
    unknown = sorted(set(numbers) - known)
    if unknown:
        raise InvalidInput(
            [field_error("objectifs", f"objectifs inconnus : {unknown} (la feuille de route en compte 21)")]
        )


def _apply(indicator: Indicator, body: IndicatorBody) -> None:
    indicator.label, indicator.description, indicator.theme = body.libelle, body.description, body.theme
    indicator.unit, indicator.scale, indicator.decimals = body.unite.value, body.echelle, body.decimales
    indicator.source, indicator.method = body.source, body.methode
    indicator.levels = [level.value for level in body.niveaux]
    indicator.periodicity, indicator.polarity = body.periodicite.value, body.polarite.value
    indicator.aggregation = body.agregation.value
    indicator.minimum, indicator.maximum = body.minimum, body.maximum
    indicator.disclosure_threshold = body.seuil_secret
    indicator.updated_at = utcnow()


async def _link(session: AsyncSession, code: str, objectives: list[int]) -> None:
    await session.execute(delete(IndicatorObjective).where(IndicatorObjective.indicator_code == code))
    if objectives:
        await session.execute(
            insert(IndicatorObjective),
            [{"indicator_code": code, "objective_number": number} for number in sorted(set(objectives))],
        )


async def create_indicator(session: AsyncSession, body: IndicatorIn, producer: str = "import") -> Indicator:
    if await session.get(Indicator, body.code) is not None:
        raise IndicatorExists(
            f"L'indicateur {body.code} existe déjà : modifiez-le (PUT)", indicator=body.code
        )
    await _check_objectives(session, body.objectifs)
    now = utcnow()
    indicator = Indicator(code=body.code, producer=producer, created_at=now)
    _apply(indicator, body)
    session.add(indicator)
    await session.flush()
    await _link(session, body.code, body.objectifs)
    await session.flush()
    return indicator


async def has_observations(session: AsyncSession, code: str) -> bool:
    return (
        await session.scalar(select(Observation.id).where(Observation.indicator_code == code).limit(1))
        is not None
    )


async def update_indicator(session: AsyncSession, code: str, body: IndicatorBody) -> Indicator:
    """Changes an indicator's definition; its rule of calculation only while it has no values."""
    indicator = await get_indicator(session, code)
    await _check_objectives(session, body.objectifs)
    current = {"agregation": indicator.aggregation, "echelle": indicator.scale, "unite": indicator.unit}
    proposed = {"agregation": body.agregation.value, "echelle": body.echelle, "unite": body.unite.value}
    changed = sorted(name for name in RULE_FIELDS if current[name] != proposed[name])
    if changed and await has_observations(session, code):
        raise RuleLocked(
            f"Des valeurs existent : créez un nouvel indicateur plutôt que de changer {', '.join(changed)}",
            fields=changed,
        )
    _apply(indicator, body)
    await _link(session, code, body.objectifs)
    await session.flush()
    return indicator


async def upsert_reference_indicator(session: AsyncSession, body: IndicatorIn, producer: str) -> None:
    """Loads an indicator of the platform's own catalogue (data file): created, or its wording refreshed."""
    indicator = await session.get(Indicator, body.code)
    if indicator is None:
        await create_indicator(session, body, producer)
    else:
        await update_indicator(session, body.code, body)
        indicator.producer = producer


async def indicator_out_by_code(session: AsyncSession, code: str) -> IndicatorOut:
    indicator = await get_indicator(session, code)
    return indicator_out(indicator, (await objectives_of(session, [code]))[code])
