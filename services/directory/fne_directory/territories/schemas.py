from pydantic import BaseModel, ConfigDict, Field

from fne_directory.territories.models import CommuneType, ReferencePointSource


class CommuneOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="Code INSEE")
    nom: str
    type: CommuneType = Field(description="COM : commune ; ARM : arrondissement de Paris, Lyon ou Marseille")
    parent_code: str | None = Field(description="Code INSEE de la commune d'un arrondissement municipal")
    codes_postaux: list[str]
    epci_code: str | None = Field(description="SIREN de l'EPCI à fiscalité propre (aucun pour quatre îles)")
    epci_nom: str | None
    departement_code: str
    departement_nom: str
    region_code: str
    region_nom: str
    population: int | None = Field(description="Population municipale")
    latitude: float | None
    longitude: float | None
    reference_point_source: ReferencePointSource | None = Field(
        description="Le point de référence est la mairie, ou un point intérieur au contour de la commune"
    )


class EpciOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="SIREN")
    nom: str
    nombre_communes: int
    population: int | None = Field(description="Somme des populations municipales de ses communes")
