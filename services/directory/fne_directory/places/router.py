from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.access import EDITORS, Editor
from fne_directory.dependencies import GeocoderDep, KeptFacetsDep
from fne_directory.permanences import service as permanences
from fne_directory.places import search as place_search
from fne_directory.places import service
from fne_directory.places.dependencies import PlaceQueryDep, SearchPageParams, search_request
from fne_directory.places.models import Place
from fne_directory.places.query import PlaceQuery
from fne_directory.places.schemas import (
    ChangeFeed,
    PlaceChangeOut,
    PlaceInput,
    PlaceOut,
    PlaceWithPermanencesOut,
    SearchResults,
)
from fne_directory.places.search import KeptFacets
from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_kernel.errors import problem_response
from fne_kernel.identity import Principal
from fne_kernel.pagination import PageRequest
from fne_kernel.responses import PlainJSONResponse
from fne_kernel.versions import IfMatch

router = APIRouter(prefix="/lieux", tags=["lieux"])

StatusChange = Callable[[AsyncSession, Place, Principal], Awaitable[Place]]
# What service.place_out builds: a place with PlaceOut's fields, validated against it on the way out.
PublishedPlace = dict[str, Any]


def _with_etag(response: Response, place: Place) -> None:
    response.headers["ETag"] = service.etag(place)


# Searches are served by the first route, which reads the query string in one pass (search_request); the
# second, never reached, declares the same parameters to FastAPI for the documentation (and would serve them
# alike, more slowly).
@router.get("", dependencies=[Depends(public)], include_in_schema=False)
async def search_places_in_one_pass(
    request: Request, session: SessionDep, kept_facets: KeptFacetsDep
) -> PlainJSONResponse:
    """Search places (the route below, its parameters read in one pass)."""
    query, paging, with_facets = search_request(request)
    return await _search(session, kept_facets, query, paging, with_facets)


@router.get("", dependencies=[Depends(public)], response_model=SearchResults)
async def search_places(
    kept_facets: KeptFacetsDep,
    query: PlaceQueryDep,
    paging: SearchPageParams,
    session: SessionDep,
    facettes: bool = False,
) -> PlainJSONResponse:
    """Search places: text, needs, publics, programmes, territory, freshness, open now, distance, map
    bounds."""
    return await _search(session, kept_facets, query, paging, facettes)


async def _search(
    session: AsyncSession,
    kept_facets: KeptFacets | None,
    query: PlaceQuery,
    paging: PageRequest,
    with_facets: bool,
) -> PlainJSONResponse:
    now = utcnow()
    found = await place_search.search(
        session,
        query,
        now=now,
        offset=paging.offset,
        limit=paging.size,
        with_facets=with_facets,
        kept_facets=kept_facets,
    )
    publish = service.publisher(now)
    # The permanences of the page's places that hold slots, in one query (none when no place does).
    held = await permanences.of_places(session, found.hosting)
    return PlainJSONResponse(
        {
            "items": [
                publish(place, distance) | {"permanences": held.get(place.id, [])}
                for place, distance in found.places
            ],
            "total": found.total,
            "page": paging.page,
            "size": paging.size,
            "facets": found.facets,
        }
    )


