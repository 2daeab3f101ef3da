from typing import Literal

from fastapi import APIRouter
from fastapi import Response as HttpResponse

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_surveys.access import Filler, may_touch_response, own_responses_only
from fne_surveys.dependencies import FrameworksDep, PseudonymKey
from fne_surveys.responses import service
from fne_surveys.responses.dependencies import IdempotencyKey, IfMatch
from fne_surveys.responses.presentation import radar, response_out
from fne_surveys.responses.schemas import (
    Answering,
    ChangeOut,
    RadarOut,
    ResponseOut,
    ResponseSummary,
    SessionOut,
    SessionStart,
    Submission,
)

router = APIRouter(tags=["réponses"])


def _etag(http: HttpResponse, version: int) -> None:
    http.headers["ETag"] = f'"{version}"'


@router.post("/seances")
async def start_session(
    body: SessionStart,
    actor: Filler,
    session: SessionDep,
    key: PseudonymKey,
    frameworks: FrameworksDep,
    http: HttpResponse,
) -> SessionOut:
    """Start a session with a (new or returning) beneficiary, or resume their unfinished response."""
    opening = service.Opening(
        body.campagne_id, body.code_beneficiaire, body.phase, body.attributs, body.consentement
    )
    saved, resumed = await service.start_session(
        session, opening, service.Who("mediator", actor.subject), key, frameworks
    )
    _etag(http, saved.response.version)
    return SessionOut(reprise=resumed, reponse=await response_out(session, saved, frameworks))


@router.post("/reponses", status_code=201)
async def submit_response(
    body: Submission,
    actor: Filler,
    session: SessionDep,
    key: PseudonymKey,
    frameworks: FrameworksDep,
    http: HttpResponse,
    idempotency_key: IdempotencyKey = None,
) -> ResponseOut:
    """Submit a response in one go (complete, or partial to resume later); Idempotency-Key refuses replays."""
    opening = service.Opening(
        body.campagne_id,
        body.code_beneficiaire,
        body.phase,
        body.attributs,
        body.consentement,
        idempotency_key,
    )
    saved = await service.open_response(
        session, opening, body.valeurs, body.terminer, service.Who("mediator", actor.subject), key, frameworks
    )
    http.headers["Location"] = f"/reponses/{saved.response.id}"
    _etag(http, saved.response.version)
    return await response_out(session, saved, frameworks)


@router.get("/reponses")
async def list_responses(
    actor: Filler,
    session: SessionDep,
    paging: PageParams,
    campagne: str | None = None,
    statut: Literal["in_progress", "completed"] | None = None,
    phase: Literal["pre", "post", "follow_up"] | None = None,
    mes_seances: bool = False,
) -> Page[ResponseSummary]:
    """Responses, latest first, without their answers: a campaign's, unfinished ones, or the caller's sessions
    (a mediator's or a partner key's own only)."""
    own = actor.subject if mes_seances else own_responses_only(actor)
    found, total = await service.list_responses(session, paging, campagne, statut, phase, own)
    return Page.of([ResponseSummary.of(item) for item in found], total, paging)


@router.get("/reponses/{response_id}")
async def read_response(
    response_id: str, actor: Filler, session: SessionDep, frameworks: FrameworksDep, http: HttpResponse
) -> ResponseOut:
    """A response the caller collected (or any, for a coordinator): answers so far, status, scores."""
    may_touch_response(actor, await service.get_response(session, response_id))
    saved = await service.read_response(session, response_id)
    _etag(http, saved.response.version)
    return await response_out(session, saved, frameworks)


@router.patch("/reponses/{response_id}")
async def save_answers(
    response_id: str,
    body: Answering,
    actor: Filler,
    session: SessionDep,
    frameworks: FrameworksDep,
    http: HttpResponse,
    if_match: IfMatch = None,
) -> ResponseOut:
    """Save some answers, complete the response (scored at once), or correct a completed one (trail kept)."""
    response = await service.get_response(session, response_id)
    may_touch_response(actor, response)
    service.expected_version(if_match, response)
    saved = await service.save_answers(
        session, response, body.valeurs, body.terminer, service.Who("mediator", actor.subject), frameworks
    )
    _etag(http, saved.response.version)
    return await response_out(session, saved, frameworks)


@router.get("/reponses/{response_id}/radar")
async def response_radar(
    response_id: str, actor: Filler, session: SessionDep, frameworks: FrameworksDep
) -> RadarOut:
    """The radar of a response's scores and, for a returning person, the change since their previous phase."""
    response = await service.get_response(session, response_id)
    may_touch_response(actor, response)
    return await radar(session, response, frameworks)


@router.get("/reponses/{response_id}/historique")
async def response_history(response_id: str, actor: Filler, session: SessionDep) -> list[ChangeOut]:
    """Every change of a response: who (the account), when, which answers, old and new values."""
    response = await service.get_response(session, response_id)
    may_touch_response(actor, response)
    changes = await service.history(session, response)
    return [ChangeOut.of(change) for change in changes]
