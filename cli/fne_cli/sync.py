"""`fne sync …`: run a source, import a file, run what is due (the CronJob), list and cancel runs."""

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_cli.components import COMPONENTS
from fne_cli.sessions import run_in_session, run_with_sessions

sync_app = typer.Typer(
    help="Synchronisation de l'annuaire : DORA, data·inclusion, Mednum73, fichiers.", no_args_is_help=True
)
DIRECTORY = COMPONENTS["directory"]


def _geocoder(settings: Any) -> Any:
    from fne_directory.geocoding.ban import BanGeocoder

    return (
        BanGeocoder(settings.geocoder_url, timeout=settings.geocoder_timeout)
        if settings.geocoder_url
        else None
    )


def _report(job: Any) -> None:
    from fne_directory.sync.schemas import JobOut

    shown = JobOut.of(job)  # the words of the API: statut, compteurs
    counts = ", ".join(f"{name} {value}" for name, value in sorted(shown.compteurs.items()) if value)
    typer.echo(f"{job.source} [{job.id}] : {shown.statut} — {counts or 'rien'}")
    if job.message:
        typer.echo(f"  {job.message}")
    for error in job.errors[:20]:
        typer.echo(f"  {error['stage']} : {error['message']}", err=True)
    if job.status not in ("succeeded", "partial"):
        raise typer.Exit(1)


def _run(source_name: str, connector: Any, trigger: str) -> Any:
    from fne_directory.sync import service
    from fne_directory.sync.exceptions import AlreadyRunning

    settings = DIRECTORY.settings()

    async def work(sessions: async_sessionmaker[AsyncSession]) -> Any:
        async with sessions() as session, session.begin():
            job = await service.start_job(session, source_name, trigger, "ligne de commande")
        return await service.execute_run(sessions, settings, job, connector, _geocoder(settings))

    try:
        return run_with_sessions(DIRECTORY, work)
    except AlreadyRunning as exc:
        typer.echo(f"{exc} (tâche {exc.extensions.get('tache_id')})", err=True)
        raise typer.Exit(2) from None


@sync_app.command("run")
def run(source: Annotated[str, typer.Argument(help="data-inclusion, dora ou mednum73")]) -> None:
    """Synchronise one source now, in the foreground."""
    from fne_directory.sync import sources
    from fne_kernel.errors import DomainError

    try:
        connector = sources.connector_for(DIRECTORY.settings(), source)
    except DomainError as exc:
        raise typer.BadParameter(str(exc.detail)) from None
    _report(_run(source, connector, "cli"))


@sync_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    source: Annotated[str, typer.Option(help="Nom du fichier-source, ex. cd73-lieux")],
    format: Annotated[
        str | None,
        typer.Option(help="standard-csv, standard-json ou data-inclusion-json ; détecté si absent"),
    ] = None,
    complet: Annotated[
        bool, typer.Option(help="Le fichier liste tous les lieux de la source : les absents sont retirés")
    ] = False,
) -> None:
    """Import a national-standard CSV/JSON or data·inclusion JSON file as source `fichier-<source>`."""
    from fne_directory.sync.connectors.files import FORMATS, FileConnector
    from fne_directory.sync.sources import FILE_PREFIX, FILE_SOURCE
    from fne_kernel.errors import DomainError

    if format is not None and format not in FORMATS:
        raise typer.BadParameter(f"format inconnu : {format} (parmi {', '.join(FORMATS)})")
    if not FILE_SOURCE.match(FILE_PREFIX + source):
        raise typer.BadParameter("nom de source : minuscules, chiffres et tirets")
    try:
        connector = FileConnector(FILE_PREFIX + source, file.read_bytes(), format, complete=complet)
    except DomainError as exc:
        raise typer.BadParameter(f"{file} : {exc.detail}") from None
    _report(_run(connector.source, connector, "import"))


@sync_app.command("due")
def due() -> None:
    """Run every configured source whose interval has elapsed (what the CronJob runs)."""
    from fne_directory.sync import service

    settings = DIRECTORY.settings()
    jobs = run_with_sessions(
        DIRECTORY, lambda sessions: service.run_due(sessions, settings, _geocoder(settings))
    )
    if not jobs:
        typer.echo("Aucune source à synchroniser maintenant")
    failed = False
    for job in jobs:
        try:
            _report(job)
        except typer.Exit:
            failed = True
    if failed:
        raise typer.Exit(1)


@sync_app.command("jobs")
def jobs(source: str | None = None, limit: int = 20) -> None:
    """List the latest runs."""
    from fne_directory.sync import service
    from fne_directory.sync.schemas import PUBLIC_STATUS

    found, total = run_in_session(DIRECTORY, lambda session: service.list_jobs(session, source, 0, limit))
    for job in found:
        ended = job.finished_at.isoformat(timespec="seconds") if job.finished_at else "en cours"
        typer.echo(
            f"{job.id}  {job.source:<24} {PUBLIC_STATUS[job.status]:<11} "
            f"{job.started_at.isoformat(timespec='seconds')} → {ended}  {job.counts.get('fetched', 0)} lus"
        )
    typer.echo(f"{len(found)} sur {total}")


@sync_app.command("cancel")
def cancel(job_id: str) -> None:
    """Ask a run to stop at its next batch (it keeps what it stored and withdraws nothing)."""
    from fne_directory.sync import service
    from fne_directory.sync.schemas import PUBLIC_STATUS
    from fne_kernel.errors import DomainError

    try:
        job = run_in_session(DIRECTORY, lambda session: service.request_cancel(session, job_id))
    except DomainError as exc:
        typer.echo(str(exc.detail), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{job.id} : {'annulation demandée' if job.cancel_requested else PUBLIC_STATUS[job.status]}")
