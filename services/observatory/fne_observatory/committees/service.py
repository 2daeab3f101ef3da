from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, NotFound, field_error
from fne_observatory.committees.models import CommitteeAction, CommitteeDecision, CommitteeParticipant
from fne_observatory.committees.schemas import ActionIn, ActionStatus, ActionUpdate, DecisionIn, ParticipantIn
from fne_observatory.roadmap.models import Meeting
from fne_observatory.roadmap.service import get_meeting

CLOSED = {ActionStatus.FAITE.value, ActionStatus.ABANDONNEE.value}


class ActionNotFound(NotFound):
    code, title = "action-not-found", "Action introuvable"


def _check_dues(meeting: Meeting, actions: list[ActionIn], prefix: str) -> None:
    errors = [
        field_error(f"{prefix}{index}.echeance", "l'échéance ne peut précéder la réunion qui décide l'action")
        for index, action in enumerate(actions)
        if action.echeance < meeting.held_on
    ]
    if errors:
        raise InvalidInput(errors)


async def replace_participants(session: AsyncSession, meeting_id: int, people: list[ParticipantIn]) -> None:
    await get_meeting(session, meeting_id)
    keys = [(person.nom or "", person.structure) for person in people]
    duplicates = [
        field_error(f"{index}", "participant en double (même nom, même structure)")
        for index, key in enumerate(keys)
        if key in keys[:index]
    ]
    if duplicates:
        raise InvalidInput(duplicates)
    await session.execute(delete(CommitteeParticipant).where(CommitteeParticipant.meeting_id == meeting_id))
    session.add_all(
        CommitteeParticipant(
            meeting_id=meeting_id,
            position=index,
            name=person.nom,
            organisation=person.structure,
            function=person.fonction,
            present=person.present,
        )
        for index, person in enumerate(people)
    )
    await session.flush()


def _action(meeting_id: int, decision_id: int | None, body: ActionIn) -> CommitteeAction:
    return CommitteeAction(
        meeting_id=meeting_id,
        decision_id=decision_id,
        title=body.intitule,
        owner=body.porteur,
        due_on=body.echeance,
        status=ActionStatus.A_FAIRE.value,
        updated_at=utcnow(),
    )


async def add_decision(session: AsyncSession, meeting_id: int, body: DecisionIn) -> CommitteeDecision:
    meeting = await get_meeting(session, meeting_id)
    _check_dues(meeting, body.actions, "actions.")
    decision = CommitteeDecision(meeting_id=meeting_id, text=body.texte, created_at=utcnow())
    session.add(decision)
    await session.flush()
    session.add_all(_action(meeting_id, decision.id, action) for action in body.actions)
    await session.flush()
    return decision


async def add_action(session: AsyncSession, meeting_id: int, body: ActionIn) -> CommitteeAction:
    meeting = await get_meeting(session, meeting_id)
    _check_dues(meeting, [body], "")
    action = _action(meeting_id, None, body)
    session.add(action)
    await session.flush()
    return action


async def update_action(
    session: AsyncSession, action_id: int, body: ActionUpdate, today: date
) -> CommitteeAction:
    action = await session.get(CommitteeAction, action_id)
    if action is None:
        raise ActionNotFound(f"Aucune action {action_id}")
    meeting = await get_meeting(session, action.meeting_id)
    if body.echeance is not None and body.echeance < meeting.held_on:
        raise InvalidInput(
            [field_error("echeance", "l'échéance ne peut précéder la réunion qui décide l'action")]
        )
    action.status = body.statut.value
    action.done_on = today if body.statut == ActionStatus.FAITE else None
    if body.echeance is not None:
        action.due_on = body.echeance
    if body.porteur is not None:
        action.owner = body.porteur
    action.updated_at = utcnow()
    await session.flush()
    return action


def action_out(action: CommitteeAction, today: date) -> dict[str, Any]:
    return {
        "id": action.id,
        "comite": action.meeting_id,
        "decision": action.decision_id,
        "intitule": action.title,
        "porteur": action.owner,
        "echeance": action.due_on,
        "statut": action.status,
        "faite_le": action.done_on,
        "en_retard": action.status not in CLOSED and action.due_on < today,
    }


async def follow_up(session: AsyncSession, meeting_id: int, today: date, contributor: bool) -> dict[str, Any]:
    meeting = await get_meeting(session, meeting_id)
    people = list(
        await session.scalars(
            select(CommitteeParticipant)
            .where(CommitteeParticipant.meeting_id == meeting_id)
            .order_by(CommitteeParticipant.position)
        )
    )
    decisions = list(
        await session.scalars(
            select(CommitteeDecision)
            .where(CommitteeDecision.meeting_id == meeting_id)
            .order_by(CommitteeDecision.id)
        )
    )
    actions = list(
        await session.scalars(
            select(CommitteeAction)
            .where(CommitteeAction.meeting_id == meeting_id)
            .order_by(CommitteeAction.id)
        )
    )
    natures = {document.get("nature", "autre") for document in meeting.documents}
    return {
        "comite": meeting.id,
        "participants": [
            {
                "nom": person.name if contributor else None,
                "structure": person.organisation,
                "fonction": person.function,
                "present": person.present,
            }
            for person in people
        ],
        "presents": sum(1 for person in people if person.present),
        "decisions": [
            {
                "id": decision.id,
                "texte": decision.text,
                "actions": [action_out(a, today) for a in actions if a.decision_id == decision.id],
            }
            for decision in decisions
        ],
        "actions_hors_decision": [action_out(a, today) for a in actions if a.decision_id is None],
        "compte_rendu_publie": "compte_rendu" in natures,
        "support_publie": "support" in natures,
    }


async def list_actions(
    session: AsyncSession, today: date, status: list[ActionStatus], late_only: bool, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where: list[ColumnElement[bool]] = []
    if status:
        where.append(CommitteeAction.status.in_([item.value for item in status]))
    if late_only:
        where += [CommitteeAction.status.not_in(CLOSED), CommitteeAction.due_on < today]
    total = await session.scalar(select(func.count()).select_from(CommitteeAction).where(*where)) or 0
    found = await session.scalars(
        select(CommitteeAction)
        .where(*where)
        .order_by(CommitteeAction.due_on, CommitteeAction.id)
        .limit(limit)
        .offset(offset)
    )
    return [action_out(action, today) for action in found], total


async def participants_by_meeting(session: AsyncSession) -> dict[int, int]:
    """Present participants per meeting (for the computed roadmap: 21.2)."""
    rows = await session.execute(
        select(CommitteeParticipant.meeting_id, func.count())
        .where(CommitteeParticipant.present.is_(True))
        .group_by(CommitteeParticipant.meeting_id)
    )
    return {meeting_id: count for meeting_id, count in rows}
