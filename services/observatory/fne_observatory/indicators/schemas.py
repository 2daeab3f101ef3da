from typing import Annotated, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from fne_observatory.indicators.models import Aggregation, Periodicity, Polarity, Unit
from fne_observatory.territories.models import Level

INDICATOR_CODE = r"^[a-z][a-z0-9_.-]{1,79}$"
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class IndicatorBody(BaseModel):
    libelle: Label
    description: Annotated[str, StringConstraints(max_length=4000)] = ""
    theme: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    unite: Unit
    echelle: float = Field(
        1.0,
        gt=0,
        description="Multiplicateur d'un ratio : 100 pour un %, 10 000 pour un taux pour 10 000 habitants",
    )
    decimales: int = Field(1, ge=0, le=6)
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    methode: Annotated[str, StringConstraints(max_length=4000)] = ""
    niveaux: list[Level] = Field(min_length=1, description="Niveaux territoriaux où l'indicateur est publié")
    periodicite: Periodicity
    polarite: Polarity
    agregation: Aggregation
    minimum: float | None = Field(None, description="Valeur la plus basse admise à l'import")
    maximum: float | None = Field(None, description="Valeur la plus haute admise à l'import")
    seuil_secret: int | None = Field(
        None,
        ge=2,
        le=1000,
        description="Secret statistique : en dessous de ce "
        "effectif (hors zéro), la valeur n'est pas diffusée",
    )
    objectifs: list[int] = Field(
        default_factory=list, description="Objectifs de la feuille de route servis (1 à 21)"
    )

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum supérieur au maximum")
        if self.agregation == Aggregation.RATIO and self.unite == Unit.PERCENT and self.echelle != 100:
            raise ValueError("un pourcentage calculé comme ratio a une échelle de 100")
        return self


class IndicatorIn(IndicatorBody):
    code: Annotated[str, Field(pattern=INDICATOR_CODE, examples=["ifn_total"])]


class IndicatorOut(IndicatorIn):
    producteur: str = Field(description="import (fichiers), annuaire ou enquetes (calculés)")
