from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from starlette.requests import Request

from fne_directory.exports import data_inclusion
from fne_directory.exports.service import (
    GEOJSON_CLOSING, GEOJSON_OPENING, PlaceRow, csv_chunks, json_array_chunks, place_batches,
)
from fne_directory.exports.standard import geojson_feature, standard_record
from fne_directory.places.dependencies import PlaceQueryDep
from fne_directory.places.search import PlaceQuery, check
from fne_kernel.access import public
from fne_kernel.db import utcnow

router = APIRouter(prefix="/exports", tags=["exports"])

CSV, JSON, GEOJSON = "text/csv; charset=utf-8", "application/json", "application/geo+json"


def _documented(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media_type.split(";")[0]: {}}}}


async def _replay(first: Sequence[PlaceRow] | None,
                  rest: AsyncIterator[Sequence[PlaceRow]]) -> AsyncIterator[Sequence[PlaceRow]]:
    if first is not None:
        yield first
        async for batch in rest:
            yield batch


async def _matching_places(request: Request,
                           query: PlaceQuery) -> tuple[AsyncIterator[Sequence[PlaceRow]], date]:
    """The batches of matching places; the first one is read now, so that an invalid search or an unreachable
    database gets an error response rather than a 200 with a truncated body."""
    now = utcnow()
    check(query, now)
    batches = place_batches(request.app.state.sessions, query, now.date())
    first = await anext(batches, None)
    return _replay(first, batches), now.date()


def _streamed(chunks: AsyncIterator[bytes], media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(chunks, media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def _json_export(request: Request, query: PlaceQuery, items: Callable[[PlaceRow], Iterable[Any]],
                       name: str) -> StreamingResponse:
    batches, today = await _matching_places(request, query)
    return _streamed(json_array_chunks(batches, items), JSON, f"{name}-{today.isoformat()}.json")


@router.get("/lieux.csv", dependencies=[Depends(public)], response_class=StreamingResponse,
            responses=_documented(CSV, "Standard national des lieux de médiation numérique v1.0.2, CSV"))
async def export_csv(request: Request, query: PlaceQueryDep) -> StreamingResponse:
    """National standard CSV (v1.0.2) of the active places matching the search filters, streamed."""
    batches, today = await _matching_places(request, query)
    return _streamed(csv_chunks(batches), CSV, f"lieux-mediation-numerique-{today.isoformat()}.csv")


@router.get("/lieux.json", dependencies=[Depends(public)], response_class=StreamingResponse,
            responses=_documented(JSON, "Standard national des lieux de médiation numérique v1.0.2, JSON"))
async def export_json(request: Request, query: PlaceQueryDep) -> StreamingResponse:
    """National standard JSON (v1.0.2) of the active places matching the search filters, streamed."""
    return await _json_export(request, query, lambda place: (standard_record(place),),
                              "lieux-mediation-numerique")


@router.get("/lieux.geojson", dependencies=[Depends(public)], response_class=StreamingResponse,
            responses=_documented(GEOJSON, "FeatureCollection GeoJSON (RFC 7946) des lieux"))
async def export_geojson(request: Request, query: PlaceQueryDep) -> StreamingResponse:
    """GeoJSON FeatureCollection of the active places matching the search filters, streamed."""
    batches, today = await _matching_places(request, query)
    chunks = json_array_chunks(batches, lambda place: (geojson_feature(place),), GEOJSON_OPENING,
                               GEOJSON_CLOSING)
    return _streamed(chunks, GEOJSON, f"lieux-mediation-numerique-{today.isoformat()}.geojson")


@router.get("/data-inclusion/structures.json", dependencies=[Depends(public)],
            response_class=StreamingResponse,
            responses=_documented(JSON, "Structures au schéma data·inclusion v1"))
async def export_data_inclusion_structures(request: Request, query: PlaceQueryDep) -> StreamingResponse:
    """data·inclusion v1 structures (one per place) of the active places matching the search filters."""
    return await _json_export(request, query, lambda place: (data_inclusion.structure(place),),
                              "data-inclusion-structures-fne-savoie")


@router.get("/data-inclusion/services.json", dependencies=[Depends(public)],
            response_class=StreamingResponse,
            responses=_documented(JSON, "Services au schéma data·inclusion v1"))
async def export_data_inclusion_services(request: Request, query: PlaceQueryDep) -> StreamingResponse:
    """data·inclusion v1 services (one per place and service offered) of the places matching the filters."""
    return await _json_export(request, query, data_inclusion.services, "data-inclusion-services-fne-savoie")
