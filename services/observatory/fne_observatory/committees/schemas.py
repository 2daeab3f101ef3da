from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class ActionStatus(StrEnum):
    A_FAIRE = "a_faire"
    EN_COURS = "en_cours"
    FAITE = "faite"
    ABANDONNEE = "abandonnee"


class ParticipantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=120)] = None
    structure: Short
    fonction: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=120)] = None
    present: bool = True


class ParticipantOut(BaseModel):
    nom: str | None = Field(description="Montré aux seuls contributeurs")
    structure: str
    fonction: str | None
    present: bool


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    intitule: Long
    porteur: Short = Field(description="Structure ou personne qui porte l'action")
    echeance: date


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texte: Long
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


class ActionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statut: ActionStatus
    echeance: date | None = None
    porteur: Short | None = None


class ActionOut(BaseModel):
    id: int
    comite: int
    decision: int | None
    intitule: str
    porteur: str
    echeance: date
    statut: ActionStatus
    faite_le: date | None
    en_retard: bool


class DecisionOut(BaseModel):
    id: int
    texte: str
    actions: list[ActionOut]


class FollowUpOut(BaseModel):
    comite: int
    participants: list[ParticipantOut]
    presents: int
    decisions: list[DecisionOut]
    actions_hors_decision: list[ActionOut]
    compte_rendu_publie: bool
    support_publie: bool