@router.get("/modifications", dependencies=[Depends(public)], response_model=ChangeFeed)
async def changed_places(
    session: SessionDep,
    depuis: datetime | None = None,
    curseur: str | None = None,
    limite: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> PlainJSONResponse:
    """Feed of places changed since a moment, withdrawals included, with a keyset cursor."""
    places, next_cursor = await place_search.change_feed(session, since=depuis, cursor=curseur, limit=limite)
    now = utcnow()
    held = await permanences.of_places(session, [place.id for place in places])
    return PlainJSONResponse(
        {
            "items": [
                service.place_out(place, now) | {"permanences": held.get(place.id, [])} for place in places
            ],
            "next_cursor": next_cursor,
        }
    )


@router.get(
    "/{place_id}",
    dependencies=[Depends(public)],
    response_model=PlaceWithPermanencesOut,
    responses={
        308: {
            "description": "Lieu fusionné dans un autre : `Location` donne le lieu conservé "
            "(problem+json, `remplace_par`)"
        }
    },
)
async def read_place(place_id: str, session: SessionDep, response: Response) -> PublishedPlace | Response:
    """A place, with its opening state, next opening and closing, quality, freshness and permanences."""
    place = await service.get_place(session, place_id)
    if place.replaced_by is not None:
        kept = await service.kept_place(session, place)
        return problem_response(
            308,
            "place-merged",
            "Lieu fusionné dans un autre",
            f"Ce lieu a été fusionné dans le lieu {kept} : il n'est plus publié sous cet identifiant.",
            headers={"Location": f"/lieux/{kept}"},
            remplace_par=kept,
        )
    _with_etag(response, place)
    held = await permanences.of_places(session, [place.id])
    return service.place_out(place, utcnow()) | {"permanences": held.get(place.id, [])}


@router.post("", status_code=201, response_model=PlaceOut)
async def create_place(
    body: PlaceInput, actor: Editor, session: SessionDep, response: Response, geocode: GeocoderDep
) -> PublishedPlace:
    """Create a place (coordinators and `directory:write` keys)."""
    place = await service.create_place(session, body, actor, geocode)
    _with_etag(response, place)
    response.headers["Location"] = f"/lieux/{place.id}"
    return service.place_out(place, utcnow())


@router.put("/{place_id}", response_model=PlaceOut)
async def replace_place(
    place_id: str,
    body: PlaceInput,
    actor: Editor,
    session: SessionDep,
    response: Response,
    geocode: GeocoderDep,
    if_match: IfMatch = None,
) -> PublishedPlace:
    """Replace a place's fields (those changed become manual: kept by syncs); If-Match required (412 if
    stale)."""
    place = service.writable(await service.get_place(session, place_id))
    service.expected_version(if_match, place)
    place = await service.edit_place(session, place, body, actor, geocode)
    _with_etag(response, place)
    return service.place_out(place, utcnow())


@router.patch("/{place_id}", response_model=PlaceOut)
async def update_place(
    place_id: str,
    body: Annotated[dict[str, Any], Body()],
    actor: Editor,
    session: SessionDep,
    response: Response,
    geocode: GeocoderDep,
    if_match: IfMatch = None,
) -> PublishedPlace:
    """Change some fields of a place (null clears one; changed fields become manual, kept by syncs);
    If-Match."""
    place = service.writable(await service.get_place(session, place_id))
    service.expected_version(if_match, place)
    place = await service.edit_place(session, place, service.merged_input(place, body), actor, geocode)
    _with_etag(response, place)
    return service.place_out(place, utcnow())


async def _change_status(
    change: StatusChange,
    place_id: str,
    actor: Principal,
    session: AsyncSession,
    response: Response,
    if_match: str | None,
) -> PublishedPlace:
    place = service.writable(await service.get_place(session, place_id))
    service.expected_version(if_match, place)
    place = await change(session, place, actor)
    _with_etag(response, place)
    return service.place_out(place, utcnow())


@router.delete("/{place_id}", response_model=PlaceOut)
async def withdraw_place(
    place_id: str, actor: Editor, session: SessionDep, response: Response, if_match: IfMatch = None
) -> PublishedPlace:
    """Withdraw a place: it leaves searches and exports, its record and history stay."""
    return await _change_status(service.withdraw_place, place_id, actor, session, response, if_match)


@router.post("/{place_id}/restauration", response_model=PlaceOut)
async def restore_place(
    place_id: str, actor: Editor, session: SessionDep, response: Response, if_match: IfMatch = None
) -> PublishedPlace:
    """Bring a withdrawn place back; If-Match required."""
    return await _change_status(service.restore_place, place_id, actor, session, response, if_match)


@router.get("/{place_id}/historique", dependencies=EDITORS)
async def place_history(place_id: str, session: SessionDep) -> list[PlaceChangeOut]:
    """Every change of a place: who, when, which fields, old and new values."""
    return [
        PlaceChangeOut.model_validate(change) for change in await service.place_history(session, place_id)
    ]
