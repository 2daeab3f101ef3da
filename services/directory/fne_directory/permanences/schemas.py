from datetime import datetime, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """Who holds the permanence (the national programmes' names, as the network service codes them)."""

    CONSEILLER_NUMERIQUE = "conseiller_numerique"
    AIDANT = "aidant"
    AGENT_FRANCE_SERVICES = "agent_france_services"
    MEDIATEUR_NUMERIQUE = "mediateur_numerique"


ROLE_LABELS = {
    Role.CONSEILLER_NUMERIQUE: "Conseiller numérique",
    Role.AIDANT: "Aidant numérique",
    Role.AGENT_FRANCE_SERVICES: "Agent France Services",
    Role.MEDIATEUR_NUMERIQUE: "Médiateur numérique",
}


class Jour(StrEnum):
    LUNDI = "lundi"
    MARDI = "mardi"
    MERCREDI = "mercredi"
    JEUDI = "jeudi"
    VENDREDI = "vendredi"
    SAMEDI = "samedi"
    DIMANCHE = "dimanche"


JOURS = list(Jour)


class CreneauIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lieu_id: str | None = Field(None, max_length=36, description="Lieu d'accueil de l'annuaire")
    code_insee: str | None = Field(
        None,
        pattern=r"^\d[\dAB]\d{3}$",
        description="Commune d'une étape de tournée hors de tout lieu de l'annuaire (déduite du lieu sinon)",
    )
    precision_lieu: str | None = Field(None, max_length=200, description="Ex. « parking de la mairie »")
    jour: Jour
    debut: time = Field(description="Heure locale (Europe/Paris) de début, HH:MM")
    fin: time = Field(description="Heure locale de fin, HH:MM")


class PermanenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    personne_id: str | None = Field(
        None, max_length=64, description="Identifiant de la personne (service réseau)"
    )
    libelle: str | None = Field(
        None, min_length=1, max_length=120, description="Nom de la personne ou de l'équipe"
    )
    libelle_public: bool = Field(
        False, description="Le libellé peut être publié (consentement) ; sinon seul le rôle est affiché"
    )
    creneaux: list[CreneauIn] = Field(min_length=1, max_length=60)


class CreneauOut(BaseModel):
    lieu_id: str | None
    lieu_nom: str | None
    code_insee: str
    commune: str | None
    precision_lieu: str | None
    jour: Jour
    debut: str
    fin: str
    texte: str


class PermanenceOut(BaseModel):
    id: str
    status: str
    version: int
    role: Role
    role_libelle: str
    libelle: str = Field(description="Ce qui est affiché : le libellé si consentement, sinon le rôle")
    itinerante: bool = Field(description="Tournée : créneaux dans plusieurs lieux ou communes")
    communes: list[str]
    creneaux: list[CreneauOut]
    updated_at: datetime
    # Shown to writers only (directory:write): what was entered.
    personne_id: str | None = None
    libelle_saisi: str | None = None
    libelle_public: bool | None = None


class PlacePermanenceOut(BaseModel):
    """A permanence as a place's page shows it: only its slots in that place."""

    id: str
    role: Role
    libelle: str
    itinerante: bool
    creneaux: list[CreneauOut]
    texte: str = Field(description="Ex. « Conseiller numérique présent le mardi 9 h–12 h »")


class CommuneReach(BaseModel):
    code_insee: str
    roles: list[Role]
    itinerante: bool
