"""The directory's shared objects, which `create_app` keeps on `app.state`, each behind a named accessor: a
route asks for one in its signature (`DirectorySettings`, `Geocode`…), a background job, which has no request,
calls the accessor with the app; nothing else reads `app.state`, so what code needs is named and typed."""

import asyncio
from typing import Annotated, cast

from fastapi import Depends
from starlette.applications import Starlette
from starlette.requests import Request

from fne_directory.config import Settings
from fne_directory.exports.cache import ExportCache
from fne_directory.places.search import KeptFacets
from fne_directory.places.service import Geocoder
from fne_directory.sync.models import SyncJob
from fne_kernel.mail.outbox import Courier


def settings_of(app: Starlette) -> Settings:
    return cast(Settings, app.state.settings)


def courier_of(app: Starlette) -> Courier:
    """The outbox's delivery loop (freshness requests, saved searches' news)."""
    return cast(Courier, app.state.courier)


def export_cache_of(app: Starlette) -> ExportCache:
    return cast(ExportCache, app.state.export_cache)


def kept_facets_of(app: Starlette) -> KeptFacets | None:
    """The search's facet counts kept between requests (None: `DIRECTORY_FACET_CACHE_ENTRIES=0`)."""
    return cast(KeptFacets | None, app.state.kept_facets)


def geocoder_of(app: Starlette) -> Geocoder | None:
    """The address geocoder (None without `DIRECTORY_GEOCODER_URL`: places sit at their commune's point)."""
    return cast(Geocoder | None, getattr(app.state, "geocoder", None))


def sync_tasks_of(app: Starlette) -> dict[str, asyncio.Task[SyncJob]]:
    """The synchronisations running in this process, by job id (created on first use)."""
    tasks = getattr(app.state, "sync_tasks", None)
    if tasks is None:
        tasks = app.state.sync_tasks = {}
    return cast(dict[str, asyncio.Task[SyncJob]], tasks)


# Request dependencies are async: one without I/O then runs on the event loop, not in a worker thread.
async def get_settings(request: Request) -> Settings:
    return settings_of(request.app)


async def get_courier(request: Request) -> Courier:
    return courier_of(request.app)


async def get_export_cache(request: Request) -> ExportCache:
    return export_cache_of(request.app)


async def get_kept_facets(request: Request) -> KeptFacets | None:
    return kept_facets_of(request.app)


async def get_geocoder(request: Request) -> Geocoder | None:
    return geocoder_of(request.app)


DirectorySettings = Annotated[Settings, Depends(get_settings)]
MailCourier = Annotated[Courier, Depends(get_courier)]
ExportCacheDep = Annotated[ExportCache, Depends(get_export_cache)]
KeptFacetsDep = Annotated[KeptFacets | None, Depends(get_kept_facets)]
GeocoderDep = Annotated[Geocoder | None, Depends(get_geocoder)]
