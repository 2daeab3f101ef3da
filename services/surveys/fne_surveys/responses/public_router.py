"""The public link: a citizen fills a questionnaire alone, anonymously. The gateway rate-limits anonymous
callers; the token in the path is the only key, 256 random bits, replaced by the coordinator if it leaks."""

from fastapi import APIRouter, Depends

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_surveys.campaigns import service as campaigns
from fne_surveys.campaigns.schemas import PublicCampaignOut
from fne_surveys.dependencies import FrameworksDep, PseudonymKey
from fne_surveys.questionnaires import service as questionnaires
from fne_surveys.responses import service
from fne_surveys.responses.dependencies import IdempotencyKey, ResumeToken
from fne_surveys.responses.presentation import score_out
from fne_surveys.responses.schemas import Answering, PublicResponseOut, PublicSubmission

router = APIRouter(prefix="/public/{token}", tags=["lien public"], dependencies=[Depends(public)])
PUBLIC = service.Who("public", "public")


async def _out(session: SessionDep, saved: service.Saved, frameworks: FrameworksDep) -> PublicResponseOut:
    response, scores = saved.response, saved.scores
    if scores is None:
        scores = (await service.scores_of(session, [response.id]))[response.id]
    return PublicResponseOut(
        id=response.id,
        statut=response.status,
        valeurs=response.answers,
        jeton_reprise=saved.resume_token,
        scores=[score_out(row, frameworks) for row in scores],
    )


@router.get("")
async def open_public_link(token: str, session: SessionDep) -> PublicCampaignOut:
    """What a public link shows: the campaign's name and the questionnaire to fill."""
    campaign = await campaigns.campaign_by_token(session, token)
    campaigns.check_accepting(campaign, "public", utcnow())
    questionnaire = await questionnaires.get_questionnaire(session, campaign.questionnaire_id)
    definition = await questionnaires.answerable(session, questionnaire)
    return PublicCampaignOut(
        nom=campaign.name,
        structure=campaign.structure,
        fin=campaign.closes_at,
        questionnaire=definition.model_dump(mode="json", exclude_none=True, exclude={"scoring"}),
    )


@router.post("/reponses", status_code=201)
async def submit_public_response(
    token: str,
    body: PublicSubmission,
    session: SessionDep,
    key: PseudonymKey,
    frameworks: FrameworksDep,
    idempotency_key: IdempotencyKey = None,
) -> PublicResponseOut:
    """Send answers anonymously: complete (scores shown at once) or partial (a resume token is returned)."""
    campaign = await campaigns.campaign_by_token(session, token)
    opening = service.Opening(campaign.id, None, "pre", body.attributs, body.consentement, idempotency_key)
    return await _out(
        session,
        await service.open_response(session, opening, body.valeurs, body.terminer, PUBLIC, key, frameworks),
        frameworks,
    )


@router.get("/reponses/{response_id}")
async def resume_public_response(
    token: str,
    response_id: str,
    session: SessionDep,
    frameworks: FrameworksDep,
    resume_token: ResumeToken = None,
) -> PublicResponseOut:
    """Pick up an unfinished response (X-Resume-Token required)."""
    campaign = await campaigns.campaign_by_token(session, token)
    response = await service.public_response(session, campaign, response_id, resume_token)
    return await _out(
        session,
        service.Saved(
            response, await questionnaires.get_questionnaire(session, response.questionnaire_id), None
        ),
        frameworks,
    )


@router.patch("/reponses/{response_id}")
async def continue_public_response(
    token: str,
    response_id: str,
    body: Answering,
    session: SessionDep,
    frameworks: FrameworksDep,
    resume_token: ResumeToken = None,
) -> PublicResponseOut:
    """Add answers to an unfinished response, or complete it (X-Resume-Token required)."""
    campaign = await campaigns.campaign_by_token(session, token)
    response = await service.public_response(session, campaign, response_id, resume_token)
    saved = await service.save_answers(session, response, body.valeurs, body.terminer, PUBLIC, frameworks)
    return await _out(session, saved, frameworks)
