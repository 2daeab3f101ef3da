"""Campaigns: a questionnaire version in use, by whom, where, until when, through which channels."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal
from fne_kernel.pagination import PageRequest
from fne_surveys.campaigns.exceptions import (
    CampaignClosed,
    CampaignFull,
    CampaignNotFound,
    CampaignNotOpen,
    ModeNotAllowed,
    PublicLinkNotFound,
)
from fne_surveys.campaigns.models import Campaign
from fne_surveys.campaigns.schemas import CampaignInput, CampaignOut, CampaignUpdate
from fne_surveys.questionnaires import service as questionnaires
from fne_surveys.questionnaires.exceptions import QuestionnaireNotFound
from fne_surveys.responses.models import Response


def new_public_token() -> str:
    """256 random bits, URL-safe: a link cannot be guessed, only handed out."""
    return secrets.token_urlsafe(32)


def _check_period(opens_at: datetime, closes_at: datetime | None) -> None:
    if closes_at is not None and closes_at <= opens_at:
        raise InvalidInput([field_error("fin", "la clôture suit l'ouverture")])


async def create_campaign(
    session: AsyncSession, data: CampaignInput, actor: Principal, default_retention_days: int
) -> Campaign:
    try:
        questionnaire = await questionnaires.get_questionnaire(session, data.questionnaire_id)
    except QuestionnaireNotFound as exc:
        raise InvalidInput([field_error("questionnaire_id", "questionnaire inconnu")]) from exc
    if questionnaire.status != "published":
        state = {"draft": "un brouillon", "retired": "une version retirée"}.get(
            questionnaire.status, "non publiée"
        )
        raise InvalidInput(
            [field_error("questionnaire_id", f"c'est {state} : une campagne utilise une version publiée")]
        )
    now = utcnow()
    opens_at = data.debut or now
    _check_period(opens_at, data.fin)
    campaign = Campaign(
        name=data.nom,
        questionnaire_id=questionnaire.id,
        structure=data.structure,
        territory_code=data.territoire,
        mode=data.mode,
        public_token=new_public_token() if data.mode in ("public", "both") else None,
        opens_at=opens_at,
        closes_at=data.fin,
        quota=data.quota,
        retention_days=data.conservation_jours or default_retention_days,
        created_at=now,
        created_by=actor.subject,
        updated_at=now,
    )
    session.add(campaign)
    await session.flush()
    return campaign


# The fields a campaign update may change (public names, French) → the campaign's columns.
_COLUMN_OF = {
    "nom": "name",
    "structure": "structure",
    "fin": "closes_at",
    "quota": "quota",
    "conservation_jours": "retention_days",
}


async def update_campaign(session: AsyncSession, campaign: Campaign, data: CampaignUpdate) -> Campaign:
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is None and name in ("nom", "conservation_jours"):
            raise InvalidInput([field_error(name, "valeur requise")])
        setattr(campaign, _COLUMN_OF[name], value)
    _check_period(campaign.opens_at, campaign.closes_at)
    campaign.updated_at = utcnow()
    await session.flush()
    return campaign


async def close_campaign(session: AsyncSession, campaign: Campaign) -> Campaign:
    now = utcnow()
    if campaign.closes_at is None or campaign.closes_at > now:
        campaign.closes_at = max(now, campaign.opens_at)
        campaign.updated_at = now
        await session.flush()
    return campaign


async def renew_public_link(session: AsyncSession, campaign: Campaign) -> Campaign:
    """A leaked link is replaced: the old token stops working at once."""
    if campaign.mode == "mediator":
        raise ModeNotAllowed("Cette campagne se remplit avec un médiateur : elle n'a pas de lien public")
    campaign.public_token = new_public_token()
    campaign.updated_at = utcnow()
    await session.flush()
    return campaign


async def get_campaign(session: AsyncSession, campaign_id: str, *, for_update: bool = False) -> Campaign:
    campaign = await session.get(Campaign, campaign_id, with_for_update=for_update)
    if campaign is None:
        raise CampaignNotFound(f"Aucune campagne {campaign_id}")
    return campaign


async def campaign_by_token(session: AsyncSession, token: str) -> Campaign:
    campaign = await session.scalar(select(Campaign).where(Campaign.public_token == token)) if token else None
    if campaign is None:
        raise PublicLinkNotFound()
    return campaign


async def list_campaigns(
    session: AsyncSession, paging: PageRequest, questionnaire_id: str | None
) -> tuple[list[Campaign], int]:
    query = select(Campaign)
    if questionnaire_id:
        query = query.where(Campaign.questionnaire_id == questionnaire_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(Campaign.created_at.desc(), Campaign.id).offset(paging.offset).limit(paging.size)
    )
    return list(rows), total


def french_moment(moment: datetime) -> str:
    """A campaign's opening or closing as a person in France reads it: 31/12/2026 à 23 h 59."""
    local = moment.astimezone(ZoneInfo("Europe/Paris"))
    return local.strftime("%d/%m/%Y à %H h %M")


def check_accepting(campaign: Campaign, source: str, now: datetime) -> None:
    """Refuses new or changed answers outside the campaign's period or channel."""
    channel = "public" if source == "public" else "mediator"
    if campaign.mode not in (channel, "both"):
        raise ModeNotAllowed(
            "Cette campagne ne se remplit pas par lien public"
            if channel == "public"
            else "Cette campagne se remplit seulement par son lien public"
        )
    if now < campaign.opens_at:
        raise CampaignNotOpen(f"Ouverture le {french_moment(campaign.opens_at)}")
    if campaign.closes_at is not None and now >= campaign.closes_at:
        raise CampaignClosed(f"Close depuis le {french_moment(campaign.closes_at)}")


async def check_quota(session: AsyncSession, campaign: Campaign) -> None:
    """Before a response is completed. The campaign row is locked by the caller when a quota is set, so two
    last responses cannot both pass."""
    if campaign.quota is None:
        return
    completed = (
        await session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.campaign_id == campaign.id, Response.status == "completed")
        )
        or 0
    )
    if completed >= campaign.quota:
        raise CampaignFull(f"{campaign.quota} réponses complètes reçues", quota=campaign.quota)


def campaign_out(campaign: Campaign) -> CampaignOut:
    return CampaignOut.of(campaign)
