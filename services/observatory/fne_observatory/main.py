from fastapi import FastAPI

from fne_kernel.app import create_service_app
from fne_observatory.committees.router import router as committees_router
from fne_observatory.config import Settings
from fne_observatory.directory_figures.client import DirectoryClient
from fne_observatory.directory_figures.router import router as annuaire_router
from fne_observatory.directory_figures.travel import OsrmFactory
from fne_observatory.imports.router import router as imports_router
from fne_observatory.indicators.router import router as indicators_router
from fne_observatory.jobs.router import router as jobs_router
from fne_observatory.jobs.service import stop_jobs_at_shutdown
from fne_observatory.publication.maps import MapCache
from fne_observatory.publication.router import router as publication_router
from fne_observatory.roadmap.router import router as roadmap_router
from fne_observatory.roadmap_values.background import refresh_roadmap_periodically
from fne_observatory.roadmap_values.router import router as roadmap_values_router
from fne_observatory.roadmap_values.service import sources_from
from fne_observatory.survey_figures.client import SurveysClient
from fne_observatory.survey_figures.router import router as enquetes_router
from fne_observatory.territories.router import router as territories_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        name="observatory",
        title="FNE Savoie — observatoire",
        description="Indicateurs territoriaux de l'inclusion numérique et tableau de bord de la feuille de "
        "route.",
        package="fne_observatory",
        settings=settings,
        routers=[
            territories_router,
            publication_router,
            indicators_router,
            imports_router,
            annuaire_router,
            committees_router,  # before roadmap's /comites/{identifiant}: /comites/actions is its own
            roadmap_router,
            enquetes_router,
            jobs_router,
            roadmap_values_router,
        ],
        background=[refresh_roadmap_periodically, stop_jobs_at_shutdown],
    )
    app.state.map_cache = MapCache()
    app.state.computation_tasks = {}
    app.state.directory_client = DirectoryClient(
        settings.directory_url, settings.upstream_timeout, settings.upstream_retries
    )
    app.state.osrm_factory = OsrmFactory(settings)
    app.state.surveys_client = SurveysClient(
        settings.surveys_url, settings.surveys_api_key, settings.upstream_timeout, settings.upstream_retries
    )
    app.state.roadmap_sources = sources_from(settings)
    return app
