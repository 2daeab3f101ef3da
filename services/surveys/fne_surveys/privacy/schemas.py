from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fne_surveys.responses.schemas import BeneficiaryCode, ChangeOut


class RespondentReference(BaseModel):
    """Who the request is about: the beneficiary code their mediator uses, or the respondent id of an export.
    In the body, never in the URL: paths are logged."""

    model_config = ConfigDict(extra="forbid")

    beneficiary_code: BeneficiaryCode | None = None
    respondent_id: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "RespondentReference":
        if (self.beneficiary_code is None) == (self.respondent_id is None):
            raise ValueError("beneficiary_code ou respondent_id, l'un des deux")
        return self


class Erasure(BaseModel):
    respondent_id: str
    responses: int = Field(description="Responses erased with their scores and edit trail")
    consents: int


class ConsentOut(BaseModel):
    purpose: str
    given_at: datetime
    sharing: str
    shared_at: datetime | None
    withdrawn_at: datetime | None


class ExportedResponse(BaseModel):
    id: str
    campaign_id: str
    questionnaire_code: str
    questionnaire_version: int
    phase: str
    status: str
    source: str
    started_at: datetime
    completed_at: datetime | None
    answers: dict[str, Any]
    scores: list[dict[str, Any]]
    history: list[ChangeOut]


class RespondentExport(BaseModel):
    """Everything this service holds about one person (GDPR art. 15 and 20)."""

    respondent_id: str
    created_at: datetime
    attributes: dict[str, str | None]
    consents: list[ConsentOut]
    responses: list[ExportedResponse]


class Purge(BaseModel):
    responses: int
    respondents: int
