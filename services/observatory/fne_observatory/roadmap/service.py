"""The scoreboard: objectives with their status, indicators with their values and targets, milestones.

A roadmap indicator's values are those the comité records, plus — when it is linked to a catalogue indicator —
the observatory's published values for the department followed (one per period, dated from its start).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.imports.models import DatasetImport
from fne_observatory.indicators.models import Indicator, IndicatorObjective, PublishedValue
from fne_observatory.indicators.periods import period_start
from fne_observatory.roadmap.exceptions import (
    MeetingNotFound,
    MilestoneNotFound,
    ObjectiveNotFound,
    RoadmapIndicatorNotFound,
)
from fne_observatory.roadmap.models import (
    Axis,
    Meeting,
    Milestone,
    MilestoneStatus,
    Objective,
    ObjectiveStatus,
    ObjectiveStatusChange,
    RoadmapIndicator,
    RoadmapValue,
)
from fne_observatory.roadmap.schemas import (
    AxisOut,
    Evidence,
    MeetingIn,
    MeetingOut,
    MilestoneOut,
    MilestoneUpdate,
    ObjectiveOut,
    ObjectiveSummary,
    RoadmapIndicatorIn,
    RoadmapIndicatorOut,
    RoadmapIndicatorUpdate,
    RoadmapOut,
    RoadmapValueIn,
    RoadmapValueOut,
    StatusChangeOut,
    StatusIn,
)
from fne_observatory.territories.models import Level

STABLE_TOLERANCE = 1e-9


@dataclass
class Scoreboard:
    """Everything the roadmap holds, read in a handful of queries."""

    axes: list[Axis]
    objectives: list[Objective]
    indicators: dict[int, list[RoadmapIndicator]]
    values: dict[str, list[RoadmapValueOut]]
    milestones: dict[int, list[Milestone]]
    changes: dict[int, list[ObjectiveStatusChange]]
    catalogue: dict[int, list[str]] = field(default_factory=dict)


def value_out(value: RoadmapValue) -> RoadmapValueOut:
    return RoadmapValueOut(
        id=value.id,
        date=value.as_of,
        valeur=value.value,
        texte=value.text,
        commentaire=value.comment,
        preuves=[Evidence.model_validate(item) for item in value.evidence],
        origine="saisie",
        saisi_par=value.recorded_by,
        saisi_le=value.recorded_at,
    )


async def _observatory_values(
    session: AsyncSession, codes: set[str], focus: str
) -> dict[str, list[RoadmapValueOut]]:
    if not codes:
        return {}
    rows = await session.execute(
        select(
            PublishedValue.indicator_code,
            Indicator.label,
            PublishedValue.period,
            PublishedValue.value,
            func.coalesce(DatasetImport.source, Indicator.source),
            PublishedValue.computed_at,
            DatasetImport.checked_at,
        )
        .join(Indicator, Indicator.code == PublishedValue.indicator_code)
        .outerjoin(DatasetImport, DatasetImport.id == PublishedValue.import_id)
        .where(
            PublishedValue.indicator_code.in_(codes),
            PublishedValue.territory_level == Level.DEPARTMENT,
            PublishedValue.territory_code == focus,
            PublishedValue.secrecy.is_(None),
        )
    )
    found: dict[str, list[RoadmapValueOut]] = defaultdict(list)
    for code, label, period, value, source, computed_at, checked_at in rows:
        # People read this comment in the committee's report: the indicator's name, never its code.
        found[code].append(
            RoadmapValueOut(
                id=None,
                date=period_start(period),
                valeur=value,
                texte=None,
                preuves=[],
                origine="observatoire",
                commentaire=f"Observatoire : {label}, période {period}, département {focus}",
                source=source,
                calcule_le=computed_at,
                verifie_le=checked_at,
            )
        )
    return found


async def load_scoreboard(session: AsyncSession, focus: str, objective: int | None = None) -> Scoreboard:
    only = [Objective.number == objective] if objective is not None else []
    objectives = list(await session.scalars(select(Objective).where(*only).order_by(Objective.number)))
    if objective is not None and not objectives:
        raise ObjectiveNotFound(f"La feuille de route compte 21 objectifs : pas de n° {objective}")
    numbers = [item.number for item in objectives]
    indicators: dict[int, list[RoadmapIndicator]] = defaultdict(list)
    for indicator in await session.scalars(
        select(RoadmapIndicator)
        .where(RoadmapIndicator.objective_number.in_(numbers))
        .order_by(RoadmapIndicator.objective_number, RoadmapIndicator.position)
    ):
        indicators[indicator.objective_number].append(indicator)
    ids = [indicator.id for group in indicators.values() for indicator in group]
    values: dict[str, list[RoadmapValueOut]] = defaultdict(list)
    for value in await session.scalars(
        select(RoadmapValue)
        .where(RoadmapValue.indicator_id.in_(ids))
        .order_by(RoadmapValue.as_of, RoadmapValue.id)
    ):
        values[value.indicator_id].append(value_out(value))
    linked = {
        indicator.catalogue_indicator
        for group in indicators.values()
        for indicator in group
        if indicator.catalogue_indicator
    }
    published = await _observatory_values(session, linked, focus)
    for group in indicators.values():
        for indicator in group:
            if indicator.catalogue_indicator:
                values[indicator.id] = sorted(
                    [*values[indicator.id], *published.get(indicator.catalogue_indicator, [])],
                    key=lambda item: item.date,
                )
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in await session.scalars(
        select(Milestone)
        .where(Milestone.objective_number.in_(numbers))
        .order_by(Milestone.due_date, Milestone.id)
    ):
        milestones[milestone.objective_number].append(milestone)
    changes: dict[int, list[ObjectiveStatusChange]] = defaultdict(list)
    for change in await session.scalars(
        select(ObjectiveStatusChange)
        .where(ObjectiveStatusChange.objective_number.in_(numbers))
        .order_by(ObjectiveStatusChange.changed_at, ObjectiveStatusChange.id)
    ):
        changes[change.objective_number].append(change)
    catalogue: dict[int, list[str]] = defaultdict(list)
    for code, number in await session.execute(
        select(IndicatorObjective.indicator_code, IndicatorObjective.objective_number)
        .where(IndicatorObjective.objective_number.in_(numbers))
        .order_by(IndicatorObjective.indicator_code)
    ):
        catalogue[number].append(code)
    axes = list(await session.scalars(select(Axis).order_by(Axis.number)))
    return Scoreboard(axes, objectives, indicators, values, milestones, changes, catalogue)


def value_at(values: list[RoadmapValueOut], day: date | None) -> RoadmapValueOut | None:
    """The latest value dated on or before `day` (the latest of all when None)."""
    eligible = [value for value in values if day is None or value.date <= day]
    return eligible[-1] if eligible else None


def trend(current: RoadmapValueOut | None, previous: RoadmapValueOut | None) -> str:
    if current is None:
        return "sans_donnee"
    if previous is None or previous.valeur is None or current.valeur is None:
        return "nouveau" if previous is None else "stable" if previous.texte == current.texte else "nouveau"
    if abs(current.valeur - previous.valeur) <= STABLE_TOLERANCE:
        return "stable"
    return "hausse" if current.valeur > previous.valeur else "baisse"


def progress(indicator: RoadmapIndicator, current: RoadmapValueOut | None) -> float | None:
    if (
        current is None
        or current.valeur is None
        or indicator.target is None
        or indicator.baseline is None
        or indicator.target == indicator.baseline
    ):
        return None
    return round((current.valeur - indicator.baseline) / (indicator.target - indicator.baseline), 4)


def indicator_out(
    indicator: RoadmapIndicator,
    values: list[RoadmapValueOut],
    day: date | None = None,
    previous_day: date | None = None,
) -> RoadmapIndicatorOut:
    """The indicator as of `day`, compared with `previous_day` (or with the value before the latest)."""
    current = value_at(values, day)
    if previous_day is not None:
        previous = value_at(values, previous_day)
    else:
        earlier = [value for value in values if current is not None and value.date <= current.date]
        previous = earlier[-2] if len(earlier) >= 2 else None
    return RoadmapIndicatorOut(
        id=indicator.id,
        objectif=indicator.objective_number,
        libelle=indicator.label,
        nature=indicator.kind,
        unite=indicator.unit,
        valeur_initiale=indicator.baseline,
        cible=indicator.target,
        cible_texte=indicator.target_text,
        echeance=indicator.target_date,
        indicateur_catalogue=indicator.catalogue_indicator,
        derniere_valeur=current,
        valeur_precedente=previous,
        tendance=trend(current, previous),
        avancement=progress(indicator, current),
    )


def milestone_out(milestone: Milestone, day: date) -> MilestoneOut:
    reached = (
        milestone.status == MilestoneStatus.REACHED
        and milestone.reached_on is not None
        and milestone.reached_on <= day
    )
    return MilestoneOut(
        id=milestone.id,
        objectif=milestone.objective_number,
        libelle=milestone.label,
        echeance_texte=milestone.due_label,
        echeance=milestone.due_date,
        statut=milestone.status
        if reached or milestone.status != MilestoneStatus.REACHED
        else MilestoneStatus.UPCOMING,
        atteint_le=milestone.reached_on if reached else None,
        commentaire=milestone.comment,
        en_retard=not reached and milestone.due_date < day,
    )


def status_at(
    objective: Objective, changes: list[ObjectiveStatusChange], day: date | None
) -> ObjectiveStatus:
    if day is None:
        return ObjectiveStatus(objective.status)
    before = [change for change in changes if change.changed_at.date() <= day]
    return ObjectiveStatus(before[-1].status) if before else ObjectiveStatus.NOT_STARTED


async def roadmap(session: AsyncSession, focus: str) -> RoadmapOut:
    board = await load_scoreboard(session, focus)
    summaries: dict[int, list[ObjectiveSummary]] = defaultdict(list)
    for objective in board.objectives:
        indicators = board.indicators[objective.number]
        milestones = board.milestones[objective.number]
        summaries[objective.axis_number].append(
            ObjectiveSummary(
                numero=objective.number,
                axe=objective.axis_number,
                titre=objective.title,
                statut=ObjectiveStatus(objective.status),
                indicateurs=len(indicators),
                indicateurs_renseignes=sum(1 for indicator in indicators if board.values[indicator.id]),
                jalons=len(milestones),
                jalons_atteints=sum(
                    1 for milestone in milestones if milestone.status == MilestoneStatus.REACHED
                ),
            )
        )
    return RoadmapOut(
        axes=[
            AxisOut(
                numero=axis.number,
                titre=axis.title,
                resume=axis.summary,
                priorites=axis.priorities,
                objectifs=summaries[axis.number],
            )
            for axis in board.axes
        ],
        statuts=dict(Counter(objective.status for objective in board.objectives)),
        territoire_suivi=focus,
    )


async def objective_detail(session: AsyncSession, number: int, focus: str) -> ObjectiveOut:
    board = await load_scoreboard(session, focus, number)
    objective = board.objectives[0]
    today = utcnow().date()
    return ObjectiveOut(
        numero=objective.number,
        axe=objective.axis_number,
        titre=objective.title,
        objectifs_strategiques=objective.aims,
        actions=objective.actions,
        acteurs=objective.actors,
        statut=ObjectiveStatus(objective.status),
        commentaire_statut=objective.status_comment,
        statut_modifie_le=objective.status_changed_at,
        indicateurs=[
            indicator_out(indicator, board.values[indicator.id]) for indicator in board.indicators[number]
        ],
        jalons=[milestone_out(milestone, today) for milestone in board.milestones[number]],
        historique_statut=[
            StatusChangeOut(
                statut_precedent=change.previous_status,
                statut=change.status,
                commentaire=change.comment,
                le=change.changed_at,
                par=change.changed_by,
            )
            for change in board.changes[number]
        ],
        indicateurs_observatoire=board.catalogue[number],
    )


def without_authors(objective: ObjectiveOut) -> ObjectiveOut:
    """What the public sees: who recorded a value or changed a status is for contributors only."""
    for indicator in objective.indicateurs:
        for value in (indicator.derniere_valeur, indicator.valeur_precedente):
            if value is not None:
                value.saisi_par = None
    for change in objective.historique_statut:
        change.par = None
    return objective


async def get_objective(session: AsyncSession, number: int) -> Objective:
    objective = await session.get(Objective, number)
    if objective is None:
        raise ObjectiveNotFound(f"La feuille de route compte 21 objectifs : pas de n° {number}")
    return objective


async def set_status(session: AsyncSession, number: int, body: StatusIn, actor: str) -> Objective:
    objective = await get_objective(session, number)
    now = utcnow()
    session.add(
        ObjectiveStatusChange(
            objective_number=number,
            previous_status=objective.status,
            status=body.statut.value,
            comment=body.commentaire,
            changed_at=now,
            changed_by=actor,
        )
    )
    objective.status, objective.status_comment, objective.status_changed_at = (
        body.statut.value,
        body.commentaire,
        now,
    )
    await session.flush()
    return objective


async def get_indicator(session: AsyncSession, identifier: str) -> RoadmapIndicator:
    indicator = await session.get(RoadmapIndicator, identifier)
    if indicator is None:
        raise RoadmapIndicatorNotFound(f"Aucun indicateur {identifier} dans la feuille de route")
    return indicator


async def _check_catalogue_link(session: AsyncSession, code: str | None) -> None:
    if code is not None and await session.get(Indicator, code) is None:
        raise InvalidInput([field_error("indicateur_catalogue", f"indicateur {code!r} absent du catalogue")])


async def add_indicator(session: AsyncSession, number: int, body: RoadmapIndicatorIn) -> RoadmapIndicator:
    await get_objective(session, number)
    await _check_catalogue_link(session, body.indicateur_catalogue)
    position = (
        await session.scalar(
            select(func.max(RoadmapIndicator.position)).where(RoadmapIndicator.objective_number == number)
        )
        or 0
    ) + 1
    indicator = RoadmapIndicator(
        id=f"{number}.{position}",
        objective_number=number,
        position=position,
        label=body.libelle,
        kind=body.nature,
        unit=body.unite,
        baseline=body.valeur_initiale,
        target=body.cible,
        target_text=body.cible_texte,
        target_date=body.echeance,
        catalogue_indicator=body.indicateur_catalogue,
        from_data_file=False,
    )
    session.add(indicator)
    await session.flush()
    return indicator


UPDATABLE = {
    "libelle": "label",
    "unite": "unit",
    "valeur_initiale": "baseline",
    "cible": "target",
    "cible_texte": "target_text",
    "echeance": "target_date",
    "indicateur_catalogue": "catalogue_indicator",
}


async def update_indicator(
    session: AsyncSession, identifier: str, body: RoadmapIndicatorUpdate
) -> RoadmapIndicator:
    indicator = await get_indicator(session, identifier)
    changes = body.model_dump(exclude_unset=True)
    if "indicateur_catalogue" in changes:
        await _check_catalogue_link(session, changes["indicateur_catalogue"])
    for name, value in changes.items():
        setattr(indicator, UPDATABLE[name], value)
    await session.flush()
    return indicator


async def record_value(
    session: AsyncSession, identifier: str, body: RoadmapValueIn, actor: str
) -> RoadmapValue:
    indicator = await get_indicator(session, identifier)
    if indicator.kind == "quantitatif" and body.valeur is None:
        raise InvalidInput(
            [field_error("valeur", "indicateur quantitatif : une valeur chiffrée est attendue")]
        )
    value = RoadmapValue(
        indicator_id=identifier,
        as_of=body.date,
        value=body.valeur,
        text=body.texte,
        comment=body.commentaire,
        evidence=[item.model_dump(mode="json") for item in body.preuves],
        recorded_at=utcnow(),
        recorded_by=actor,
    )
    session.add(value)
    await session.flush()
    return value


async def indicator_values(session: AsyncSession, identifier: str, focus: str) -> list[RoadmapValueOut]:
    indicator = await get_indicator(session, identifier)
    board = await load_scoreboard(session, focus, indicator.objective_number)
    return board.values[identifier]


async def update_milestone(session: AsyncSession, identifier: str, body: MilestoneUpdate) -> Milestone:
    milestone = await session.get(Milestone, identifier)
    if milestone is None:
        raise MilestoneNotFound(f"Aucun jalon {identifier}")
    milestone.status, milestone.reached_on, milestone.comment = (
        body.statut.value,
        body.atteint_le,
        body.commentaire,
    )
    milestone.updated_at = utcnow()
    await session.flush()
    return milestone


async def previous_meeting(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    return await session.scalar(
        select(Meeting)
        .where(
            Meeting.kind == meeting.kind,
            (Meeting.held_on < meeting.held_on)
            | ((Meeting.held_on == meeting.held_on) & (Meeting.id < meeting.id)),
        )
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    )


async def meeting_out(session: AsyncSession, meeting: Meeting) -> MeetingOut:
    previous = await previous_meeting(session, meeting)
    return MeetingOut(
        id=meeting.id,
        type=meeting.kind,
        date=meeting.held_on,
        titre=meeting.title,
        lieu=meeting.place,
        documents=meeting.documents,
        notes=meeting.notes,
        reunion_precedente=previous.id if previous else None,
    )


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise MeetingNotFound(f"Aucune réunion {meeting_id}")
    return meeting


async def list_meetings(session: AsyncSession, limit: int, offset: int) -> tuple[list[Meeting], int]:
    total = await session.scalar(select(func.count()).select_from(Meeting)) or 0
    meetings = await session.scalars(
        select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit).offset(offset)
    )
    return list(meetings), total


def _apply_meeting(meeting: Meeting, body: MeetingIn) -> None:
    meeting.kind, meeting.held_on, meeting.title, meeting.place = (
        body.type.value,
        body.date,
        body.titre,
        body.lieu,
    )
    meeting.documents = [document.model_dump(mode="json") for document in body.documents]
    meeting.notes = body.notes


async def create_meeting(session: AsyncSession, body: MeetingIn) -> Meeting:
    meeting = Meeting(created_at=utcnow())
    _apply_meeting(meeting, body)
    session.add(meeting)
    await session.flush()
    return meeting


async def update_meeting(session: AsyncSession, meeting_id: int, body: MeetingIn) -> Meeting:
    meeting = await get_meeting(session, meeting_id)
    _apply_meeting(meeting, body)
    await session.flush()
    return meeting
