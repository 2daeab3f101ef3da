from datetime import datetime

from pydantic import BaseModel, Field


class ComputedIndicatorOut(BaseModel):
    indicateur: str = Field(description="Indicateur de la feuille de route (ex. 7.2)")
    libelle: str
    indicateur_catalogue: str
    indicateur_catalogue_libelle: str
    source: str
    formule: str
    periode: str | None = Field(description="Période de la dernière valeur du département suivi")
    valeur: float | None
    calcule_le: datetime | None
    verifie_le: datetime | None = Field(
        description="Dernier calcul de sa source, valeurs inchangées comprises : la date de vérification"
    )
