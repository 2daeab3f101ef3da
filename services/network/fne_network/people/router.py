from typing import Annotated

from fastapi import APIRouter, Query, Response

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_kernel.versions import IfMatch, expect_version, send_etag
from fne_network.access import Anyone, CoordinatingPerson, Writer
from fne_network.inputs import CommuneCode
from fne_network.people import service
from fne_network.people.exceptions import PersonChanged
from fne_network.people.schemas import (
    PersonExport,
    PersonIn,
    PersonOut,
    PersonUpdate,
    ProgrammeCode,
    PublicPersonOut,
    Role,
)

router = APIRouter(tags=["personnes"])

Search = Annotated[str | None, Query(max_length=100, description="Partie du prénom ou du nom")]


@router.get("/personnes")
async def list_people(
    _: Writer,
    session: SessionDep,
    paging: PageParams,
    role: Role | None = None,
    programme: ProgrammeCode | None = None,
    actif: bool | None = None,
    commune: CommuneCode | None = None,
    q: Search = None,
) -> Page[PersonOut]:
    """People of the network, by name; filter by role, programme, activity, employer's commune."""
    found, total = await service.list_people(
        session, paging, role=role, programme=programme, active=actif, commune=commune, search=q
    )
    return Page.of([service.person_out(person) for person in found], total, paging)


@router.post("/personnes", status_code=201)
async def create_person(body: PersonIn, actor: Writer, session: SessionDep, response: Response) -> PersonOut:
    """Record a professional of the network."""
    person = await service.create_person(session, body, actor)
    response.headers["Location"] = f"/personnes/{person.id}"
    send_etag(response, person.id, person.version)
    return service.person_out(person)


@router.get("/personnes-publiques")
async def list_public_people(
    _: Anyone,
    session: SessionDep,
    paging: PageParams,
    role: Role | None = None,
    programme: ProgrammeCode | None = None,
    commune: CommuneCode | None = None,
) -> Page[PublicPersonOut]:
    """Active people who consented to appear publicly, with their public fields only."""
    found, total = await service.list_people(
        session, paging, role=role, programme=programme, commune=commune, consenting_only=True
    )
    return Page.of([service.public_person_out(person) for person in found], total, paging)


@router.get("/personnes/{person_id}")
async def read_person(person_id: str, _: Writer, session: SessionDep, response: Response) -> PersonOut:
    """One person of the network."""
    person = await service.get_person(session, person_id)
    send_etag(response, person.id, person.version)
    return service.person_out(person)


@router.patch("/personnes/{person_id}")
async def update_person(
    person_id: str,
    body: PersonUpdate,
    actor: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> PersonOut:
    """Change a person's fields (employers and programmes given replace the lists); If-Match required."""
    person = await service.get_person(session, person_id)
    expect_version(if_match, person.id, person.version, PersonChanged)
    person = await service.update_person(session, person, body, actor)
    send_etag(response, person.id, person.version)
    return service.person_out(person)


@router.get("/personnes/{person_id}/export")
async def export_person(person_id: str, _: CoordinatingPerson, session: SessionDep) -> PersonExport:
    """Everything held about a person, for their right of access (coordinators and administrators)."""
    return await service.export_person(session, await service.get_person(session, person_id))


@router.delete("/personnes/{person_id}", status_code=204)
async def erase_person(
    person_id: str, _: CoordinatingPerson, session: SessionDep, if_match: IfMatch = None
) -> Response:
    """Erase a person (right to erasure; registrations stay as anonymous counts); If-Match required."""
    person = await service.get_person(session, person_id)
    expect_version(if_match, person.id, person.version, PersonChanged)
    await service.erase_person(session, person)
    return Response(status_code=204)
