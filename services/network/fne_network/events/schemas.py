from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fne_kernel.inputs import Link
from fne_network.inputs import Address, AwareDateTime, CommuneCode, Identifier, LongText, ShortText

EventType = Literal["cafe_numerique", "atelier", "semaine_numerique", "nec", "forum", "autre"]

TYPE_LABELS = {
    "cafe_numerique": "Café numérique",
    "atelier": "Atelier",
    "semaine_numerique": "Semaine du numérique",
    "nec": "NEC Savoie",
    "forum": "Forum",
    "autre": "Autre",
}

Price = ShortText


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titre: ShortText
    description: LongText | None = None
    type: EventType
    debut: AwareDateTime
    fin: AwareDateTime
    commune: CommuneCode = Field(description="Code INSEE de la commune")
    adresse: Address | None = None
    lieu_id: Identifier | None = Field(None, description="Identifiant du lieu dans l'annuaire")
    lieu_nom: ShortText | None = None
    public: ShortText | None = Field(None, description="Pour qui, en mots (« seniors », « tout public »…)")
    gratuit: bool = True
    tarif: Price | None = Field(None, description="Prix, quand l'événement n'est pas gratuit")
    lien_inscription: Link | None = None
    organisateur: ShortText | None = None
    publie: bool = Field(True, description="Visible dans l'agenda public")

    @model_validator(mode="after")
    def _coherent(self) -> "EventIn":
        if self.fin <= self.debut:
            raise ValueError("la fin doit suivre le début")
        if self.adresse is None and self.lieu_id is None:
            raise ValueError("précisez où : une adresse ou un lieu de l'annuaire (lieu_id)")
        if self.gratuit and self.tarif is not None:
            raise ValueError("un événement gratuit n'a pas de tarif")
        return self


class EventUpdate(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    titre: ShortText | None = None
    description: LongText | None = None
    type: EventType | None = None
    debut: AwareDateTime | None = None
    fin: AwareDateTime | None = None
    commune: CommuneCode | None = None
    adresse: Address | None = None
    lieu_id: Identifier | None = None
    lieu_nom: ShortText | None = None
    public: ShortText | None = None
    gratuit: bool | None = None
    tarif: Price | None = None
    lien_inscription: Link | None = None
    organisateur: ShortText | None = None
    publie: bool | None = None
    annule: bool | None = None


class EventReport(BaseModel):
    """Counted after the event."""

    model_config = ConfigDict(extra="forbid")

    participants: int = Field(ge=0, le=1_000_000)
    partenaires: int = Field(ge=0, le=10_000, description="Structures partenaires présentes")


class EventOut(BaseModel):
    id: str
    titre: str
    description: str | None
    type: EventType
    type_libelle: str
    debut: datetime
    fin: datetime
    commune: str
    commune_nom: str | None
    adresse: str | None
    lieu_id: str | None
    lieu_nom: str | None
    public: str | None
    gratuit: bool
    tarif: str | None
    lien_inscription: str | None
    organisateur: str | None
    publie: bool
    annule: bool
    participants: int | None
    partenaires: int | None
    url: str = Field(description="Page de l'événement dans l'agenda public")
    cree_le: datetime
    modifie_le: datetime
    version: int = Field(
        description="Version de l'enregistrement : ses lectures portent l'ETag « \"<id>.<version>\" », que "
        "If-Match renvoie pour le modifier ou le supprimer"
    )
