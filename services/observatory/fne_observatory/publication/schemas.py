from pydantic import BaseModel, Field

from fne_kernel.pagination import Page
from fne_observatory.indicators.models import Secrecy
from fne_observatory.indicators.schemas import IndicatorOut
from fne_observatory.territories.models import Level


class SourceOut(BaseModel):
    import_id: str
    jeu: str
    version: int
    titre: str
    source: str
    millesime: str


class ValueOut(BaseModel):
    niveau: Level
    code: str
    nom: str
    periode: str
    valeur: float | None = Field(
        description="Absente quand la valeur est couverte par le secret statistique ou que les données sont "
        "partielles"
    )
    numerateur: float | None = None
    denominateur: float | None = None
    secret: Secrecy | None = Field(
        None, description="primaire, secondaire ou source : pourquoi la valeur est tue"
    )
    statut: str = Field(description="provisoire ou definitif")
    origine: str = Field(
        description="observee (donnée de la source) ou agregee (calculée depuis les communes)"
    )
    methode: str | None = Field(None, description="Pour les temps d'accès : osrm ou estimation")
    communes_couvertes: int | None = Field(None, description="Pour un agrégat : communes ayant une valeur")
    communes: int | None = Field(None, description="Pour un agrégat : communes du territoire")
    couverture: float | None = Field(
        None,
        description="Part de la population du territoire couverte par les valeurs dont il est calculé (0–1)",
    )
    donnees_partielles: bool = Field(
        False,
        description="Couverture sous le seuil (95 % par défaut) : la valeur n'est pas publiée comme celle du "
        "territoire",
    )
    import_id: str | None = None


class ValuesPage(Page[ValueOut]):
    indicateur: IndicatorOut
    periode: str | None
    periodes: list[str] = Field(description="Périodes publiées pour cet indicateur, de la plus ancienne")
    sources: list[SourceOut]
    population_millesime: str | None = Field(description="Millésime des populations (pondérations, ratios)")


class ProfileEntry(BaseModel):
    indicateur: str
    libelle: str
    theme: str
    unite: str
    decimales: int
    polarite: str
    periode: str
    territoire: ValueOut
    departement: ValueOut | None
    france: ValueOut | None


class Profile(BaseModel):
    territoire: dict[str, str | int | float | None]
    departement: str | None = Field(description="Code du département de comparaison")
    indicateurs: list[ProfileEntry]
    sources: list[SourceOut]


class SeriesOut(BaseModel):
    indicateur: IndicatorOut
    territoire: ValueOut | None = Field(description="Dernière valeur")
    points: list[ValueOut]
    departement: list[ValueOut]
    france: list[ValueOut]
    sources: list[SourceOut]
