from typing import Annotated

from fastapi import APIRouter, Query, Response

from fne_kernel.db import SessionDep
from fne_network.access import Anyone
from fne_network.dependencies import NetworkSettings
from fne_network.statistics import service
from fne_network.statistics.schemas import Statistics

router = APIRouter(tags=["statistiques"])


@router.get("/statistiques")
async def read_statistics(
    _: Anyone,
    session: SessionDep,
    settings: NetworkSettings,
    response: Response,
    annee: Annotated[
        int | None, Query(ge=2000, le=2100, description="Année civile (par défaut : toutes)")
    ] = None,
) -> Statistics:
    """Counts of the network's people, trainings and events (no personal data), for the observatory."""
    seconds = settings.statistics_cache_seconds
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return await service.statistics(session, annee)
