from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fne_network.inputs import CommuneCode, Email, Identifier, Name, Phone, ShortText

Role = Literal["conseiller_numerique", "aidant", "agent_france_services", "coordinateur", "autre"]
ProgrammeCode = Literal["conseiller_numerique", "aidants_connect", "france_services"]


class EmployerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    structure_id: Identifier | None = Field(
        None, description="Identifiant de la structure ou du lieu dans l'annuaire"
    )
    nom: ShortText = Field(description="Nom de la structure employeuse")
    commune: CommuneCode | None = Field(None, description="Code INSEE de la commune de la structure")


class ProgrammeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: ProgrammeCode
    date_debut: date | None = Field(None, description="Début (pour Aidants Connect : date d'habilitation)")
    date_fin: date | None = Field(None, description="Fin (pour Aidants Connect : fin de l'habilitation)")

    @model_validator(mode="after")
    def _dates(self) -> "ProgrammeIn":
        if self.code == "aidants_connect" and self.date_debut is None:
            raise ValueError("une habilitation Aidants Connect a une date d'habilitation (date_debut)")
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValueError("la date de fin précède la date de début")
        return self


class _PersonFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _coherent(self) -> "_PersonFields":
        programmes = getattr(self, "programmes", None) or []
        codes = [programme.code for programme in programmes]
        if len(codes) != len(set(codes)):
            raise ValueError("un même programme est donné deux fois")
        since, until = getattr(self, "actif_depuis", None), getattr(self, "actif_jusqu_au", None)
        if since and until and until < since:
            raise ValueError("actif_jusqu_au précède actif_depuis")
        return self


class PersonIn(_PersonFields):
    prenom: Name
    nom: Name
    role: Role
    courriel: Email | None = None
    telephone: Phone | None = None
    consentement_publication: bool = Field(
        False,
        description="La personne accepte que son nom, son rôle, ses employeurs et son contact soient publics",
    )
    actif: bool = True
    actif_depuis: date | None = Field(None, description="Par défaut : aujourd'hui")
    actif_jusqu_au: date | None = None
    employeurs: list[EmployerIn] = Field(default_factory=list, max_length=10)
    programmes: list[ProgrammeIn] = Field(default_factory=list, max_length=3)


class PersonUpdate(_PersonFields):
    """Only the fields given change; `employeurs` and `programmes`, when given, replace the whole list."""

    prenom: Name | None = None
    nom: Name | None = None
    role: Role | None = None
    courriel: Email | None = None
    telephone: Phone | None = None
    consentement_publication: bool | None = None
    actif: bool | None = None
    actif_depuis: date | None = None
    actif_jusqu_au: date | None = None
    employeurs: list[EmployerIn] | None = Field(None, max_length=10)
    programmes: list[ProgrammeIn] | None = Field(None, max_length=3)


class EmployerOut(BaseModel):
    structure_id: str | None
    nom: str
    commune: str | None
    commune_nom: str | None


class ProgrammeOut(BaseModel):
    code: ProgrammeCode
    date_debut: date | None
    date_fin: date | None


class PersonOut(BaseModel):
    id: str
    prenom: str
    nom: str
    role: Role
    courriel: str | None
    telephone: str | None
    consentement_publication: bool
    consentement_le: datetime | None
    actif: bool
    actif_depuis: date
    actif_jusqu_au: date | None
    employeurs: list[EmployerOut]
    programmes: list[ProgrammeOut]
    poste_mutualise: bool = Field(description="Au moins deux structures employeuses")
    cree_le: datetime
    modifie_le: datetime
    version: int = Field(
        description="Version de l'enregistrement : ses lectures portent l'ETag « \"<id>.<version>\" », que "
        "If-Match renvoie pour le modifier ou le supprimer"
    )


class PublicPersonOut(BaseModel):
    """What anyone may read of a person who consented: no dates, no history."""

    id: str
    prenom: str
    nom: str
    role: Role
    courriel: str | None
    telephone: str | None
    employeurs: list[EmployerOut]
    programmes: list[ProgrammeCode]


class RegistrationRecord(BaseModel):
    formation_id: str
    formation: str
    debut: datetime
    presence: bool | None
    achevement: bool


class PersonExport(BaseModel):
    """Everything the network holds about a person (GDPR right of access)."""

    exporte_le: datetime
    personne: PersonOut
    cree_par: str
    modifie_par: str
    inscriptions: list[RegistrationRecord]
