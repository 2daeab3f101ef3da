from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal
from fne_kernel.pagination import PageRequest
from fne_network.inputs import utc_now
from fne_network.people.models import Person
from fne_network.periods import day_bounds, year_bounds
from fne_network.territories import check_communes, commune_name
from fne_network.trainings.exceptions import (
    AlreadyRegistered,
    CapacityBelowRegistrations,
    RegistrationNotFound,
    TrainingCancelled,
    TrainingFull,
    TrainingNotFound,
)
from fne_network.trainings.models import Registration, TrainingSession
from fne_network.trainings.schemas import (
    RegistrationIn,
    RegistrationOut,
    RegistrationUpdate,
    TrainedCount,
    TrainedSummary,
    TrainingIn,
    TrainingOut,
    TrainingUpdate,
)

_FIELDS = {
    "titre": "title",
    "description": "description",
    "public": "audience",
    "programme": "programme",
    "debut": "starts_at",
    "fin": "ends_at",
    "commune": "commune",
    "lieu_id": "place_id",
    "lieu_nom": "place_name",
    "adresse": "address",
    "capacite": "capacity",
    "annulee": "cancelled",
}
_REQUIRED = {"titre", "public", "debut", "fin", "annulee"}


async def _counts(session: AsyncSession, session_ids: list[str]) -> dict[str, tuple[int, int, int]]:
    if not session_ids:
        return {}
    rows = await session.execute(
        select(
            Registration.session_id,
            func.count(),
            func.sum(case((Registration.attended.is_(True), 1), else_=0)),
            func.sum(case((Registration.completed.is_(True), 1), else_=0)),
        )
        .where(Registration.session_id.in_(session_ids))
        .group_by(Registration.session_id)
    )
    return {row[0]: (row[1], int(row[2] or 0), int(row[3] or 0)) for row in rows}


def _out(training: TrainingSession, counts: tuple[int, int, int]) -> TrainingOut:
    return TrainingOut(
        id=training.id,
        titre=training.title,
        description=training.description,
        public=training.audience,
        programme=training.programme,
        debut=training.starts_at,
        fin=training.ends_at,
        commune=training.commune,
        commune_nom=commune_name(training.commune),
        lieu_id=training.place_id,
        lieu_nom=training.place_name,
        adresse=training.address,
        capacite=training.capacity,
        annulee=training.cancelled,
        inscrits=counts[0],
        presents=counts[1],
        formes=counts[2],
        cree_le=training.created_at,
        modifie_le=training.updated_at,
        version=training.version,
    )


async def training_out(session: AsyncSession, training: TrainingSession) -> TrainingOut:
    counts = await _counts(session, [training.id])
    return _out(training, counts.get(training.id, (0, 0, 0)))


async def create_training(session: AsyncSession, body: TrainingIn, actor: Principal) -> TrainingSession:
    check_communes({"commune": body.commune})
    now = utc_now()
    training = TrainingSession(
        **{attribute: getattr(body, field) for field, attribute in _FIELDS.items() if field != "annulee"},
        cancelled=False,
        created_at=now,
        created_by=actor.subject,
        updated_at=now,
    )
    session.add(training)
    await session.flush()
    return training


async def get_training(session: AsyncSession, training_id: str) -> TrainingSession:
    training = await session.get(TrainingSession, training_id)
    if training is None:
        raise TrainingNotFound()
    return training


async def update_training(
    session: AsyncSession, training: TrainingSession, body: TrainingUpdate
) -> TrainingSession:
    given = body.model_fields_set
    if nulls := sorted(field for field in _REQUIRED & given if getattr(body, field) is None):
        raise InvalidInput(
            [field_error(field, "Ce champ ne peut pas être vide", "missing") for field in nulls]
        )
    check_communes({"commune": body.commune})
    for field in given:
        setattr(training, _FIELDS[field], getattr(body, field))
    if training.ends_at <= training.starts_at:
        raise InvalidInput([field_error("fin", "La fin doit suivre le début")])
    if training.capacity is not None:
        registered = (await _counts(session, [training.id])).get(training.id, (0, 0, 0))[0]
        if registered > training.capacity:
            raise CapacityBelowRegistrations(f"{registered} personnes sont déjà inscrites")
    training.updated_at = utc_now()
    training.version += 1
    await session.flush()
    return training


async def delete_training(session: AsyncSession, training: TrainingSession) -> None:
    await session.delete(training)
    await session.flush()


