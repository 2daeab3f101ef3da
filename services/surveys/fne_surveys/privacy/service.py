"""The GDPR rights of respondents and the retention of their data: erasure, access and portability, sharing
of results, and the purge of responses past their campaign's retention period.

Aggregates are computed from the stored scores at each request, so an erased or purged person leaves them at
once."""

from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_surveys.campaigns.models import Campaign
from fne_surveys.privacy.schemas import (
    ConsentOut,
    Erasure,
    ExportedResponse,
    Purge,
    RespondentExport,
    RespondentReference,
)
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.responses import pseudonyms
from fne_surveys.responses.exceptions import RespondentNotFound
from fne_surveys.responses.models import Consent, Respondent, Response, ResponseChange, ResponseScore
from fne_surveys.responses.schemas import ChangeOut


async def find_respondent(
    session: AsyncSession, reference: RespondentReference, pseudonym_key: bytes
) -> Respondent:
    if reference.code_beneficiaire is not None:
        respondent = await session.scalar(
            select(Respondent).where(
                Respondent.pseudonym == pseudonyms.pseudonym(pseudonym_key, reference.code_beneficiaire)
            )
        )
    else:
        respondent = await session.get(Respondent, reference.repondant_id)
    if respondent is None:
        raise RespondentNotFound()
    return respondent


async def _erase_responses(session: AsyncSession, response_ids: list[str]) -> None:
    for start in range(0, len(response_ids), 500):
        chunk = response_ids[start : start + 500]
        await session.execute(delete(ResponseScore).where(ResponseScore.response_id.in_(chunk)))
        await session.execute(delete(ResponseChange).where(ResponseChange.response_id.in_(chunk)))
        await session.execute(delete(Response).where(Response.id.in_(chunk)))


async def erase(session: AsyncSession, respondent: Respondent) -> Erasure:
    """Everything about the person goes: responses, scores, edit trail, consents, the pseudonym itself."""
    response_ids = list(
        await session.scalars(select(Response.id).where(Response.respondent_id == respondent.id))
    )
    consents = (
        await session.scalar(
            select(func.count()).select_from(Consent).where(Consent.respondent_id == respondent.id)
        )
        or 0
    )
    await _erase_responses(session, response_ids)
    await session.execute(delete(Consent).where(Consent.respondent_id == respondent.id))
    await session.execute(delete(Respondent).where(Respondent.id == respondent.id))
    return Erasure(repondant_id=respondent.id, reponses=len(response_ids), consentements=consents)


async def share_results(session: AsyncSession, respondent: Respondent) -> list[ConsentOut]:
    """The person agrees to share their results with the structure: to share → shared."""
    now = utcnow()
    consents = list(
        await session.scalars(
            select(Consent).where(Consent.respondent_id == respondent.id, Consent.withdrawn_at.is_(None))
        )
    )
    for consent in consents:
        if consent.sharing != "partage":
            consent.sharing, consent.shared_at = "partage", now
    await session.flush()
    return [ConsentOut.of(consent) for consent in consents]


async def export(session: AsyncSession, respondent: Respondent) -> RespondentExport:
    rows = (
        await session.execute(
            select(Response, Questionnaire.code, Questionnaire.version)
            .join(Questionnaire, Questionnaire.id == Response.questionnaire_id)
            .where(Response.respondent_id == respondent.id)
            .order_by(Response.started_at)
        )
    ).all()
    ids = [response.id for response, _, _ in rows]
    scores: dict[str, list[dict[str, object]]] = {}
    changes: dict[str, list[ChangeOut]] = {}
    if ids:
        for score in await session.scalars(select(ResponseScore).where(ResponseScore.response_id.in_(ids))):
            scores.setdefault(score.response_id, []).append(
                {
                    "referentiel": score.framework,
                    "referentiel_version": score.framework_version,
                    "dimension": score.dimension,
                    "pourcentage": score.percent,
                    "niveau": score.level,
                    "notation_version": score.scoring_version,
                }
            )
        for change in await session.scalars(
            select(ResponseChange).where(ResponseChange.response_id.in_(ids)).order_by(ResponseChange.id)
        ):
            changes.setdefault(change.response_id, []).append(ChangeOut.of(change))
    consents = await session.scalars(select(Consent).where(Consent.respondent_id == respondent.id))
    return RespondentExport(
        repondant_id=respondent.id,
        cree_le=respondent.created_at,
        attributs={
            "tranche_age": respondent.age_band,
            "commune": respondent.commune_code,
            "genre": respondent.gender,
            "statut_social": respondent.social_status,
        },
        consentements=[ConsentOut.of(consent) for consent in consents],
        reponses=[
            ExportedResponse(
                id=response.id,
                campagne_id=response.campaign_id,
                questionnaire_code=code,
                questionnaire_version=version,
                phase=response.phase,
                statut=response.status,
                source=response.source,
                commence_le=response.started_at,
                termine_le=response.completed_at,
                valeurs=response.answers,
                scores=scores.get(response.id, []),
                historique=changes.get(response.id, []),
            )
            for response, code, version in rows
        ],
    )


def _without_responses(excluding: list[str]) -> Select[str]:
    remaining = select(Response.id).where(Response.respondent_id == Respondent.id)
    if excluding:
        remaining = remaining.where(Response.id.not_in(excluding))
    return select(Respondent.id).where(~remaining.exists())


async def purge_expired(session: AsyncSession, now: datetime | None = None, dry_run: bool = False) -> Purge:
    """Erases the responses whose campaign retention has elapsed since their last change, then the respondents
    left with no response."""
    now = now or utcnow()
    expired: list[str] = []
    for campaign_id, retention_days in (
        await session.execute(select(Campaign.id, Campaign.retention_days))
    ).all():
        expired += await session.scalars(
            select(Response.id).where(
                Response.campaign_id == campaign_id,
                Response.updated_at < now - timedelta(days=retention_days),
            )
        )
    if dry_run:
        return Purge(
            responses=len(expired), respondents=len(list(await session.scalars(_without_responses(expired))))
        )
    await _erase_responses(session, expired)
    orphans = list(await session.scalars(_without_responses([])))
    for start in range(0, len(orphans), 500):
        chunk = orphans[start : start + 500]
        await session.execute(delete(Consent).where(Consent.respondent_id.in_(chunk)))
        await session.execute(delete(Respondent).where(Respondent.id.in_(chunk)))
    return Purge(responses=len(expired), respondents=len(orphans))
