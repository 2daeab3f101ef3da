from pydantic import BaseModel, Field


class WhiteZone(BaseModel):
    code: str
    nom: str
    population: int | None
    periode: str
    minutes: float | None = Field(
        description="Temps jusqu'au conseiller numérique le plus proche ; absent quand "
        "aucun n'est à portée de route"
    )
    methode: str | None = Field(description="osrm ou estimation")
    classe: str = Field(
        description="Classe du temps d'accès, comme sur la carte des temps d'accès : « 20 à 30 min », "
        "« plus de 60 min », « aucun conseiller numérique à portée de route »"
    )
