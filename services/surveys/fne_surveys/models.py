"""Every table of the surveys service, imported so that Alembic and the metadata see them all."""

from fne_surveys.campaigns.models import Campaign
from fne_surveys.journal.models import AccessRecord
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.responses.models import Consent, Respondent, Response, ResponseChange, ResponseScore

__all__ = [
    "AccessRecord",
    "Campaign",
    "Consent",
    "Questionnaire",
    "Respondent",
    "Response",
    "ResponseChange",
    "ResponseScore",
]
