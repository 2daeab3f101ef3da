from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from fne_directory.access import Editor as Coordinator
from fne_directory.dependencies import DirectorySettings
from fne_directory.freshness import service
from fne_directory.freshness.background import ask_stale_places
from fne_directory.freshness.schemas import (
    Answer,
    Correction,
    Decision,
    LinkBody,
    LinkPlace,
    ProposalOut,
    Report,
    RequestOut,
    SendReport,
)
from fne_directory.places import service as places
from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_kernel.identity import Principal
from fne_kernel.pagination import Page, PageParams

router = APIRouter(tags=["fraîcheur et signalements"])
LINK_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Lien non valable"},
    410: {"description": "Lien expiré ou déjà utilisé"},
}


@router.post("/fraicheur/lecture", dependencies=[Depends(public)], responses=LINK_ERRORS)
async def read_link(body: LinkBody, session: SessionDep) -> LinkPlace:
    """The place behind a freshness link (its secret in the body, never in a logged URL); marks it opened."""
    request, place = await service.read_link(session, body.jeton)
    return LinkPlace(lieu=places.place_out(place, utcnow()), expire_le=request.expires_at)


@router.post("/fraicheur/confirmation", dependencies=[Depends(public)], responses=LINK_ERRORS)
async def confirm(body: LinkBody, session: SessionDep) -> Answer:
    """The contact confirms the place's information: its update date becomes today. The link then expires."""
    place = await service.confirm(session, body.jeton)
    return Answer(statut="confirme", date_maj=place.date_maj)


@router.post("/fraicheur/correction", dependencies=[Depends(public)], responses=LINK_ERRORS)
async def correct(body: Correction, session: SessionDep) -> Answer:
    """The contact proposes corrections, reviewed by coordinators before publication; the link expires."""
    await service.correct(session, body.jeton, body.modifications, body.commentaire)
    return Answer(statut="corrige")


@router.post(
    "/fraicheur/desinscription",
    dependencies=[Depends(public)],
    responses={404: {"description": "Lien non valable"}},
)
async def unsubscribe(body: LinkBody, session: SessionDep) -> Answer:
    """No more freshness messages to this address for this place (even with a used or expired link)."""
    await service.unsubscribe(session, body.jeton)
    return Answer(statut="desinscrit")


@router.post(
    "/fraicheur/desinscription-en-un-clic",
    dependencies=[Depends(public)],
    responses={404: {"description": "Lien non valable"}},
)
async def unsubscribe_one_click(
    session: SessionDep, jeton: Annotated[str, Query(min_length=20, max_length=128)]
) -> Answer:
    """The same, as the mail client's one-click List-Unsubscribe POST (RFC 8058; its form body is ignored)."""
    await service.unsubscribe(session, jeton)
    return Answer(statut="desinscrit")


@router.post(
    "/lieux/{place_id}/signalements",
    dependencies=[Depends(public)],
    status_code=201,
    responses={429: {"description": "Trop de signalements récents"}},
)
async def report_error(
    place_id: str, body: Report, settings: DirectorySettings, session: SessionDep
) -> Response:
    """Report an error on a place (no account, no personal data); coordinators review it."""
    await service.report(session, place_id, body, settings)
    return Response(status_code=201)


@router.get("/revue/propositions")
async def list_proposals(
    _: Coordinator,
    session: SessionDep,
    paging: PageParams,
    statut: Annotated[str | None, Query(pattern="^(en_attente|acceptee|rejetee)$")] = None,
    origine: Annotated[str | None, Query(pattern="^(contact|signalement)$")] = None,
) -> Page[ProposalOut]:
    """Corrections from contacts and public reports, newest first, with what they would change."""
    rows, total = await service.list_proposals(session, paging, statut, origine)
    return Page.of([service.proposal_out(*row) for row in rows], total, paging)


async def _decide(
    proposal_id: int, accept: bool, actor: Principal, body: Decision | None, session
) -> ProposalOut:
    proposal = await service.get_proposal(session, proposal_id)
    proposal = await service.decide(
        session, proposal, accept=accept, actor=actor, note=body.note if body else None
    )
    place = await places.get_place(session, proposal.place_id)
    return service.proposal_out(proposal, place.nom, place.commune)


@router.post(
    "/revue/propositions/{proposal_id}/acceptation", responses={409: {"description": "Déjà traitée"}}
)
async def accept_proposal(
    proposal_id: int, actor: Coordinator, session: SessionDep, body: Decision | None = None
) -> ProposalOut:
    """Accept: the values are applied (as your edit, kept by synchronisations), the place dated today."""
    return await _decide(proposal_id, True, actor, body, session)


@router.post("/revue/propositions/{proposal_id}/rejet", responses={409: {"description": "Déjà traitée"}})
async def reject_proposal(
    proposal_id: int, actor: Coordinator, session: SessionDep, body: Decision | None = None
) -> ProposalOut:
    """Reject: nothing changes on the place."""
    return await _decide(proposal_id, False, actor, body, session)


@router.get("/fraicheur/demandes")
async def list_requests(
    _: Coordinator, session: SessionDep, paging: PageParams, repondu: bool | None = None
) -> Page[RequestOut]:
    """Freshness messages: to whom, when sent, opened, answered (and how), unsubscribed."""
    rows, total = await service.list_requests(session, paging, repondu)
    return Page.of([service.request_out(*row) for row in rows], total, paging)


@router.post("/fraicheur/envois")
async def send_now(_: Coordinator, request: Request, settings: DirectorySettings) -> SendReport:
    """Ask every stale place now rather than at the next daily pass (no e-mail server: nothing is sent)."""
    if not settings.mail_enabled:
        return SendReport(envoyes=0)
    return SendReport(envoyes=await ask_stale_places(request.app))
