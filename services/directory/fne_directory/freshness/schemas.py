from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fne_directory.places.schemas import PlaceOut

# What a place's contact or a passer-by may propose to change (the rest is the coordinators' and sources').
CORRECTABLE_FIELDS = (
    "nom",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "prise_rdv",
    "fiche_acces_libre",
    "services",
    "publics_specifiquement_adresses",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
)
Token = Annotated[str, StringConstraints(min_length=20, max_length=128)]


class LinkBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jeton: Token


class Correction(LinkBody):
    modifications: dict[str, Any] = Field(
        default_factory=dict,
        description=f"Champ → nouvelle valeur ; champs possibles : {', '.join(CORRECTABLE_FIELDS)}",
    )
    commentaire: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class ReportReason(StrEnum):
    CLOSED = "ferme"
    HOURS = "horaires"
    CONTACT = "coordonnees"
    ADDRESS = "adresse"
    SERVICES = "services"
    OTHER = "autre"


class Report(BaseModel):
    """A public report: no account, no personal data; what is wrong, and optionally the right value."""

    model_config = ConfigDict(extra="forbid")

    motif: ReportReason
    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=2000)]
    modifications: dict[str, Any] = Field(
        default_factory=dict, description="Facultatif : champ → bonne valeur"
    )


class LinkPlace(BaseModel):
    """What the link's page shows: the place as published, and the state of the link."""

    lieu: PlaceOut
    expire_le: datetime
    champs_modifiables: list[str] = list(CORRECTABLE_FIELDS)


class Answer(BaseModel):
    statut: str = Field(description="confirme | corrige | desinscrit")
    date_maj: date | None = None


class ProposalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    place_id: str
    nom_lieu: str
    commune: str
    origin: str = Field(description="contact (lien de mise à jour) | signalement (formulaire public)")
    reason: str | None
    message: str | None
    diff: dict[str, Any] = Field(description="Champ → [valeur au moment de la proposition, valeur proposée]")
    status: str = Field(description="en_attente | acceptee | rejetee")
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class RequestOut(BaseModel):
    id: int
    place_id: str
    nom_lieu: str
    commune: str
    email: str
    sent_at: datetime
    expires_at: datetime
    opened_at: datetime | None
    answered_at: datetime | None
    answer: str | None
    unsubscribed_at: datetime | None


class SendReport(BaseModel):
    envoyes: int = Field(description="Messages mis en file d'envoi")
