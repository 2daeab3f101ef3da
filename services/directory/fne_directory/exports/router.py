from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response, StreamingResponse
from isal import igzip
from starlette.requests import Request

from fne_directory.dependencies import export_cache_of
from fne_directory.exports import data_inclusion
from fne_directory.exports.service import (
    GEOJSON_CLOSING,
    GEOJSON_OPENING,
    csv_chunks,
    json_array_chunks,
    place_batches,
)
from fne_directory.exports.standard import geojson_feature, standard_record
from fne_directory.places.dependencies import PlaceQueryDep
from fne_directory.places.models import PlaceRow
from fne_directory.places.search import PlaceQuery, check
from fne_directory.places.versions import directory_version
from fne_kernel.access import public
from fne_kernel.db import app_sessions, utcnow
from fne_kernel.metrics import EXPORT_CACHE

router = APIRouter(prefix="/exports", tags=["exports"])

# How long a request waits for the same export being rendered by another before rendering it itself.
RENDERING_WAIT_SECONDS = 10.0
CSV, JSON, GEOJSON = "text/csv; charset=utf-8", "application/json", "application/geo+json"


def _documented(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media_type.split(";")[0]: {}}}}


async def _replay(
    first: Sequence[PlaceRow] | None, rest: AsyncIterator[Sequence[PlaceRow]]
) -> AsyncIterator[Sequence[PlaceRow]]:
    if first is not None:
        yield first
        async for batch in rest:
            yield batch


Renderer = Callable[[AsyncIterator[Sequence[PlaceRow]]], AsyncIterator[bytes]]


async def _export(
    request: Request, query: PlaceQuery, render: Renderer, media_type: str, name: str, extension: str
) -> Response:
    """The export of the matching places, streamed as it is rendered, or as kept (exports/cache.py).

    The first batch is read before the response starts, so that an invalid search or an unreachable database
    gets an error response rather than a 200 with a truncated body."""
    now = utcnow()
    check(query, now)
    sessions, cache = app_sessions(request.app), export_cache_of(request.app)
    headers = {"Content-Disposition": f'attachment; filename="{name}-{now.date().isoformat()}.{extension}"'}
    tag = version = None
    if cache.enabled and query.open_at is None:
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
        version = await directory_version(sessions)
        tag = cache.tag(target, version, now.date())
        # Each representation has its own tag: the gzip one's ends with "-gzip".
        gzip_tag = tag[:-1] + '-gzip"'
        headers |= {
            "ETag": tag,
            "Cache-Control": f"public, max-age={int(cache.settle_seconds)}",
            "Vary": "Accept-Encoding",
        }
        presented = {candidate.strip() for candidate in request.headers.get("if-none-match", "").split(",")}
        if still_valid := presented & {tag, gzip_tag}:
            EXPORT_CACHE.labels("not_modified").inc()
            return Response(status_code=304, headers=headers | {"ETag": still_valid.pop()})
        if (kept := await cache.rendered(tag, timeout=RENDERING_WAIT_SECONDS)) is not None:
            EXPORT_CACHE.labels("hit").inc()
            if "gzip" in request.headers.get("accept-encoding", ""):
                return Response(
                    kept,
                    media_type=media_type,
                    headers=headers | {"ETag": gzip_tag, "Content-Encoding": "gzip"},
                )
            # ISA-L's inflate: a department's GeoJSON (2.4 MB) in 2 ms, where zlib takes 8.
            return Response(igzip.decompress(kept), media_type=media_type, headers=headers)
    EXPORT_CACHE.labels("miss" if tag else "uncacheable").inc()
    batches = place_batches(sessions, query, now.date())
    first = await anext(batches, None)
    body = render(_replay(first, batches))
    return StreamingResponse(
        cache.recording(tag, version, body) if tag else body, media_type=media_type, headers=headers
    )


def _json_items(items: Callable[[PlaceRow], Iterable[Any]]) -> Renderer:
    return lambda batches: json_array_chunks(batches, items)


@router.get(
    "/lieux.csv",
    dependencies=[Depends(public)],
    response_class=StreamingResponse,
    responses=_documented(CSV, "Standard national des lieux de médiation numérique v1.0.2, CSV"),
)
async def export_csv(request: Request, query: PlaceQueryDep) -> Response:
    """National standard CSV (v1.0.2) of the active places matching the search filters, streamed."""
    return await _export(request, query, csv_chunks, CSV, "lieux-mediation-numerique", "csv")


@router.get(
    "/lieux.json",
    dependencies=[Depends(public)],
    response_class=StreamingResponse,
    responses=_documented(JSON, "Standard national des lieux de médiation numérique v1.0.2, JSON"),
)
async def export_json(request: Request, query: PlaceQueryDep) -> Response:
    """National standard JSON (v1.0.2) of the active places matching the search filters, streamed."""
    return await _export(
        request,
        query,
        _json_items(lambda place: (standard_record(place),)),
        JSON,
        "lieux-mediation-numerique",
        "json",
    )


@router.get(
    "/lieux.geojson",
    dependencies=[Depends(public)],
    response_class=StreamingResponse,
    responses=_documented(GEOJSON, "FeatureCollection GeoJSON (RFC 7946) des lieux"),
)
async def export_geojson(request: Request, query: PlaceQueryDep) -> Response:
    """GeoJSON FeatureCollection of the active places matching the search filters, streamed."""
    return await _export(
        request,
        query,
        lambda batches: json_array_chunks(
            batches, lambda place: (geojson_feature(place),), GEOJSON_OPENING, GEOJSON_CLOSING
        ),
        GEOJSON,
        "lieux-mediation-numerique",
        "geojson",
    )


@router.get(
    "/data-inclusion/structures.json",
    dependencies=[Depends(public)],
    response_class=StreamingResponse,
    responses=_documented(JSON, "Structures au schéma data·inclusion v1"),
)
async def export_data_inclusion_structures(request: Request, query: PlaceQueryDep) -> Response:
    """data·inclusion v1 structures (one per place) of the active places matching the search filters."""
    return await _export(
        request,
        query,
        _json_items(lambda place: (data_inclusion.structure(place),)),
        JSON,
        "data-inclusion-structures-fne-savoie",
        "json",
    )


@router.get(
    "/data-inclusion/services.json",
    dependencies=[Depends(public)],
    response_class=StreamingResponse,
    responses=_documented(JSON, "Services au schéma data·inclusion v1"),
)
async def export_data_inclusion_services(request: Request, query: PlaceQueryDep) -> Response:
    """data·inclusion v1 services (one per place and service offered) of the places matching the filters."""
    return await _export(
        request,
        query,
        _json_items(data_inclusion.services),
        JSON,
        "data-inclusion-services-fne-savoie",
        "json",
    )
