import asyncio

from fastapi import FastAPI

from fne_kernel.app import create_service_app
from fne_network.config import Settings
from fne_network.events.router import router as events_router
from fne_network.people.router import router as people_router
from fne_network.statistics.router import router as statistics_router
from fne_network.territories import commune_names
from fne_network.trainings.router import router as trainings_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    async def load_communes(app: FastAPI) -> None:
        await asyncio.to_thread(
            commune_names
        )  # read now rather than during the first request that needs them

    return create_service_app(
        name="network",
        title="FNE Savoie — réseau",
        description="Le réseau de l'inclusion numérique : ses personnes, ses formations, son agenda public.",
        package="fne_network",
        settings=settings,
        routers=[people_router, trainings_router, events_router, statistics_router],
        background=[load_communes],
    )
