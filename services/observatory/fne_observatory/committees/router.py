from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_kernel.pagination import Page, PageParams
from fne_observatory.access import Caller, Writer, is_contributor
from fne_observatory.committees import service
from fne_observatory.committees.schemas import (
    ActionIn,
    ActionOut,
    ActionStatus,
    ActionUpdate,
    DecisionIn,
    DecisionOut,
    FollowUpOut,
    ParticipantIn,
)

router = APIRouter(tags=["comités"])


@router.get("/comites/actions", dependencies=[Depends(public)])
async def list_actions(
    session: SessionDep,
    pagination: PageParams,
    statut: Annotated[list[ActionStatus], Query()] = [],  # noqa: B006
    en_retard: bool = False,
) -> Page[ActionOut]:
    """Actions decided in committees, by due date: filter by status, or the late ones only."""
    items, total = await service.list_actions(
        session, utcnow().date(), statut, en_retard, pagination.size, pagination.offset
    )
    return Page.of([ActionOut.model_validate(item) for item in items], total, pagination)


@router.patch("/comites/actions/{action_id}")
async def update_action(action_id: int, body: ActionUpdate, actor: Writer, session: SessionDep) -> ActionOut:
    """Move an action on (à faire, en cours, faite, abandonnée), or change its due date or owner."""
    today = utcnow().date()
    action = await service.update_action(session, action_id, body, today)
    return ActionOut.model_validate(service.action_out(action, today))


@router.get("/comites/{identifiant}/suivi")
async def read_follow_up(identifiant: int, caller: Caller, session: SessionDep) -> FollowUpOut:
    """A meeting's participants, decisions and actions (participants' names for contributors only)."""
    contributor = is_contributor(caller)
    return FollowUpOut.model_validate(
        await service.follow_up(session, identifiant, utcnow().date(), contributor)
    )


@router.put("/comites/{identifiant}/participants")
async def replace_participants(
    identifiant: int,
    actor: Writer,
    session: SessionDep,
    participants: Annotated[list[ParticipantIn], Body(max_length=300)],
) -> FollowUpOut:
    """Set who was invited and who attended (replaces the list)."""
    await service.replace_participants(session, identifiant, participants)
    return FollowUpOut.model_validate(await service.follow_up(session, identifiant, utcnow().date(), True))


@router.post("/comites/{identifiant}/decisions", status_code=201)
async def add_decision(identifiant: int, body: DecisionIn, actor: Writer, session: SessionDep) -> DecisionOut:
    """Record a decision and the actions it starts, each with its owner and due date."""
    decision = await service.add_decision(session, identifiant, body)
    follow = await service.follow_up(session, identifiant, utcnow().date(), True)
    return DecisionOut.model_validate(next(item for item in follow["decisions"] if item["id"] == decision.id))


@router.post("/comites/{identifiant}/actions", status_code=201)
async def add_action(identifiant: int, body: ActionIn, actor: Writer, session: SessionDep) -> ActionOut:
    """Record an action outside any decision (a follow-up asked during the meeting)."""
    action = await service.add_action(session, identifiant, body)
    return ActionOut.model_validate(service.action_out(action, utcnow().date()))
