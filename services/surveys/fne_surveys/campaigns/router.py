from fastapi import APIRouter, Response

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_surveys.access import Coordinator, Reader
from fne_surveys.campaigns import service
from fne_surveys.campaigns.schemas import CampaignInput, CampaignOut, CampaignUpdate
from fne_surveys.dependencies import SurveysSettings

router = APIRouter(prefix="/campagnes", tags=["campagnes"])


@router.get("")
async def list_campaigns(
    _: Reader, session: SessionDep, paging: PageParams, questionnaire_id: str | None = None
) -> Page[CampaignOut]:
    """Campaigns, newest first; filter by questionnaire version."""
    found, total = await service.list_campaigns(session, paging, questionnaire_id)
    return Page.of([service.campaign_out(item) for item in found], total, paging)


@router.post("", status_code=201)
async def create_campaign(
    body: CampaignInput,
    actor: Coordinator,
    session: SessionDep,
    settings: SurveysSettings,
    response: Response,
) -> CampaignOut:
    """Open a campaign on a published questionnaire version (mediator-led, public link, or both)."""
    campaign = await service.create_campaign(session, body, actor, settings.default_retention_days)
    response.headers["Location"] = f"/campagnes/{campaign.id}"
    return service.campaign_out(campaign)


@router.get("/{campaign_id}")
async def read_campaign(campaign_id: str, _: Reader, session: SessionDep) -> CampaignOut:
    """One campaign, with its public link token when it has one."""
    return service.campaign_out(await service.get_campaign(session, campaign_id))


@router.patch("/{campaign_id}")
async def update_campaign(
    campaign_id: str, body: CampaignUpdate, _: Coordinator, session: SessionDep
) -> CampaignOut:
    """Change a campaign's name, structure, closing date, quota or retention."""
    campaign = await service.get_campaign(session, campaign_id)
    return service.campaign_out(await service.update_campaign(session, campaign, body))


@router.post("/{campaign_id}/cloture")
async def close_campaign(campaign_id: str, _: Coordinator, session: SessionDep) -> CampaignOut:
    """Close a campaign now: no new answers, results stay."""
    return service.campaign_out(
        await service.close_campaign(session, await service.get_campaign(session, campaign_id))
    )


@router.post("/{campaign_id}/lien-public")
async def renew_public_link(campaign_id: str, _: Coordinator, session: SessionDep) -> CampaignOut:
    """Replace the public link's token (the old link stops working)."""
    return service.campaign_out(
        await service.renew_public_link(session, await service.get_campaign(session, campaign_id))
    )
