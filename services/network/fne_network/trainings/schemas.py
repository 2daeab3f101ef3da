from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fne_network.inputs import Address, AwareDateTime, CommuneCode, Identifier, LongText, ShortText
from fne_network.people.schemas import ProgrammeCode

Audience = Literal["aidants", "secretaires_mairie", "agents_partenaires", "autre"]


class TrainingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titre: ShortText
    description: LongText | None = None
    public: Audience = Field(description="Public formé")
    programme: ProgrammeCode | None = Field(None, description="Programme auquel la formation prépare")
    debut: AwareDateTime
    fin: AwareDateTime
    commune: CommuneCode | None = Field(None, description="Code INSEE de la commune où elle a lieu")
    lieu_id: Identifier | None = Field(None, description="Identifiant du lieu dans l'annuaire")
    lieu_nom: ShortText | None = None
    adresse: Address | None = None
    capacite: int | None = Field(None, ge=1, le=10_000, description="Places ouvertes")

    @model_validator(mode="after")
    def _order(self) -> "TrainingIn":
        if self.fin <= self.debut:
            raise ValueError("la fin doit suivre le début")
        return self


class TrainingUpdate(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    titre: ShortText | None = None
    description: LongText | None = None
    public: Audience | None = None
    programme: ProgrammeCode | None = None
    debut: AwareDateTime | None = None
    fin: AwareDateTime | None = None
    commune: CommuneCode | None = None
    lieu_id: Identifier | None = None
    lieu_nom: ShortText | None = None
    adresse: Address | None = None
    capacite: int | None = Field(None, ge=1, le=10_000)
    annulee: bool | None = None


class TrainingOut(BaseModel):
    id: str
    titre: str
    description: str | None
    public: Audience
    programme: ProgrammeCode | None
    debut: datetime
    fin: datetime
    commune: str | None
    commune_nom: str | None
    lieu_id: str | None
    lieu_nom: str | None
    adresse: str | None
    capacite: int | None
    annulee: bool
    inscrits: int
    presents: int
    formes: int = Field(description="Inscrits ayant achevé la formation")
    cree_le: datetime
    modifie_le: datetime
    version: int = Field(
        description="Version de l'enregistrement : ses lectures portent l'ETag « \"<id>.<version>\" », que "
        "If-Match renvoie pour le modifier ou le supprimer"
    )


class RegistrationIn(BaseModel):
    """A person of the network (personne_id), or a participant known by name only (minimal data)."""

    model_config = ConfigDict(extra="forbid")

    personne_id: Identifier | None = None
    nom_participant: ShortText | None = Field(None, description="Prénom et nom, pour qui n'est pas du réseau")
    structure_participant: ShortText | None = None
    presence: bool | None = None
    achevement: bool = False

    @model_validator(mode="after")
    def _who(self) -> "RegistrationIn":
        if (self.personne_id is None) == (self.nom_participant is None):
            raise ValueError("donnez soit personne_id (une personne du réseau), soit nom_participant")
        if self.personne_id is not None and self.structure_participant is not None:
            raise ValueError("structure_participant ne se donne qu'avec nom_participant")
        return self


class RegistrationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    presence: bool | None = None
    achevement: bool | None = None


class RegistrationOut(BaseModel):
    id: str
    formation_id: str
    personne_id: str | None
    nom: str | None = Field(description="Nom de la personne du réseau ou du participant ; vide si effacé")
    structure: str | None
    presence: bool | None
    achevement: bool
    efface: bool


class TrainedCount(BaseModel):
    commune: str | None
    commune_nom: str | None
    programme: ProgrammeCode | None
    public: Audience
    sessions: int
    personnes_formees: int


class TrainedSummary(BaseModel):
    annee: int | None
    lignes: list[TrainedCount]
    total_sessions: int
    total_personnes_formees: int