async def list_trainings(
    session: AsyncSession,
    paging: PageRequest,
    *,
    audience: str | None = None,
    commune: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> tuple[list[TrainingOut], int]:
    conditions: list[Any] = []
    if audience:
        conditions.append(TrainingSession.audience == audience)
    if commune:
        conditions.append(TrainingSession.commune == commune)
    start, end = day_bounds(first, last)
    if start:
        conditions.append(TrainingSession.ends_at > start)
    if end:
        conditions.append(TrainingSession.starts_at < end)
    total = await session.scalar(select(func.count()).select_from(TrainingSession).where(*conditions))
    found = list(
        await session.scalars(
            select(TrainingSession)
            .where(*conditions)
            .order_by(TrainingSession.starts_at.desc(), TrainingSession.id)
            .offset(paging.offset)
            .limit(paging.size)
        )
    )
    counts = await _counts(session, [training.id for training in found])
    return [_out(training, counts.get(training.id, (0, 0, 0))) for training in found], total or 0


def _registration_out(registration: Registration, person: Person | None) -> RegistrationOut:
    name = f"{person.first_name} {person.last_name}" if person else registration.participant_name
    return RegistrationOut(
        id=registration.id,
        formation_id=registration.session_id,
        personne_id=registration.person_id,
        nom=name,
        structure=(
            person.employers[0].name if person and person.employers else registration.participant_structure
        ),
        presence=registration.attended,
        achevement=registration.completed,
        efface=registration.erased,
    )


async def registration_out(session: AsyncSession, registration: Registration) -> RegistrationOut:
    person = await session.get(Person, registration.person_id) if registration.person_id else None
    return _registration_out(registration, person)


async def list_registrations(session: AsyncSession, training: TrainingSession) -> list[RegistrationOut]:
    rows = await session.execute(
        select(Registration, Person)
        .outerjoin(Person, Person.id == Registration.person_id)
        .where(Registration.session_id == training.id)
        .order_by(Registration.created_at, Registration.id)
    )
    return [_registration_out(registration, person) for registration, person in rows]


def _check_outcome(training: TrainingSession, attended: bool | None, completed: bool) -> None:
    errors = []
    if completed and attended is not True:
        errors.append(field_error("achevement", "Une formation achevée suppose la présence (presence: true)"))
    if (attended is not None or completed) and training.starts_at > utc_now():
        errors.append(
            field_error(
                "presence", "La session n'a pas encore commencé : présence et achèvement viendront après"
            )
        )
    if errors:
        raise InvalidInput(errors)


async def register(session: AsyncSession, training: TrainingSession, body: RegistrationIn) -> Registration:
    # Registrations to one session queue on its row (PostgreSQL; SQLite has one writer anyway): two at once
    # cannot both take the last place or register the same person twice.
    await session.execute(
        select(TrainingSession.id).where(TrainingSession.id == training.id).with_for_update()
    )
    if training.cancelled:
        raise TrainingCancelled()
    if body.personne_id is not None:
        if await session.get(Person, body.personne_id) is None:
            raise InvalidInput([field_error("personne_id", "Aucune personne du réseau n'a cet identifiant")])
        duplicate = await session.scalar(
            select(Registration.id).where(
                Registration.session_id == training.id, Registration.person_id == body.personne_id
            )
        )
        if duplicate:
            raise AlreadyRegistered()
    _check_outcome(training, body.presence, body.achevement)
    if training.capacity is not None:
        registered = (await _counts(session, [training.id])).get(training.id, (0, 0, 0))[0]
        if registered >= training.capacity:
            raise TrainingFull(f"{training.capacity} places, toutes prises")
    now = utc_now()
    registration = Registration(
        session_id=training.id,
        person_id=body.personne_id,
        participant_name=body.nom_participant,
        participant_structure=body.structure_participant,
        attended=body.presence,
        completed=body.achevement,
        erased=False,
        created_at=now,
        updated_at=now,
    )
    session.add(registration)
    await session.flush()
    return registration


async def get_registration(
    session: AsyncSession, training: TrainingSession, registration_id: str
) -> Registration:
    registration = await session.get(Registration, registration_id)
    if registration is None or registration.session_id != training.id:
        raise RegistrationNotFound()
    return registration


async def update_registration(
    session: AsyncSession, training: TrainingSession, registration: Registration, body: RegistrationUpdate
) -> Registration:
    given = body.model_fields_set
    if "achevement" in given and body.achevement is None:
        raise InvalidInput([field_error("achevement", "Ce champ ne peut pas être vide", "missing")])
    attended = body.presence if "presence" in given else registration.attended
    completed = bool(body.achevement) if "achevement" in given else registration.completed
    if "presence" in given and attended is not True and "achevement" not in given:
        completed = False  # absent: not completed either
    _check_outcome(training, attended, completed)
    registration.attended, registration.completed = attended, completed
    registration.updated_at = utc_now()
    await session.flush()
    return registration


async def unregister(session: AsyncSession, registration: Registration) -> None:
    await session.delete(registration)
    await session.flush()


async def trained_summary(session: AsyncSession, year: int | None) -> TrainedSummary:
    """Sessions held and people trained (completed registrations), by commune, programme and public."""
    conditions: list[Any] = [TrainingSession.cancelled.is_(False), TrainingSession.starts_at <= utc_now()]
    if year is not None:
        start, end = year_bounds(year)
        conditions += [TrainingSession.starts_at >= start, TrainingSession.starts_at < end]
    keys = (TrainingSession.commune, TrainingSession.programme, TrainingSession.audience)
    sessions_held = await session.execute(select(*keys, func.count()).where(*conditions).group_by(*keys))
    trained = await session.execute(
        select(*keys, func.count())
        .join(Registration, Registration.session_id == TrainingSession.id)
        .where(*conditions, Registration.completed.is_(True))
        .group_by(*keys)
    )
    table: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for commune, programme, audience, count in sessions_held:
        table[(commune, programme, audience)][0] = count
    for commune, programme, audience, count in trained:
        table[(commune, programme, audience)][1] = count
    lines = [
        TrainedCount(
            commune=key[0],
            commune_nom=commune_name(key[0]),
            programme=key[1],
            public=key[2],
            sessions=values[0],
            personnes_formees=values[1],
        )
        for key, values in sorted(table.items(), key=lambda item: tuple(part or "" for part in item[0]))
    ]
    return TrainedSummary(
        annee=year,
        lignes=lines,
        total_sessions=sum(line.sessions for line in lines),
        total_personnes_formees=sum(line.personnes_formees for line in lines),
    )
