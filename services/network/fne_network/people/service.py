from datetime import date
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal
from fne_kernel.pagination import PageRequest
from fne_network.inputs import utc_now
from fne_network.people.exceptions import PersonNotFound
from fne_network.people.models import Employer, Person, Programme
from fne_network.people.schemas import (
    EmployerIn,
    EmployerOut,
    PersonExport,
    PersonIn,
    PersonOut,
    PersonUpdate,
    ProgrammeIn,
    ProgrammeOut,
    PublicPersonOut,
    RegistrationRecord,
)
from fne_network.territories import check_communes, commune_name
from fne_network.trainings.models import Registration, TrainingSession


def _check_employer_communes(employers: list[EmployerIn] | None) -> None:
    check_communes(
        {f"employeurs.{index}.commune": item.commune for index, item in enumerate(employers or [])}
    )


def _employers(employers: list[EmployerIn]) -> list[Employer]:
    return [
        Employer(position=index, structure_id=item.structure_id, name=item.nom, commune=item.commune)
        for index, item in enumerate(employers)
    ]


def _programmes(programmes: list[ProgrammeIn]) -> list[Programme]:
    return [
        Programme(code=item.code, starts_on=item.date_debut, ends_on=item.date_fin) for item in programmes
    ]


def _employer_out(employer: Employer) -> EmployerOut:
    return EmployerOut(
        structure_id=employer.structure_id,
        nom=employer.name,
        commune=employer.commune,
        commune_nom=commune_name(employer.commune),
    )


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.id,
        prenom=person.first_name,
        nom=person.last_name,
        role=person.role,
        courriel=person.email,
        telephone=person.phone,
        consentement_publication=person.public_consent,
        consentement_le=person.public_consent_at,
        actif=person.active,
        actif_depuis=person.active_since,
        actif_jusqu_au=person.active_until,
        employeurs=[_employer_out(item) for item in person.employers],
        programmes=[
            ProgrammeOut(code=item.code, date_debut=item.starts_on, date_fin=item.ends_on)
            for item in person.programmes
        ],
        poste_mutualise=len(person.employers) >= 2,
        cree_le=person.created_at,
        modifie_le=person.updated_at,
        version=person.version,
    )


def public_person_out(person: Person) -> PublicPersonOut:
    return PublicPersonOut(
        id=person.id,
        prenom=person.first_name,
        nom=person.last_name,
        role=person.role,
        courriel=person.email,
        telephone=person.phone,
        employeurs=[_employer_out(item) for item in person.employers],
        programmes=[item.code for item in person.programmes],
    )


async def create_person(session: AsyncSession, body: PersonIn, actor: Principal) -> Person:
    _check_employer_communes(body.employeurs)
    now = utc_now()
    active_until = body.actif_jusqu_au if body.actif else (body.actif_jusqu_au or now.date())
    person = Person(
        first_name=body.prenom,
        last_name=body.nom,
        role=body.role,
        email=body.courriel,
        phone=body.telephone,
        public_consent=body.consentement_publication,
        public_consent_at=now if body.consentement_publication else None,
        active=body.actif,
        active_since=body.actif_depuis or min(now.date(), active_until or now.date()),
        active_until=active_until,
        created_at=now,
        created_by=actor.subject,
        updated_at=now,
        updated_by=actor.subject,
        employers=_employers(body.employeurs),
        programmes=_programmes(body.programmes),
    )
    session.add(person)
    await session.flush()
    return person


async def get_person(session: AsyncSession, person_id: str) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise PersonNotFound()
    return person


