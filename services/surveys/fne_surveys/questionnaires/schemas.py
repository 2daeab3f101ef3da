from datetime import datetime

from pydantic import BaseModel, Field

from fne_surveys.questionnaires.definition import Definition
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.questionnaires.service import definition_of


class QuestionnaireSummary(BaseModel):
    id: str
    code: str
    version: int
    status: str = Field(description="draft | published | retired")
    title: str
    content_hash: str | None = Field(description="SHA-256 of the canonical definition, set at publication")
    created_at: datetime
    published_at: datetime | None
    retired_at: datetime | None

    @classmethod
    def of(cls, questionnaire: Questionnaire) -> "QuestionnaireSummary":
        return cls.model_validate(questionnaire, from_attributes=True)


class QuestionnaireOut(QuestionnaireSummary):
    definition: Definition

    @classmethod
    def of(cls, questionnaire: Questionnaire) -> "QuestionnaireOut":
        summary = QuestionnaireSummary.of(questionnaire)
        return cls(**summary.model_dump(), definition=definition_of(questionnaire))
