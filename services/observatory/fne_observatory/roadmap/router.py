from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import HTMLResponse

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_kernel.pagination import Page, PageParams
from fne_observatory.access import Caller, Writer, actor_name, is_contributor
from fne_observatory.dependencies import settings_of
from fne_observatory.roadmap import report, service
from fne_observatory.roadmap.schemas import (
    MeetingIn,
    MeetingOut,
    MilestoneOut,
    MilestoneUpdate,
    ObjectiveOut,
    RoadmapIndicatorIn,
    RoadmapIndicatorOut,
    RoadmapIndicatorUpdate,
    RoadmapOut,
    RoadmapValueIn,
    RoadmapValueOut,
    StatusIn,
)

router = APIRouter(tags=["feuille de route"])
ObjectiveNumber = Annotated[int, Path(ge=1, le=21)]
IndicatorId = Annotated[str, Path(pattern=r"^\d{1,2}\.\d{1,3}$", examples=["7.3"])]
MilestoneId = Annotated[str, Path(pattern=r"^\d{1,2}\.[a-z0-9]{1,10}$", examples=["1.b"])]
MeetingId = Annotated[int, Path(ge=1)]


def _focus(request: Request) -> str:
    return settings_of(request.app).focus_departement


@router.get("/feuille-de-route", dependencies=[Depends(public)])
async def read_roadmap(request: Request, session: SessionDep) -> RoadmapOut:
    """The roadmap: 4 axes, 21 objectives with their status, indicators filled in and milestones reached."""
    return await service.roadmap(session, _focus(request))


@router.get("/feuille-de-route/objectifs/{numero}")
async def read_objective(
    numero: ObjectiveNumber, caller: Caller, request: Request, session: SessionDep
) -> ObjectiveOut:
    """An objective: aims, actions, actors, indicators with values and targets, milestones, status history."""
    detail = await service.objective_detail(session, numero, _focus(request))
    return detail if is_contributor(caller) else service.without_authors(detail)


@router.put("/feuille-de-route/objectifs/{numero}/statut")
async def set_objective_status(
    numero: ObjectiveNumber, body: StatusIn, actor: Writer, request: Request, session: SessionDep
) -> ObjectiveOut:
    """Set an objective's status, with a comment (kept in its history)."""
    await service.set_status(session, numero, body, actor_name(actor))
    return await service.objective_detail(session, numero, _focus(request))


@router.post("/feuille-de-route/objectifs/{numero}/indicateurs", status_code=201)
async def add_roadmap_indicator(
    numero: ObjectiveNumber, body: RoadmapIndicatorIn, _: Writer, session: SessionDep
) -> RoadmapIndicatorOut:
    """Add an indicator to an objective (the comité may follow more than the roadmap lists)."""
    indicator = await service.add_indicator(session, numero, body)
    return service.indicator_out(indicator, [])


@router.patch("/feuille-de-route/indicateurs/{identifiant}")
async def update_roadmap_indicator(
    identifiant: IndicatorId, body: RoadmapIndicatorUpdate, _: Writer, request: Request, session: SessionDep
) -> RoadmapIndicatorOut:
    """Set an indicator's target, baseline, due date or link to a catalogue indicator."""
    indicator = await service.update_indicator(session, identifiant, body)
    return service.indicator_out(
        indicator, await service.indicator_values(session, identifiant, _focus(request))
    )


@router.get("/feuille-de-route/indicateurs/{identifiant}/valeurs")
async def roadmap_indicator_values(
    identifiant: IndicatorId, caller: Caller, request: Request, session: SessionDep
) -> list[RoadmapValueOut]:
    """Every value of a roadmap indicator, oldest first: recorded by the comité or published by the
    observatory."""
    values = await service.indicator_values(session, identifiant, _focus(request))
    return (
        values
        if is_contributor(caller)
        else [value.model_copy(update={"saisi_par": None}) for value in values]
    )


@router.post("/feuille-de-route/indicateurs/{identifiant}/valeurs", status_code=201)
async def record_roadmap_value(
    identifiant: IndicatorId, body: RoadmapValueIn, actor: Writer, session: SessionDep
) -> RoadmapValueOut:
    """Record a value of a roadmap indicator, with a comment and links to evidence."""
    return service.value_out(await service.record_value(session, identifiant, body, actor_name(actor)))


@router.put("/feuille-de-route/jalons/{identifiant}")
async def update_milestone(
    identifiant: MilestoneId, body: MilestoneUpdate, _: Writer, session: SessionDep
) -> MilestoneOut:
    """Mark a milestone reached (with its date), postponed, or still to come."""
    milestone = await service.update_milestone(session, identifiant, body)
    return service.milestone_out(milestone, utcnow().date())


@router.get("/comites", dependencies=[Depends(public)])
async def list_meetings(session: SessionDep, pagination: PageParams) -> Page[MeetingOut]:
    """Committee meetings (comité de suivi, comité technique), latest first, with their documents."""
    meetings, total = await service.list_meetings(session, pagination.size, pagination.offset)
    return Page.of([await service.meeting_out(session, meeting) for meeting in meetings], total, pagination)


@router.post("/comites", status_code=201)
async def create_meeting(body: MeetingIn, _: Writer, session: SessionDep, response: Response) -> MeetingOut:
    """Record a committee meeting: type, date, title, place, documents, notes."""
    meeting = await service.create_meeting(session, body)
    response.headers["Location"] = f"/comites/{meeting.id}"
    return await service.meeting_out(session, meeting)


@router.get("/comites/{identifiant}", dependencies=[Depends(public)])
async def read_meeting(identifiant: MeetingId, session: SessionDep) -> MeetingOut:
    """One committee meeting."""
    return await service.meeting_out(session, await service.get_meeting(session, identifiant))


@router.put("/comites/{identifiant}")
async def update_meeting(
    identifiant: MeetingId, body: MeetingIn, _: Writer, session: SessionDep
) -> MeetingOut:
    """Change a meeting's details or documents."""
    return await service.meeting_out(session, await service.update_meeting(session, identifiant, body))


@router.get("/comites/{identifiant}/rapport", dependencies=[Depends(public)], response_class=HTMLResponse)
async def meeting_report(identifiant: MeetingId, request: Request, session: SessionDep) -> HTMLResponse:
    """The meeting's report, ready to print (A4): each objective's indicators, trend, milestones, changes."""
    built = await report.build_report(
        session, await service.get_meeting(session, identifiant), _focus(request)
    )
    return HTMLResponse(report.render_html(built))


@router.get(
    "/comites/{identifiant}/rapport.csv",
    dependencies=[Depends(public)],
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "Une ligne par indicateur de la feuille de route"}
    },
)
async def meeting_report_csv(identifiant: MeetingId, request: Request, session: SessionDep) -> Response:
    """The meeting's report as CSV: one row per roadmap indicator."""
    meeting = await service.get_meeting(session, identifiant)
    built = await report.build_report(session, meeting, _focus(request))
    return Response(
        report.render_csv(built),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": "attachment; "
            f'filename="rapport-{meeting.kind}-{meeting.held_on.isoformat()}.csv"'
        },
    )
