from datetime import datetime

from pydantic import BaseModel, Field

from fne_observatory.imports.schemas import ImportOut


class RefreshOut(BaseModel):
    calculs: list[ImportOut] = Field(description="Un jeu calculé et publié par source")
    sources_ignorees: dict[str, str] = Field(description="Sources non calculées, et pourquoi")


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
