from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_kernel.versions import IfMatch, expect_version, send_etag
from fne_network.access import Writer
from fne_network.inputs import CommuneCode
from fne_network.trainings import service
from fne_network.trainings.exceptions import TrainingChanged
from fne_network.trainings.schemas import (
    Audience,
    RegistrationIn,
    RegistrationOut,
    RegistrationUpdate,
    TrainedSummary,
    TrainingIn,
    TrainingOut,
    TrainingUpdate,
)

router = APIRouter(prefix="/formations", tags=["formations"])

Year = Annotated[int | None, Query(ge=2000, le=2100, description="Année civile (heure de Paris)")]


@router.get("")
async def list_trainings(
    _: Writer,
    session: SessionDep,
    paging: PageParams,
    public: Audience | None = None,
    commune: CommuneCode | None = None,
    du: date | None = None,
    au: date | None = None,
) -> Page[TrainingOut]:
    """Training sessions, latest first; filter by public trained, commune and dates."""
    found, total = await service.list_trainings(
        session, paging, audience=public, commune=commune, first=du, last=au
    )
    return Page.of(found, total, paging)


@router.post("", status_code=201)
async def create_training(
    body: TrainingIn, actor: Writer, session: SessionDep, response: Response
) -> TrainingOut:
    """Record a training session."""
    training = await service.create_training(session, body, actor)
    response.headers["Location"] = f"/formations/{training.id}"
    send_etag(response, training.id, training.version)
    return await service.training_out(session, training)


@router.get("/bilan")
async def trained_summary(_: Writer, session: SessionDep, annee: Year = None) -> TrainedSummary:
    """Sessions held and people trained, by commune, programme and public trained."""
    return await service.trained_summary(session, annee)


@router.get("/{training_id}")
async def read_training(training_id: str, _: Writer, session: SessionDep, response: Response) -> TrainingOut:
    """One training session with its counts."""
    training = await service.get_training(session, training_id)
    send_etag(response, training.id, training.version)
    return await service.training_out(session, training)


@router.patch("/{training_id}")
async def update_training(
    training_id: str,
    body: TrainingUpdate,
    _: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> TrainingOut:
    """Change a session (or cancel it: annulee); If-Match required (412 if stale)."""
    training = await service.get_training(session, training_id)
    expect_version(if_match, training.id, training.version, TrainingChanged)
    training = await service.update_training(session, training, body)
    send_etag(response, training.id, training.version)
    return await service.training_out(session, training)


@router.delete("/{training_id}", status_code=204)
async def delete_training(
    training_id: str, _: Writer, session: SessionDep, if_match: IfMatch = None
) -> Response:
    """Delete a session recorded by mistake, with its registrations; If-Match required."""
    training = await service.get_training(session, training_id)
    expect_version(if_match, training.id, training.version, TrainingChanged)
    await service.delete_training(session, training)
    return Response(status_code=204)


@router.get("/{training_id}/inscriptions")
async def list_registrations(training_id: str, _: Writer, session: SessionDep) -> list[RegistrationOut]:
    """A session's registrations, in the order they were taken."""
    return await service.list_registrations(session, await service.get_training(session, training_id))


@router.post("/{training_id}/inscriptions", status_code=201)
async def register(training_id: str, body: RegistrationIn, _: Writer, session: SessionDep) -> RegistrationOut:
    """Register a person of the network, or a participant by name, to a session."""
    training = await service.get_training(session, training_id)
    return await service.registration_out(session, await service.register(session, training, body))


@router.patch("/{training_id}/inscriptions/{registration_id}")
async def update_registration(
    training_id: str, registration_id: str, body: RegistrationUpdate, _: Writer, session: SessionDep
) -> RegistrationOut:
    """Record attendance (presence) and completion (achevement)."""
    training = await service.get_training(session, training_id)
    registration = await service.get_registration(session, training, registration_id)
    updated = await service.update_registration(session, training, registration, body)
    return await service.registration_out(session, updated)


@router.delete("/{training_id}/inscriptions/{registration_id}", status_code=204)
async def unregister(training_id: str, registration_id: str, _: Writer, session: SessionDep) -> Response:
    """Remove a registration."""
    training = await service.get_training(session, training_id)
    await service.unregister(session, await service.get_registration(session, training, registration_id))
    return Response(status_code=204)
