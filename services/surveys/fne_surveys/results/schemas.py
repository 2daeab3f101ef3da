from pydantic import BaseModel, Field


class PhaseCount(BaseModel):
    phase: str
    commencees: int
    terminees: int


class DimensionStats(BaseModel):
    referentiel: str
    dimension: str
    libelle: str
    phase: str
    secret: bool = Field(
        False,
        description="true : moins de personnes que le seuil, ou chiffre "
        "déductible de ceux des autres campagnes ; aucun chiffre n'est donné",
    )
    n: int | None
    moyenne: float | None = Field(description="Score moyen 0–100")
    repartition: dict[str, int] | None = Field(
        description="Réponses par niveau (numéro du niveau en texte) ; null quand un effectif de niveau "
        "désignerait des personnes"
    )


class PairedProgress(BaseModel):
    referentiel: str
    dimension: str
    libelle: str
    secret: bool = False
    paires: int | None = Field(description="Personnes ayant une réponse pre et une réponse post terminées")
    moyenne_pre: float | None
    moyenne_post: float | None
    ecart_moyen: float | None


class CampaignResults(BaseModel):
    campagne_id: str
    seuil: int = Field(description="Nombre minimal de personnes par cellule publiée")
    commencees: int
    terminees: int
    taux_achevement: float | None = Field(description="Terminées / commencées, 0–1")
    par_phase: list[PhaseCount]
    dimensions: list[DimensionStats]
    progression: list[PairedProgress]


class AggregateCell(BaseModel):
    territoire: str = Field(
        description="Code INSEE de la commune ou du département, SIREN de l'EPCI ; `total` ; `inconnu`"
    )
    ventilation: str | None = Field(
        None, description="tranche_age, genre ou statut_social quand elle est demandée"
    )
    categorie: str | None = Field(
        None,
        description="Avec une ventilation : la tranche d'âge, le genre ou le statut social "
        "(`inconnu` s'il n'est pas donné), ou `total` (la cellule du territoire)",
    )
    referentiel: str
    dimension: str
    phase: str
    periode: str
    secret: bool = Field(
        description="true : moins de personnes que le seuil ici, ou une cellule que "
        "d'autres chiffres publiés trahiraient ; aucun chiffre n'est donné"
    )
    repondants: int | None
    n: int | None = Field(description="Réponses terminées")
    moyenne: float | None = Field(
        description="Score moyen 0–100 ; null (l'effectif restant affiché) quand il fixerait la moyenne "
        "d'une cellule masquée"
    )
    repartition: dict[str, int | None] | None = Field(
        description="Réponses par niveau ; null quand un niveau compte moins que le seuil ou pourrait se "
        "déduire"
    )


class Aggregates(BaseModel):
    seuil: int
    niveau: str
    periode: str
    ventilation: str | None = None
    cellules: list[AggregateCell]


class ProgressCell(BaseModel):
    territoire: str
    referentiel: str
    dimension: str
    secret: bool
    paires: int | None
    moyenne_pre: float | None
    moyenne_post: float | None
    ecart_moyen: float | None


class ProgressAggregates(BaseModel):
    seuil: int
    niveau: str
    cellules: list[ProgressCell]
