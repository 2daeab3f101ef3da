from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

# Fixed codes (docs/network-contract in the notes, docs/network.md): the observatory maps them to indicators.
MeasureCode = Literal[
    "conseillers_numeriques_actifs",
    "postes_conseillers_mutualises",
    "aidants_actifs",
    "aidants_habilites_aidants_connect",
    "agents_france_services",
    "coordinateurs",
    "formations_sessions",
    "personnes_formees",
    "evenements",
    "evenements_participants",
    "evenements_partenaires",
]


class Measure(BaseModel):
    mesure: MeasureCode
    categorie: str | None = Field(description="Sous-catégorie (public formé, type d'événement) ou null")
    commune: str | None = Field(description="Code INSEE, ou null quand le territoire n'est pas connu")
    annee: int
    mois: int | None = Field(description="1–12, ou null pour un chiffre annuel")
    valeur: int


class Statistics(BaseModel):
    genere_le: datetime
    mesures: list[Measure]
