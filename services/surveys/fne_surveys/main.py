import asyncio

from fastapi import FastAPI

from fne_kernel.app import create_service_app
from fne_kernel.db import is_sqlite
from fne_kernel.logging import get_logger
from fne_surveys.campaigns.router import router as campaigns_router
from fne_surveys.config import Settings
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.frameworks.router import router as frameworks_router
from fne_surveys.imports.router import router as imports_router
from fne_surveys.journal.router import router as journal_router
from fne_surveys.privacy.router import router as privacy_router
from fne_surveys.questionnaires.catalogue import install_at_start
from fne_surveys.questionnaires.router import router as questionnaires_router
from fne_surveys.responses.public_router import router as public_router
from fne_surveys.responses.router import router as responses_router
from fne_surveys.results.router import router as results_router
from fne_surveys.territories import communes


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    frameworks = Frameworks.load(settings.frameworks_dir)

    async def install_questionnaires(app: FastAPI) -> None:
        if settings.install_shipped_questionnaires:
            await install_at_start(app.state.sessions, frameworks)

    async def load_communes(app: FastAPI) -> None:
        await asyncio.to_thread(communes)  # read now rather than during the first request that needs them

    app = create_service_app(
        name="surveys",
        title="FNE Savoie — questionnaires",
        description="Mesure de l'autonomie numérique : questionnaires, réponses pseudonymes, agrégats sûrs.",
        package="fne_surveys",
        settings=settings,
        routers=[
            frameworks_router,
            questionnaires_router,
            campaigns_router,
            responses_router,
            public_router,
            results_router,
            imports_router,
            privacy_router,
            journal_router,
        ],
        background=[install_questionnaires, load_communes],
    )
    app.state.frameworks = frameworks
    if not settings.pseudonym_key and not is_sqlite(settings.database_url):
        # Replicas or a container restart would each hold another key file: returning people would not be
        # recognised. A shared database deserves a shared secret.
        get_logger("fne.surveys").warning(
            f"SURVEYS_PSEUDONYM_KEY is not set: using the local key file {settings.pseudonym_key_file}"
        )
    app.state.pseudonym_key = settings.resolved_pseudonym_key()
    return app
