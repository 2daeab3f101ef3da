from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fne_surveys.responses.models import Consent
from fne_surveys.responses.schemas import BeneficiaryCode, ChangeOut


class RespondentReference(BaseModel):
    """Who the request is about: the beneficiary code their mediator uses, or the respondent id of an export.
    In the body, never in the URL: paths are logged."""

    model_config = ConfigDict(extra="forbid")

    code_beneficiaire: BeneficiaryCode | None = None
    repondant_id: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "RespondentReference":
        if (self.code_beneficiaire is None) == (self.repondant_id is None):
            raise ValueError("code_beneficiaire ou repondant_id, l'un des deux")
        return self


class Erasure(BaseModel):
    repondant_id: str
    reponses: int = Field(description="Réponses effacées avec leurs scores et leur historique")
    consentements: int


class ConsentOut(BaseModel):
    finalite: str
    donne_le: datetime
    partage: str
    partage_le: datetime | None
    retire_le: datetime | None

    @classmethod
    def of(cls, consent: Consent) -> "ConsentOut":
        return cls(
            finalite=consent.purpose,
            donne_le=consent.given_at,
            partage=consent.sharing,
            partage_le=consent.shared_at,
            retire_le=consent.withdrawn_at,
        )


class ExportedResponse(BaseModel):
    id: str
    campagne_id: str
    questionnaire_code: str
    questionnaire_version: int
    phase: str
    statut: str
    source: str
    commence_le: datetime
    termine_le: datetime | None
    valeurs: dict[str, Any]
    scores: list[dict[str, Any]]
    historique: list[ChangeOut]


class RespondentExport(BaseModel):
    """Everything this service holds about one person (GDPR art. 15 and 20)."""

    repondant_id: str
    cree_le: datetime
    attributs: dict[str, str | None]
    consentements: list[ConsentOut]
    reponses: list[ExportedResponse]


class Purge(BaseModel):
    """What the retention purge erased (the command line's report, not an API body)."""

    responses: int
    respondents: int
