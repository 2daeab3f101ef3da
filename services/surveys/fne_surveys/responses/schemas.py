from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from fne_surveys.responses import pseudonyms
from fne_surveys.responses.models import Response, ResponseChange

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

    tranche_age: AgeBand | None = None
    commune: Annotated[str, StringConstraints(pattern=r"^([013-9]\d|2[AB1-9])\d{3}$")] | None = Field(
        None, description="Commune de résidence, code INSEE"
    )
    genre: Gender | None = None
    statut_social: SocialStatus | None = None


class ConsentInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finalite: Purpose = "evaluation_autonomie"
    donne: Literal[True] = Field(
        description="La personne est d'accord, après avoir appris ce que deviennent ses réponses"
    )
    partage: bool = Field(
        False, description="Résultats partagés avec la structure dès maintenant (sinon : à partager)"
    )


class Answering(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valeurs: dict[str, Any] = Field({}, description="clé de question → réponse ; null efface une réponse")
    terminer: bool = Field(
        False, description="true : vérifier les questions obligatoires et les contraintes, puis noter"
    )


class SessionStart(BaseModel):
    """A mediator starts (or resumes) a session with a beneficiary."""

    model_config = ConfigDict(extra="forbid")

    campagne_id: str
    code_beneficiaire: BeneficiaryCode = Field(
        description="Le code que la structure donne à la personne ; haché, jamais conservé"
    )
    phase: Phase | None = Field(None, description="Par défaut : pre, puis post, puis follow_up")
    attributs: Attributes | None = None
    consentement: ConsentInput | None = Field(
        None, description="Obligatoire la première fois que la personne répond"
    )


class Submission(Answering):
    """A response sent in one go (a partner platform, an offline tablet)."""

    campagne_id: str
    code_beneficiaire: BeneficiaryCode | None = Field(None, description="Absent : une personne anonyme")
    phase: Phase | None = None
    attributs: Attributes | None = None
    consentement: ConsentInput | None = None


class PublicSubmission(Answering):
    consentement: ConsentInput
    attributs: Attributes | None = None


class ScoreOut(BaseModel):
    referentiel: str
    referentiel_version: str
    dimension: str
    libelle: str
    brut: float
    maximum: float
    pourcentage: float = Field(description="0–100")
    niveau: int
    niveau_libelle: str
    notation_version: str


class ResponseOut(BaseModel):
    id: str
    campagne_id: str
    questionnaire_id: str
    questionnaire_code: str
    questionnaire_version: int
    repondant_id: str
    phase: Phase
    statut: Literal["in_progress", "completed"]
    source: str
    valeurs: dict[str, Any]
    version: int
    commence_le: datetime
    modifie_le: datetime
    termine_le: datetime | None
    scores: list[ScoreOut]


class ResponseSummary(BaseModel):
    """A response in a list: where it stands, never its answers."""

    id: str
    campagne_id: str
    repondant_id: str
    phase: Phase
    statut: Literal["in_progress", "completed"]
    source: str
    administre_par: str | None
    commence_le: datetime
    modifie_le: datetime
    termine_le: datetime | None

    @classmethod
    def of(cls, response: Response) -> "ResponseSummary":
        return cls(
            id=response.id,
            campagne_id=response.campaign_id,
            repondant_id=response.respondent_id,
            phase=response.phase,
            statut=response.status,
            source=response.source,
            administre_par=response.administered_by,
            commence_le=response.started_at,
            modifie_le=response.updated_at,
            termine_le=response.completed_at,
        )


class SessionOut(BaseModel):
    reprise: bool = Field(description="true : une réponse non terminée de cette personne a été reprise")
    reponse: ResponseOut


class PublicResponseOut(BaseModel):
    id: str
    statut: Literal["in_progress", "completed"]
    valeurs: dict[str, Any]
    jeton_reprise: str | None = Field(
        None,
        description="Donné une fois quand la réponse reste inachevée : le renvoyer "
        "dans X-Resume-Token pour continuer",
    )
    scores: list[ScoreOut]


class ScoreChange(BaseModel):
    referentiel: str
    dimension: str
    libelle: str
    avant: float
    apres: float
    ecart: float


class RadarOut(BaseModel):
    reponse_id: str
    phase: Phase
    scores: list[ScoreOut]
    reponse_precedente_id: str | None
    phase_precedente: Phase | None
    evolutions: list[ScoreChange]


class ChangeOut(BaseModel):
    version: int
    le: datetime
    action: str
    par: str
    modifications: dict[str, Any]

    @classmethod
    def of(cls, change: ResponseChange) -> "ChangeOut":
        return cls(
            version=change.version,
            le=change.at,
            action=change.action,
            par=change.actor,
            modifications=change.changes,
        )
