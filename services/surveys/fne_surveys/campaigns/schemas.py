from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from fne_surveys.campaigns.models import Campaign

Mode = Literal["mediator", "public", "both"]
TerritoryCode = Annotated[
    str, StringConstraints(pattern=r"^(\d{2,3}|2[AB]|\d{9}|([013-9]\d|2[AB1-9])\d{3})$")
]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("précisez le fuseau horaire (ex. 2026-12-31T23:59:00+01:00)")
    return value.astimezone(UTC) if value is not None else None


AwareDateTime = Annotated[datetime, AfterValidator(_aware)]


class CampaignInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    questionnaire_id: str = Field(description="Une version publiée du questionnaire")
    structure: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    territoire: TerritoryCode | None = Field(
        None, description="Code du département, SIREN de l'EPCI ou code INSEE de la commune"
    )
    mode: Mode = "mediator"
    debut: AwareDateTime | None = Field(None, description="Par défaut : maintenant")
    fin: AwareDateTime | None = None
    quota: int | None = Field(None, ge=1, le=1_000_000, description="Réponses terminées acceptées au plus")
    conservation_jours: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="Les réponses sont effacées ce nombre de jours après leur dernière modification",
    )


class CampaignUpdate(BaseModel):
    """The fields of a campaign that may change once it runs (not its questionnaire nor its mode)."""

    model_config = ConfigDict(extra="forbid")

    nom: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
    structure: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    fin: AwareDateTime | None = None
    quota: int | None = Field(None, ge=1, le=1_000_000)
    conservation_jours: int | None = Field(None, ge=1, le=3650)


class CampaignOut(BaseModel):
    id: str
    nom: str
    questionnaire_id: str
    structure: str | None
    territoire: str | None
    mode: Mode
    jeton_public: str | None = Field(description="Le jeton du lien public : /api/surveys/public/{token}")
    debut: datetime
    fin: datetime | None
    quota: int | None
    conservation_jours: int
    cree_le: datetime
    modifie_le: datetime

    @classmethod
    def of(cls, campaign: Campaign) -> "CampaignOut":
        return cls(
            id=campaign.id,
            nom=campaign.name,
            questionnaire_id=campaign.questionnaire_id,
            structure=campaign.structure,
            territoire=campaign.territory_code,
            mode=campaign.mode,
            jeton_public=campaign.public_token,
            debut=campaign.opens_at,
            fin=campaign.closes_at,
            quota=campaign.quota,
            conservation_jours=campaign.retention_days,
            cree_le=campaign.created_at,
            modifie_le=campaign.updated_at,
        )


class PublicCampaignOut(BaseModel):
    """What a citizen opening a public link sees: no counts, no identifiers beyond the link itself."""

    nom: str
    structure: str | None
    fin: datetime | None
    questionnaire: dict[str, object]
