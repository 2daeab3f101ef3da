from datetime import date as Day
from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from fne_kernel.inputs import Link
from fne_observatory.roadmap.models import MeetingKind, MilestoneStatus, ObjectiveStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Evidence(BaseModel):
    titre: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    url: Link


class RoadmapValueIn(BaseModel):
    date: Day = Field(description="Date à laquelle la valeur est constatée")
    valeur: float | None = Field(None, description="Valeur chiffrée (indicateur quantitatif)")
    texte: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=2000)] = Field(
        None, description="Constat (indicateur qualitatif)"
    )
    commentaire: Annotated[str | None, StringConstraints(max_length=4000)] = None
    preuves: list[Evidence] = Field(
        default_factory=list,
        max_length=20,
        description="Liens vers les justificatifs (compte rendu, tableau, article)",
    )

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.valeur is None and not self.texte:
            raise ValueError("donnez une valeur ou un texte")
        return self


class RoadmapValueOut(BaseModel):
    id: int | None
    date: Day
    valeur: float | None
    texte: str | None
    commentaire: str | None
    preuves: list[Evidence]
    origine: str = Field(description="saisie (comité) ou observatoire (valeur publiée de l'indicateur lié)")
    saisi_par: str | None = Field(None, description="Auteur de la saisie : montré aux seuls contributeurs")
    saisi_le: datetime | None = None
    source: str | None = Field(
        None, description="Valeur de l'observatoire : la source du jeu qui l'a produite"
    )
    calcule_le: datetime | None = Field(
        None, description="Valeur de l'observatoire : quand elle a été calculée"
    )
    verifie_le: datetime | None = Field(
        None,
        description="Valeur calculée : dernier calcul de sa source (les valeurs inchangées ne font pas de "
        "nouvelle version)",
    )


class RoadmapIndicatorIn(BaseModel):
    libelle: Text
    nature: str = Field("quantitatif", pattern="^(quantitatif|qualitatif)$")
    unite: Annotated[str | None, StringConstraints(max_length=40)] = None
    valeur_initiale: float | None = None
    cible: float | None = None
    cible_texte: Annotated[str | None, StringConstraints(max_length=2000)] = None
    echeance: Day | None = None
    indicateur_catalogue: Annotated[str | None, StringConstraints(max_length=80)] = Field(
        None,
        description="Indicateur de l'observatoire dont la valeur publiée (département suivi) alimente "
        "celui-ci",
    )


class RoadmapIndicatorUpdate(BaseModel):
    """Only the fields given change."""

    libelle: Text | None = None
    unite: Annotated[str | None, StringConstraints(max_length=40)] = None
    valeur_initiale: float | None = None
    cible: float | None = None
    cible_texte: Annotated[str | None, StringConstraints(max_length=2000)] = None
    echeance: Day | None = None
    indicateur_catalogue: Annotated[str | None, StringConstraints(max_length=80)] = None


class RoadmapIndicatorOut(BaseModel):
    id: str
    objectif: int
    libelle: str
    nature: str
    unite: str | None
    valeur_initiale: float | None
    cible: float | None
    cible_texte: str | None
    echeance: Day | None
    indicateur_catalogue: str | None
    derniere_valeur: RoadmapValueOut | None
    valeur_precedente: RoadmapValueOut | None = Field(description="La valeur d'avant la dernière")
    tendance: str = Field(description="hausse, baisse, stable, nouveau ou sans_donnee")
    avancement: float | None = Field(
        description="Part du chemin parcouru de la valeur initiale à la cible (0–1)"
    )


class MilestoneOut(BaseModel):
    id: str
    objectif: int
    libelle: str
    echeance_texte: str
    echeance: Day
    statut: MilestoneStatus
    atteint_le: Day | None
    commentaire: str | None
    en_retard: bool


class MilestoneUpdate(BaseModel):
    statut: MilestoneStatus
    atteint_le: Day | None = None
    commentaire: Annotated[str | None, StringConstraints(max_length=2000)] = None

    @model_validator(mode="after")
    def _date_when_reached(self) -> Self:
        if (self.statut == MilestoneStatus.REACHED) != (self.atteint_le is not None):
            raise ValueError("`atteint_le` accompagne le statut atteint, et lui seul")
        return self


class StatusIn(BaseModel):
    statut: ObjectiveStatus
    commentaire: Annotated[str | None, StringConstraints(max_length=4000)] = None


class StatusChangeOut(BaseModel):
    statut_precedent: ObjectiveStatus
    statut: ObjectiveStatus
    commentaire: str | None
    le: datetime
    par: str | None = Field(description="Auteur du changement : montré aux seuls contributeurs")


class ObjectiveSummary(BaseModel):
    numero: int
    axe: int
    titre: str
    statut: ObjectiveStatus
    indicateurs: int
    indicateurs_renseignes: int
    jalons: int
    jalons_atteints: int


class AxisOut(BaseModel):
    numero: int
    titre: str
    resume: str
    priorites: list[str]
    objectifs: list[ObjectiveSummary]


class RoadmapOut(BaseModel):
    axes: list[AxisOut]
    statuts: dict[str, int] = Field(description="Nombre d'objectifs par statut")
    territoire_suivi: str = Field(description="Département dont les indicateurs liés sont lus")


class ObjectiveOut(BaseModel):
    numero: int
    axe: int
    titre: str
    objectifs_strategiques: list[str]
    actions: list[str]
    acteurs: str
    statut: ObjectiveStatus
    commentaire_statut: str | None
    statut_modifie_le: datetime | None
    indicateurs: list[RoadmapIndicatorOut]
    jalons: list[MilestoneOut]
    historique_statut: list[StatusChangeOut]
    indicateurs_observatoire: list[str] = Field(
        description="Indicateurs du catalogue qui servent cet objectif"
    )


class Document(BaseModel):
    titre: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    url: Link
    nature: Literal["compte_rendu", "support", "autre"] = Field(
        "autre", description="compte_rendu (procès-verbal), support (présentation) ou autre"
    )


class MeetingIn(BaseModel):
    type: MeetingKind
    date: Day
    titre: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    lieu: Annotated[str | None, StringConstraints(max_length=200)] = None
    documents: list[Document] = Field(default_factory=list, max_length=50)
    notes: Annotated[str | None, StringConstraints(max_length=10000)] = None


class MeetingOut(MeetingIn):
    id: int
    reunion_precedente: int | None = Field(description="La réunion précédente de même type")
