from datetime import datetime

from pydantic import BaseModel, Field

from fne_surveys.questionnaires.definition import Definition
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.questionnaires.service import definition_of


class QuestionnaireSummary(BaseModel):
    id: str
    code: str
    version: int
    statut: str = Field(description="draft (brouillon) | published (publiée) | retired (retirée)")
    titre: str
    empreinte: str | None = Field(description="SHA-256 de la définition canonique, fixée à la publication")
    cree_le: datetime
    publie_le: datetime | None
    retire_le: datetime | None

    @classmethod
    def of(cls, questionnaire: Questionnaire) -> "QuestionnaireSummary":
        return cls(
            id=questionnaire.id,
            code=questionnaire.code,
            version=questionnaire.version,
            statut=questionnaire.status,
            titre=questionnaire.title,
            empreinte=questionnaire.content_hash,
            cree_le=questionnaire.created_at,
            publie_le=questionnaire.published_at,
            retire_le=questionnaire.retired_at,
        )


class QuestionnaireOut(QuestionnaireSummary):
    definition: Definition

    @classmethod
    def of(cls, questionnaire: Questionnaire) -> "QuestionnaireOut":
        summary = QuestionnaireSummary.of(questionnaire)
        return cls(**summary.model_dump(), definition=definition_of(questionnaire))
