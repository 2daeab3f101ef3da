from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from fne_observatory.indicators.models import ValueStatus
from fne_observatory.indicators.periods import PERIOD_PATTERN
from fne_observatory.territories.models import Level

Column = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
DATASET_SLUG = r"^[a-z0-9][a-z0-9_.-]{1,79}$"


class ColumnMapping(BaseModel):
    """Which columns give an indicator's value: `valeur`, or `numerateur` and `denominateur` (ratios, whose
    value is then computed), with `poids` for a weighted mean whose weights are not the population."""

    valeur: Column | None = None
    numerateur: Column | None = None
    denominateur: Column | None = None
    poids: Column | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.valeur is None and (self.numerateur is None or self.denominateur is None):
            raise ValueError("donnez `valeur`, ou `numerateur` et `denominateur`")
        if (self.numerateur is None) != (self.denominateur is None):
            raise ValueError("`numerateur` et `denominateur` vont ensemble")
        return self

    def columns(self) -> list[str]:
        return [column for column in (self.valeur, self.numerateur, self.denominateur, self.poids) if column]


class ImportParameters(BaseModel):
    """How to read a file: which dataset it is a version of, and its column mapping."""

    jeu: Annotated[
        str,
        Field(
            pattern=DATASET_SLUG,
            description="Jeu de données dont ce fichier est une version",
            examples=["ifn-savoie"],
        ),
    ]
    titre: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    millesime: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    statut: ValueStatus = ValueStatus.FINAL
    niveau: Level = Level.COMMUNE
    colonne_code: Column = Field(description="Colonne du code du territoire (INSEE, SIREN…)")
    periode: Annotated[
        str | None, Field(pattern=PERIOD_PATTERN, description="Période de tout le fichier")
    ] = None
    colonne_periode: Column | None = Field(
        None, description="Ou : colonne donnant la période de chaque ligne"
    )
    indicateurs: dict[Annotated[str, StringConstraints(max_length=80)], Column | ColumnMapping] = Field(
        min_length=1, description="Code d'indicateur → colonne de la valeur, ou correspondance détaillée"
    )
    feuille: Annotated[str | None, StringConstraints(max_length=100)] = Field(
        None, description="Feuille d'un classeur XLSX (la première par défaut)"
    )
    note: Annotated[str | None, StringConstraints(max_length=2000)] = None

    @model_validator(mode="after")
    def _one_period(self) -> Self:
        if (self.periode is None) == (self.colonne_periode is None):
            raise ValueError("donnez soit `periode`, soit `colonne_periode`")
        if self.niveau == Level.GROUPING:
            raise ValueError("les groupements sont calculés depuis leurs communes, pas importés")
        return self

    def mappings(self) -> dict[str, ColumnMapping]:
        return {
            code: ColumnMapping(valeur=target) if isinstance(target, str) else target
            for code, target in self.indicateurs.items()
        }


class ImportOut(BaseModel):
    id: str
    jeu: str
    version: int
    type: str
    titre: str
    source: str
    millesime: str
    statut_valeurs: str
    statut: str = Field(
        description="valide (non public), publie, remplace (par une version plus récente), retire"
    )
    fichier: str | None
    empreinte_sha256: str | None
    parametres: dict[str, Any]
    rapport: dict[str, Any]
    observations: int
    cree_le: datetime
    cree_par: str
    publie_le: datetime | None
    publie_par: str | None
    retire_le: datetime | None
    retire_par: str | None
    note: str | None
    verifie_le: datetime | None = Field(
        default=None,
        description="Calcul : dernière fois que ses valeurs ont été calculées et trouvées inchangées (ou son "
        "calcul, au départ) — la date de vérification des données",
    )
