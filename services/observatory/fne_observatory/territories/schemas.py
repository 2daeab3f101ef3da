import re
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from fne_observatory.territories.models import Level

GROUPING_CODE = r"^[a-z0-9][a-z0-9-]{1,39}$"


class TerritoryRef(BaseModel):
    niveau: Level
    code: str


class TerritoryOut(BaseModel):
    niveau: Level
    code: str = Field(
        description="Code INSEE (commune, département, région), SIREN (EPCI), FR, ou code choisi"
    )
    nom: str
    population: int | None = Field(
        description="Population municipale (millésime : voir /territoires/sources)"
    )
    epci_code: str | None
    departement_code: str | None = Field(
        description="Département (pour un EPCI ou un groupement : celui où "
        "vit la plus grande partie de sa population)"
    )
    region_code: str | None
    latitude: float | None
    longitude: float | None
    superficie_km2: float | None
    description: str | None = None
    membres: list[TerritoryRef] | None = Field(None, description="Communes et EPCI d'un groupement")


class GroupingUpdate(BaseModel):
    nom: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str | None, StringConstraints(max_length=2000)] = None
    membres: list[TerritoryRef] = Field(min_length=1, max_length=5000)

    @field_validator("membres")
    @classmethod
    def _communes_or_epcis(cls, members: list[TerritoryRef]) -> list[TerritoryRef]:
        for member in members:
            if member.niveau not in (Level.COMMUNE, Level.EPCI):
                raise ValueError("un groupement réunit des communes ou des EPCI")
        return members


class GroupingIn(GroupingUpdate):
    code: Annotated[
        str,
        Field(
            pattern=GROUPING_CODE,
            description="Identifiant court : minuscules, chiffres, -",
            examples=["maurienne"],
        ),
    ]


class TerritorySourceOut(BaseModel):
    jeu: str
    paquet: str
    version: str
    millesime: str
    perimetre: str = Field(description="France, ou les départements chargés")
    charge_le: str
    territoires: int


def parse_ref(value: str) -> tuple[Level, str]:
    """`departement:73` → (departement, "73"); the form every `dans=` parameter takes."""
    match = re.fullmatch(r"([a-z]+):([A-Za-z0-9-]{1,40})", value)
    if not match or match.group(1) not in Level.__members__.values():
        raise ValueError(f"territoire attendu sous la forme niveau:code (niveaux : {', '.join(Level)})")
    return Level(match.group(1)), match.group(2)
