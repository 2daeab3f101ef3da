from typing import Annotated, Literal

from pydantic import BaseModel, Field


class SurveysSync(BaseModel):
    referentiel: Annotated[str, Field(min_length=1, max_length=40, examples=["pix"])]
    periode: Literal["annee", "trimestre", "mois"] = "annee"
    departement: Annotated[str | None, Field(pattern=r"^(\d{2,3}|2[AB])$")] = Field(
        None, description="Le département suivi par défaut"
    )
    annee_progression: Annotated[int | None, Field(ge=2020, le=2100)] = Field(
        None, description="Année dont la progression avant/après est lue (aucune par défaut)"
    )
