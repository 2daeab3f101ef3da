from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from fne_surveys.journal.models import AccessRecord


class AccessRecordOut(BaseModel):
    id: int
    le: datetime
    acteur: str = Field(description="Le compte ou la clé d'API")
    acteur_type: str
    acteur_nom: str | None
    action: str = Field(
        description="export-reponses (réponses brutes) ou export-repondant (les données d'une personne)"
    )
    details: dict[str, Any]

    @classmethod
    def of(cls, record: AccessRecord) -> "AccessRecordOut":
        return cls(
            id=record.id,
            le=record.at,
            acteur=record.actor,
            acteur_type=record.actor_kind,
            acteur_nom=record.actor_name,
            action=record.action,
            details=record.details,
        )
