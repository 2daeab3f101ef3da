"""Turning the surveys service's aggregates into catalogue indicators and observations.

Each framework dimension × phase is an indicator (`enquetes.<framework>.<dimension>.<phase>`: mean score
0–100, weighted by the number of responses), and its pre/post progress another (`….progression`, weighted by
the number of paired respondents). A cell the surveys service suppressed arrives without figures and stays
withheld, as does every total computed from it; the service's own totals (a department's) are used as given.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.imports.models import DatasetImport, ImportKind
from fne_observatory.imports.service import store_computation
from fne_observatory.indicators.models import Aggregation, Indicator, Periodicity, Polarity, Unit
from fne_observatory.indicators.schemas import IndicatorIn
from fne_observatory.indicators.service import create_indicator
from fne_observatory.survey_figures.client import SurveysClient
from fne_observatory.territories.models import FRANCE_CODE, Level
from fne_observatory.upstream import UpstreamUnavailable

GRANULARITIES = {
    "annee": Periodicity.YEARLY,
    "trimestre": Periodicity.QUARTERLY,
    "mois": Periodicity.MONTHLY,
}
PHASE_LABELS = {"pre": "avant l'accompagnement", "post": "après l'accompagnement", "suivi": "au suivi"}
LEVELS = [Level.COMMUNE, Level.EPCI, Level.GROUPING, Level.DEPARTMENT, Level.REGION, Level.COUNTRY]
SOURCE = "Questionnaires d'autonomie numérique FNE Savoie (agrégats diffusables du service questionnaires)"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def indicator_code(framework: str, dimension: str, suffix: str) -> str:
    return f"enquetes.{_slug(framework)}.{_slug(dimension)}.{_slug(suffix)}"[:80]


def _located(
    cells: list[dict[str, Any]], department: str | None, labels: dict[str, str], skipped: list[int]
) -> Iterator[tuple[dict[str, Any], tuple[str, str], str]]:
    """Each cell with its territory (a commune; the department or France for `total`) and its dimension's
    label; cells of respondents without a known commune are counted in `skipped` and left out."""
    for cell in cells:
        if cell["territoire"] == "inconnu":
            skipped.append(1)
            continue
        if cell["territoire"] == "total":
            territory = (
                (Level.DEPARTMENT.value, department) if department else (Level.COUNTRY.value, FRANCE_CODE)
            )
        else:
            territory = (Level.COMMUNE.value, cell["territoire"])
        yield cell, territory, labels.get(cell["dimension"], cell["dimension"])


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    description: str
    periodicity: Periodicity
    threshold: int
    weight: str
    minimum: float


async def _ensure_indicator(session: AsyncSession, spec: IndicatorSpec) -> None:
    if await session.get(Indicator, spec.code) is not None:
        return
    await create_indicator(
        session,
        IndicatorIn(
            code=spec.code,
            libelle=spec.label[:200],
            description=spec.description,
            theme="Autonomie numérique",
            unite=Unit.SCORE,
            source=SOURCE,
            methode=f"Moyenne 0–100 pondérée par {spec.weight} ; cellules de moins de {spec.threshold} "
            "répondants non diffusées par le service questionnaires (secret primaire et secondaire).",
            niveaux=LEVELS,
            periodicite=spec.periodicity,
            polarite=Polarity.HIGHER_IS_BETTER,
            agregation=Aggregation.WEIGHTED_MEAN,
            minimum=spec.minimum,
            maximum=100,
            seuil_secret=spec.threshold,
            objectifs=[1],
        ),
        producer="enquetes",
    )


def _observation(
    code: str,
    period: str,
    territory: tuple[str, str],
    suppressed: bool,
    value: float | None,
    weight: float | None,
) -> dict[str, Any]:
    return {
        "indicator_code": code,
        "period": period,
        "territory_level": territory[0],
        "territory_code": territory[1],
        "value": None if suppressed else value,
        "numerator": None,
        "denominator": None,
        "weight": None if suppressed else weight,
        "source_secret": suppressed,
        "method": None,
    }


async def no_progress(share: float, message: str) -> None:
    """Progress is only reported by computations run as jobs."""


@dataclass(frozen=True)
class Prepared:
    """What the surveys service said, turned into indicators and observations (nothing written yet)."""

    dataset: str
    title: str
    indicators: dict[str, IndicatorSpec]
    rows: list[dict[str, Any]]
    report: dict[str, Any]


async def check_framework(client: SurveysClient, framework: str, seconds: float) -> None:
    """A 422 now when the surveys service answers within `seconds` and does not know the framework; when it
    does not answer in time, the job reads it again (and fails with that 422 if need be)."""
    try:
        async with asyncio.timeout(seconds):
            frameworks = await client.frameworks()
    except (TimeoutError, UpstreamUnavailable):
        return
    if not any(item.get("code") == framework for item in frameworks):
        raise InvalidInput(
            [field_error("referentiel", f"référentiel inconnu du service questionnaires : {framework}")]
        )


async def prepare(
    client: SurveysClient,
    *,
    framework: str,
    granularity: str,
    department: str | None,
    progress_year: int | None,
    progress: Callable[[float, str], Awaitable[None]] = no_progress,
) -> Prepared:
    """Reads the framework and its aggregates from the surveys service: network only, no write."""
    await progress(0.05, "Lecture des référentiels du service questionnaires")
    frameworks = [item for item in await client.frameworks() if item.get("code") == framework]
    if not frameworks:
        raise InvalidInput(
            [field_error("referentiel", f"référentiel inconnu du service questionnaires : {framework}")]
        )
    labels = {dimension["code"]: dimension["label"] for dimension in frameworks[-1].get("dimensions", [])}
    title = frameworks[-1].get("title", framework)
    periodicity = GRANULARITIES[granularity]
    indicators: dict[str, IndicatorSpec] = {}
    rows: list[dict[str, Any]] = []
    skipped: list[int] = []
    await progress(0.2, "Lecture des agrégats diffusables")
    aggregates = await client.aggregates(framework, Level.COMMUNE.value, granularity, department)
    threshold = int(aggregates["seuil"])
    for cell, territory, label in _located(aggregates["cellules"], department, labels, skipped):
        code = indicator_code(framework, cell["dimension"], cell["phase"])
        indicators.setdefault(
            code,
            IndicatorSpec(
                code,
                f"{label} – score {PHASE_LABELS.get(cell['phase'], cell['phase'])}",
                f"{title} : score moyen de la dimension « {label} », phase {cell['phase']}.",
                periodicity,
                threshold,
                "le nombre de réponses",
                0,
            ),
        )
        rows.append(
            _observation(code, cell["periode"], territory, cell["secret"], cell["moyenne"], cell["n"])
        )
    if progress_year is not None:
        await progress(0.5, f"Lecture de la progression {progress_year}")
        since, until = (
            datetime(progress_year, 1, 1, tzinfo=UTC),
            datetime(progress_year + 1, 1, 1, tzinfo=UTC),
        )
        progression = await client.progress(framework, Level.COMMUNE.value, department, since, until)
        for cell, territory, label in _located(progression["cellules"], department, labels, skipped):
            code = indicator_code(framework, cell["dimension"], "progression")
            indicators.setdefault(
                code,
                IndicatorSpec(
                    code,
                    f"{label} – progression avant/après",
                    f"{title} : écart moyen de score entre après et avant l'accompagnement, sur les "
                    "seules personnes ayant répondu aux deux.",
                    Periodicity.YEARLY,
                    int(progression["seuil"]),
                    "le nombre de paires avant/après",
                    -100,
                ),
            )
            rows.append(
                _observation(
                    code, str(progress_year), territory, cell["secret"], cell["ecart_moyen"], cell["paires"]
                )
            )
    report = {
        "referentiel": framework,
        "periode": granularity,
        "departement": department,
        "seuil_secret": threshold,
        "cellules": len(rows),
        "cellules_secretes": sum(r["source_secret"] for r in rows),
        "cellules_sans_territoire": len(skipped),
        "progression": progress_year,
    }
    await progress(0.9, "Publication des valeurs")
    return Prepared(
        dataset=f"enquetes-{_slug(framework)}-{granularity}" + (f"-{department}" if department else ""),
        title=title,
        indicators=indicators,
        rows=rows,
        report=report,
    )


async def store(session: AsyncSession, prepared: Prepared, actor: str) -> DatasetImport:
    for spec in prepared.indicators.values():
        await _ensure_indicator(session, spec)
    return await store_computation(
        session,
        dataset=prepared.dataset,
        kind=ImportKind.SURVEYS,
        title=f"{prepared.title} : agrégats des questionnaires",
        source=SOURCE,
        vintage=datetime.now(UTC).date().isoformat(),
        observations=prepared.rows,
        report=prepared.report,
        actor=actor,
    )


async def synchronise(
    session: AsyncSession,
    client: SurveysClient,
    *,
    framework: str,
    granularity: str,
    department: str | None,
    progress_year: int | None,
    actor: str,
) -> DatasetImport:
    """Reads and stores in the caller's session (the command line's)."""
    prepared = await prepare(
        client,
        framework=framework,
        granularity=granularity,
        department=department,
        progress_year=progress_year,
    )
    return await store(session, prepared, actor)
