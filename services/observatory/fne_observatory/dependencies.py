"""Request parameters several features share, and the observatory's shared objects, which `create_app`
keeps on `app.state`, each behind a named accessor: a route asks for one in its signature
(`ObservatorySettings`, `CoverageThreshold`…), code that has only the app (background jobs, a job's work)
calls the accessor with it; nothing else reads `app.state`."""

import asyncio
from typing import TYPE_CHECKING, Annotated, cast

from fastapi import Depends, Query, Request
from starlette.applications import Starlette

from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.config import Settings
from fne_observatory.directory_figures.client import DirectoryClient
from fne_observatory.directory_figures.travel import OsrmFactory
from fne_observatory.publication.maps import MapCache
from fne_observatory.survey_figures.client import SurveysClient
from fne_observatory.territories.models import Level
from fne_observatory.territories.schemas import parse_ref

if TYPE_CHECKING:  # the roadmap's service needs the job machinery, which needs this module
    from fne_observatory.roadmap_values.service import Sources


def parent_territory(
    dans: Annotated[
        str | None,
        Query(description="Territoire englobant, niveau:code", examples=["departement:73"], max_length=60),
    ] = None,
) -> tuple[Level, str] | None:
    if dans is None:
        return None
    try:
        return parse_ref(dans)
    except ValueError as exc:
        raise InvalidInput([field_error("dans", str(exc), location="query")]) from exc


ParentParam = Annotated[tuple[Level, str] | None, Depends(parent_territory)]


def settings_of(app: Starlette) -> Settings:
    return cast(Settings, app.state.settings)


def roadmap_sources_of(app: Starlette) -> "Sources":
    """Where the computed roadmap indicators are read (directory, network, Coop, committees)."""
    return cast("Sources", app.state.roadmap_sources)


def directory_client_of(app: Starlette) -> DirectoryClient:
    return cast(DirectoryClient, app.state.directory_client)


def surveys_client_of(app: Starlette) -> SurveysClient:
    return cast(SurveysClient, app.state.surveys_client)


def osrm_factory_of(app: Starlette) -> OsrmFactory:
    return cast(OsrmFactory, app.state.osrm_factory)


def map_cache_of(app: Starlette) -> MapCache:
    return cast(MapCache, app.state.map_cache)


def computation_tasks_of(app: Starlette) -> dict[str, asyncio.Task[None]]:
    """The computations running in this process, by job id."""
    return cast(dict[str, asyncio.Task[None]], app.state.computation_tasks)


# Request dependencies are async: one without I/O then runs on the event loop, not in a worker thread.
async def get_settings(request: Request) -> Settings:
    return settings_of(request.app)


async def get_surveys_client(request: Request) -> SurveysClient:
    return surveys_client_of(request.app)


async def get_map_cache(request: Request) -> MapCache:
    return map_cache_of(request.app)


def coverage_threshold(request: Request) -> float:
    """The share of a territory's population an aggregate must cover to be published as its value."""
    return float(settings_of(request.app).coverage_threshold)


ObservatorySettings = Annotated[Settings, Depends(get_settings)]
SurveysClientDep = Annotated[SurveysClient, Depends(get_surveys_client)]
MapCacheDep = Annotated[MapCache, Depends(get_map_cache)]
CoverageThreshold = Annotated[float, Depends(coverage_threshold)]
