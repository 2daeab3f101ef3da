from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

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

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    questionnaire_id: str = Field(description="A published questionnaire version")
    structure: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    territory_code: TerritoryCode | None = Field(
        None, description="Department, EPCI SIREN or commune INSEE code"
    )
    mode: Mode = "mediator"
    opens_at: AwareDateTime | None = Field(None, description="Default: now")
    closes_at: AwareDateTime | None = None
    quota: int | None = Field(None, ge=1, le=1_000_000, description="Completed responses accepted at most")
    retention_days: int | None = Field(
        None, ge=1, le=3650, description="Responses are purged this long after their last change"
    )


class CampaignUpdate(BaseModel):
    """The fields of a campaign that may change once it runs (not its questionnaire nor its mode)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
    structure: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    closes_at: AwareDateTime | None = None
    quota: int | None = Field(None, ge=1, le=1_000_000)
    retention_days: int | None = Field(None, ge=1, le=3650)


class CampaignOut(BaseModel):
    id: str
    name: str
    questionnaire_id: str
    structure: str | None
    territory_code: str | None
    mode: Mode
    public_token: str | None = Field(description="The public link's token: /api/surveys/public/{token}")
    opens_at: datetime
    closes_at: datetime | None
    quota: int | None
    retention_days: int
    created_at: datetime
    updated_at: datetime


class PublicCampaignOut(BaseModel):
    """What a citizen opening a public link sees: no counts, no identifiers beyond the link itself."""

    name: str
    structure: str | None
    closes_at: datetime | None
    questionnaire: dict[str, object]