async def update_person(
    session: AsyncSession, person: Person, body: PersonUpdate, actor: Principal
) -> Person:
    given = body.model_fields_set
    _check_employer_communes(body.employeurs)
    required = {"prenom", "nom", "role", "consentement_publication", "actif", "actif_depuis"}
    if nulls := sorted(field for field in required & given if getattr(body, field) is None):
        raise InvalidInput(
            [field_error(field, "Ce champ ne peut pas être vide", "missing") for field in nulls]
        )
    now = utc_now()
    simple = {
        "prenom": "first_name",
        "nom": "last_name",
        "role": "role",
        "courriel": "email",
        "telephone": "phone",
    }
    for field, attribute in simple.items():
        if field in given:
            setattr(person, attribute, getattr(body, field))
    if "consentement_publication" in given and body.consentement_publication != person.public_consent:
        person.public_consent = bool(body.consentement_publication)
        person.public_consent_at = now if person.public_consent else None
    if "actif_depuis" in given:
        person.active_since = body.actif_depuis  # type: ignore[assignment]
    if "actif_jusqu_au" in given:
        person.active_until = body.actif_jusqu_au
    if "actif" in given and body.actif != person.active:
        person.active = bool(body.actif)
        if person.active:
            person.active_until = body.actif_jusqu_au if "actif_jusqu_au" in given else None
        elif "actif_jusqu_au" not in given:
            person.active_until = now.date()
    if person.active_until and person.active_until < person.active_since:
        raise InvalidInput([field_error("actif_jusqu_au", "La fin d'activité précède son début")])
    # The old rows go first: the new ones reuse their (person, position) and (person, code) keys.
    if body.employeurs is not None:
        person.employers.clear()
    if body.programmes is not None:
        person.programmes.clear()
    await session.flush()
    if body.employeurs is not None:
        person.employers.extend(_employers(body.employeurs))
    if body.programmes is not None:
        person.programmes.extend(_programmes(body.programmes))
    person.updated_at = now
    person.updated_by = actor.subject
    person.version += 1
    await session.flush()
    return person


def _filters(
    role: str | None, programme: str | None, active: bool | None, commune: str | None, search: str | None
) -> list[Any]:
    conditions: list[Any] = []
    if role:
        conditions.append(Person.role == role)
    if programme:
        conditions.append(exists().where(Programme.person_id == Person.id, Programme.code == programme))
    if active is not None:
        conditions.append(Person.active.is_(active))
    if commune:
        conditions.append(exists().where(Employer.person_id == Person.id, Employer.commune == commune))
    if search:
        pattern = f"%{search.lower()}%"
        conditions.append(
            or_(func.lower(Person.first_name).like(pattern), func.lower(Person.last_name).like(pattern))
        )
    return conditions


async def list_people(
    session: AsyncSession,
    paging: PageRequest,
    *,
    role: str | None = None,
    programme: str | None = None,
    active: bool | None = None,
    commune: str | None = None,
    search: str | None = None,
    consenting_only: bool = False,
) -> tuple[list[Person], int]:
    conditions = _filters(role, programme, active, commune, search)
    if consenting_only:
        conditions += [Person.public_consent.is_(True), Person.active.is_(True)]
    total = await session.scalar(select(func.count()).select_from(Person).where(*conditions))
    found = await session.scalars(
        select(Person)
        .where(*conditions)
        .order_by(Person.last_name, Person.first_name, Person.id)
        .offset(paging.offset)
        .limit(paging.size)
    )
    return list(found), total or 0


async def export_person(session: AsyncSession, person: Person) -> PersonExport:
    rows = await session.execute(
        select(Registration, TrainingSession)
        .join(TrainingSession, TrainingSession.id == Registration.session_id)
        .where(Registration.person_id == person.id)
        .order_by(TrainingSession.starts_at, Registration.id)
    )
    return PersonExport(
        exporte_le=utc_now(),
        personne=person_out(person),
        cree_par=person.created_by,
        modifie_par=person.updated_by,
        inscriptions=[
            RegistrationRecord(
                formation_id=training.id,
                formation=training.title,
                debut=training.starts_at,
                presence=registration.attended,
                achevement=registration.completed,
            )
            for registration, training in rows
        ],
    )


async def erase_person(session: AsyncSession, person: Person) -> None:
    """Erases the person and everything naming them; their training registrations stay as anonymous counts
    (a session held with twelve trainees still counts twelve)."""
    await session.execute(
        update(Registration)
        .where(Registration.person_id == person.id)
        .values(person_id=None, participant_name=None, participant_structure=None, erased=True)
    )
    await session.delete(person)
    await session.flush()


def active_on(day: date) -> Any:
    return (Person.active_since <= day) & ((Person.active_until.is_(None)) | (Person.active_until >= day))
