"""`fne surveys …`: retention of the surveys' personal data, and the ready questionnaires."""

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from fne_cli.components import COMPONENTS
from fne_cli.sessions import run_in_session

surveys_app = typer.Typer(
    help="Questionnaires : conservation des données, questionnaires fournis.", no_args_is_help=True
)
SURVEYS = COMPONENTS["surveys"]


@surveys_app.command("purge")
def purge(dry_run: Annotated[bool, typer.Option("--dry-run", help="Compter sans effacer")] = False) -> None:
    """Erase the responses kept longer than their campaign's retention period, and respondents left with
    none."""
    from fne_surveys.privacy.schemas import Purge
    from fne_surveys.privacy.service import purge_expired

    async def work(session: AsyncSession) -> Purge:
        return await purge_expired(session, dry_run=dry_run)

    report = run_in_session(SURVEYS, work)
    outcome = "à effacer" if dry_run else "effacées"
    typer.echo(
        f"Réponses {outcome} : {report.responses} ; personnes sans plus aucune réponse : {report.respondents}"
    )


@surveys_app.command("install-questionnaires")
def install_questionnaires() -> None:
    """Publish the ready questionnaires (toile, PIX self-assessment, citizen survey) that are missing or
    changed."""
    from fne_surveys.frameworks.registry import Frameworks
    from fne_surveys.questionnaires.catalogue import install

    settings = SURVEYS.settings()
    frameworks = Frameworks.load(settings.frameworks_dir)

    async def work(session: AsyncSession) -> list[str]:
        return [f"{found.code} v{found.version}" for found in await install(session, frameworks)]

    installed = run_in_session(SURVEYS, work)
    typer.echo(f"Publiés : {', '.join(installed)}" if installed else "Questionnaires fournis déjà à jour")
