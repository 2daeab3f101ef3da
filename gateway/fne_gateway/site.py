"""Who publishes this instance of the platform and for which territory: read by the web app's legal pages,
search and maps, set in the gateway's settings (GATEWAY_SITE_*) so that one build serves any département or
EPCI that deploys it."""

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from starlette.requests import Request

from fne_gateway.config import Settings
from fne_gateway.dependencies import gateway_settings
from fne_kernel.access import public

router = APIRouter(prefix="/api", tags=["plateforme"], dependencies=[Depends(public)])


class SiteInfo(BaseModel):
    editeur: str
    editeur_adresse: str
    directeur_publication: str
    courriel_contact: str
    contact_donnees_personnelles: str = Field(description="Délégué à la protection des données")
    hebergeur: str
    audit_accessibilite_le: date | None = Field(description="Date du dernier audit d'accessibilité")
    departement: str
    fond_carte_url: str = Field(
        description="Adresse des tuiles ({z}, {x}, {y}) ; vide : pas de fond de carte"
    )
    fond_carte_attribution: str

    @classmethod
    def of(cls, settings: Settings) -> "SiteInfo":
        return cls(
            editeur=settings.site_publisher,
            editeur_adresse=settings.site_publisher_address,
            directeur_publication=settings.site_publication_director,
            courriel_contact=settings.site_contact_email,
            contact_donnees_personnelles=settings.site_data_protection_contact,
            hebergeur=settings.site_host,
            audit_accessibilite_le=settings.site_accessibility_audit_date,
            departement=settings.site_departement,
            fond_carte_url=settings.site_map_tiles_url,
            fond_carte_attribution=settings.site_map_attribution,
        )


@router.get("/site")
async def site(request: Request) -> SiteInfo:
    """The publisher's details (legal pages), its département and base map (search and maps)."""
    return SiteInfo.of(gateway_settings(request))
