"""Who publishes this instance of the platform and for which territory: read by the web app's legal pages,
search and maps, set in the gateway's settings (GATEWAY_SITE_*) so that one build serves any département or
EPCI that deploys it."""

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from starlette.requests import Request

from fne_gateway.dependencies import gateway_settings
from fne_kernel.access import public

router = APIRouter(prefix="/api", tags=["plateforme"], dependencies=[Depends(public)])


class SiteInfo(BaseModel):
    publisher: str
    publisher_address: str
    publication_director: str
    contact_email: str
    data_protection_contact: str
    host: str
    accessibility_audit_date: date | None
    departement: str
    map_tiles_url: str
    map_attribution: str


@router.get("/site")
async def site(request: Request) -> SiteInfo:
    """The publisher's details (legal pages), its département and base map (search and maps)."""
    settings = gateway_settings(request)
    return SiteInfo(**{field: getattr(settings, f"site_{field}") for field in SiteInfo.model_fields})
