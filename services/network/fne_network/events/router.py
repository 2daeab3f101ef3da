from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Response
from starlette.requests import Request

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_kernel.versions import IfMatch, expect_version, send_etag
from fne_network.access import Anyone, Writer, may_see_unpublished
from fne_network.dependencies import NetworkSettings, settings_of
from fne_network.events import service
from fne_network.events.exceptions import EventChanged
from fne_network.events.schemas import EventIn, EventOut, EventReport, EventType, EventUpdate
from fne_network.inputs import CommuneCode
from fne_network.territories import commune_name

router = APIRouter(tags=["evenements"])

Communes = Annotated[list[CommuneCode] | None, Query(max_length=50, description="Codes INSEE des communes")]
Types = Annotated[list[EventType] | None, Query(max_length=6, description="Types d'événement")]
Search = Annotated[str | None, Query(max_length=100, description="Mot du titre ou de la description")]
CALENDAR = "text/calendar; charset=utf-8"
JSON_LD = "application/ld+json"


def _public_url(request: Request) -> str:
    return settings_of(request.app).public_url


@router.get("/evenements")
async def list_events(
    principal: Anyone,
    session: SessionDep,
    paging: PageParams,
    request: Request,
    commune: Communes = None,
    type: Types = None,
    du: Annotated[date | None, Query(description="À partir de ce jour (par défaut : aujourd'hui)")] = None,
    au: Annotated[date | None, Query(description="Jusqu'à ce jour inclus")] = None,
    q: Search = None,
    brouillons: Annotated[
        bool, Query(description="Inclure les brouillons (gestionnaires de l'agenda)")
    ] = False,
) -> Page[EventOut]:
    """The public agenda, in date order: filter by communes, types, dates and words."""
    if du is None and au is None:
        du = date.today()
    found, total = await service.list_events(
        session,
        paging,
        communes=commune or [],
        types=type or [],
        first=du,
        last=au,
        search=q,
        unpublished=brouillons and may_see_unpublished(principal),
    )
    return Page.of([service.event_out(event, _public_url(request)) for event in found], total, paging)


@router.post("/evenements", status_code=201)
async def create_event(
    body: EventIn, actor: Writer, session: SessionDep, request: Request, response: Response
) -> EventOut:
    """Add an event to the agenda."""
    event = await service.create_event(session, body, actor)
    response.headers["Location"] = f"/evenements/{event.id}"
    send_etag(response, event.id, event.version)
    return service.event_out(event, _public_url(request))


_CALENDAR_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "Flux iCalendar"}
}


@router.get("/evenements.ics", response_class=Response, responses=_CALENDAR_RESPONSE)
async def calendar_feed(
    _: Anyone,
    session: SessionDep,
    settings: NetworkSettings,
    commune: Communes = None,
    type: Types = None,
) -> Response:
    """The agenda as an iCalendar feed (RFC 5545), whole or for some communes and types."""
    events = await service.feed_events(session, communes=commune or [], types=type or [])
    name = settings.calendar_name
    if commune and len(commune) == 1:
        name = f"{name} — {commune_name(commune[0]) or commune[0]}"
    return Response(
        service.calendar(events, settings.public_url, name),
        media_type=CALENDAR,
        headers={
            "Cache-Control": "public, max-age=900",
            "Content-Disposition": 'inline; filename="agenda.ics"',
        },
    )


@router.get("/evenements/{event_id}")
async def read_event(
    event_id: str, principal: Anyone, session: SessionDep, request: Request, response: Response
) -> EventOut:
    """One event of the agenda."""
    event = await service.get_event(session, event_id, unpublished=may_see_unpublished(principal))
    send_etag(response, event.id, event.version)
    return service.event_out(event, _public_url(request))


@router.get(
    "/evenements/{event_id}/jsonld",
    response_class=Response,
    responses={
        200: {"content": {JSON_LD: {"schema": {"type": "object"}}}, "description": "schema.org Event"}
    },
)
async def event_json_ld(event_id: str, principal: Anyone, session: SessionDep, request: Request) -> Response:
    """The event as schema.org `Event` JSON-LD, as its page embeds it."""
    event = await service.get_event(session, event_id, unpublished=may_see_unpublished(principal))
    return Response(orjson.dumps(service.json_ld(event, _public_url(request))), media_type=JSON_LD)


@router.get("/evenements/{event_id}/ics", response_class=Response, responses=_CALENDAR_RESPONSE)
async def event_calendar(
    event_id: str, _: Anyone, session: SessionDep, settings: NetworkSettings
) -> Response:
    """One event as an iCalendar file, to add it to one's calendar."""
    event = await service.get_event(session, event_id, unpublished=False)
    return Response(
        service.calendar([event], settings.public_url, event.title),
        media_type=CALENDAR,
        headers={"Content-Disposition": 'attachment; filename="evenement.ics"'},
    )


@router.patch("/evenements/{event_id}")
async def update_event(
    event_id: str,
    body: EventUpdate,
    _: Writer,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> EventOut:
    """Change an event (or cancel it: annule); If-Match required (412 if stale)."""
    event = await service.get_event(session, event_id, unpublished=True)
    expect_version(if_match, event.id, event.version, EventChanged)
    event = await service.update_event(session, event, body)
    send_etag(response, event.id, event.version)
    return service.event_out(event, _public_url(request))


@router.put("/evenements/{event_id}/bilan")
async def record_report(
    event_id: str,
    body: EventReport,
    _: Writer,
    session: SessionDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> EventOut:
    """Participants and partner structures counted after the event; If-Match required (412 if stale)."""
    event = await service.get_event(session, event_id, unpublished=True)
    expect_version(if_match, event.id, event.version, EventChanged)
    event = await service.record_report(session, event, body)
    send_etag(response, event.id, event.version)
    return service.event_out(event, _public_url(request))


@router.delete("/evenements/{event_id}", status_code=204)
async def delete_event(event_id: str, _: Writer, session: SessionDep, if_match: IfMatch = None) -> Response:
    """Remove an event recorded by mistake (cancel it instead when it was announced); If-Match required."""
    event = await service.get_event(session, event_id, unpublished=True)
    expect_version(if_match, event.id, event.version, EventChanged)
    await service.delete_event(session, event)
    return Response(status_code=204)
