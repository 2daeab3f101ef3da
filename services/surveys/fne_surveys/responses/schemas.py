from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from fne_surveys.responses import pseudonyms

Phase = Literal["pre", "post", "follow_up"]
AgeBand = Literal["moins_18", "18_29", "30_44", "45_59", "60_74", "75_plus"]
Gender = Literal["feminin", "masculin", "autre", "non_communique"]
SocialStatus = Literal["scolarise", "en_emploi", "sans_emploi", "retraite", "non_communique"]
Purpose = Literal["evaluation_autonomie", "statistiques_territoriales"]


def _acceptable_code(code: str) -> str:
    reason = pseudonyms.refusal(code)
    if reason:
        raise ValueError(reason)
    return code


BeneficiaryCode = Annotated[str, AfterValidator(_acceptable_code)]


class Attributes(BaseModel):
    """Coarse attributes only, for aggregation: bands of ten years or more, the commune, never a birth
    date."""

    model_config = ConfigDict(extra="forbid")

    age_band: AgeBand | None = None
    commune_code: Annotated[str, StringConstraints(pattern=r"^([013-9]\d|2[AB1-9])\d{3}$")] | None = Field(
        None, description="Commune of residence, INSEE code"
    )
    gender: Gender | None = None
    social_status: SocialStatus | None = None


class ConsentInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: Purpose = "evaluation_autonomie"
    given: Literal[True] = Field(
        description="The person agreed, after being told what happens to the answers"
    )
    share: bool = Field(False, description="Results shared with the structure now (otherwise: to share)")


class Answering(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field({}, description="question key → answer; null clears an answer")
    complete: bool = Field(False, description="true: check required questions and constraints, then score")


class SessionStart(BaseModel):
    """A mediator starts (or resumes) a session with a beneficiary."""

    model_config = ConfigDict(extra="forbid")

    campaign_id: str
    beneficiary_code: BeneficiaryCode = Field(
        description="The structure's own code for the person; hashed, never stored"
    )
    phase: Phase | None = Field(None, description="Default: pre, then post, then follow_up")
    attributes: Attributes | None = None
    consent: ConsentInput | None = Field(None, description="Required the first time the person answers")


class Submission(Answering):
    """A response sent in one go (a partner platform, an offline tablet)."""

    campaign_id: str
    beneficiary_code: BeneficiaryCode | None = Field(None, description="Omitted: an anonymous respondent")
    phase: Phase | None = None
    attributes: Attributes | None = None
    consent: ConsentInput | None = None


class PublicSubmission(Answering):
    consent: ConsentInput
    attributes: Attributes | None = None


class ScoreOut(BaseModel):
    framework: str
    framework_version: str
    dimension: str
    label: str
    raw: float
    maximum: float
    percent: float = Field(description="0–100")
    level: int
    level_label: str
    scoring_version: str


class ResponseOut(BaseModel):
    id: str
    campaign_id: str
    questionnaire_id: str
    questionnaire_code: str
    questionnaire_version: int
    respondent_id: str
    phase: Phase
    status: Literal["in_progress", "completed"]
    source: str
    answers: dict[str, Any]
    version: int
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    scores: list[ScoreOut]


class ResponseSummary(BaseModel):
    """A response in a list: where it stands, never its answers."""

    id: str
    campaign_id: str
    respondent_id: str
    phase: Phase
    status: Literal["in_progress", "completed"]
    source: str
    administered_by: str | None
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None


class SessionOut(BaseModel):
    resumed: bool = Field(description="true: an unfinished response of this person was picked up")
    response: ResponseOut


class PublicResponseOut(BaseModel):
    id: str
    status: Literal["in_progress", "completed"]
    answers: dict[str, Any]
    resume_token: str | None = Field(
        None,
        description="Given once when the response is left unfinished: send "
        "it back in X-Resume-Token to continue",
    )
    scores: list[ScoreOut]


class ScoreChange(BaseModel):
    framework: str
    dimension: str
    label: str
    before: float
    after: float
    delta: float


class RadarOut(BaseModel):
    response_id: str
    phase: Phase
    scores: list[ScoreOut]
    previous_response_id: str | None
    previous_phase: Phase | None
    changes: list[ScoreChange]


class ChangeOut(BaseModel):
    version: int
    at: datetime
    action: str
    actor: str
    changes: dict[str, Any]
