"""Frameworks of dimensions, as read from their definition files (data, not code: the network edits them)."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,59}$")]
# A capacity web ("toile") is read at a glance: fewer axes say too little, more are no longer a radar.
TOILE_AXES = (6, 10)


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: int
    code: Code
    label: str
    min_percent: float = Field(ge=0, le=100, description="Score 0–100 from which this level is reached")


class ScalePoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: int
    code: Code
    label: str


class Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    label: str
    parent: Code | None = Field(None, description="A domain rolling up its competences' scores")
    group: str | None = None
    question: str | None = Field(None, description="What a self-assessment asks about this dimension")
    digcomp: str | None = Field(None, description="Closest DigComp 2.2 area or competence")
    digcomp_related: list[str] = []


class Framework(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    version: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,20}$")]
    kind: Literal["referentiel", "toile"] = Field(
        "referentiel",
        description="toile: a capacity web of 6 to 10 axes self-assessed on its own scale; the "
        "service publishes its questionnaire from this file",
    )
    title: str
    description: str = ""
    source: str = ""
    scale: list[ScalePoint] = Field([], description="The answer scale of the framework's own self-assessment")
    levels: list[Level] = Field(min_length=2)
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "Framework":
        codes = [dimension.code for dimension in self.dimensions]
        if len(set(codes)) != len(codes):
            raise ValueError("codes de dimensions en double")
        for dimension in self.dimensions:
            if dimension.parent is not None and dimension.parent not in codes:
                raise ValueError(f"dimension {dimension.code} : parent inconnu {dimension.parent}")
        thresholds = [level.min_percent for level in self.levels]
        if thresholds[0] != 0 or thresholds != sorted(set(thresholds)):
            raise ValueError("les niveaux commencent à 0 % et leurs seuils croissent strictement")
        if self.kind == "toile":
            self._check_toile()
        return self

    def _check_toile(self) -> None:
        fewest, most = TOILE_AXES
        if not fewest <= len(self.dimensions) <= most:
            raise ValueError(f"une toile a de {fewest} à {most} axes ({len(self.dimensions)} ici)")
        if any(dimension.parent for dimension in self.dimensions):
            raise ValueError("les axes d'une toile n'ont pas de parent")
        values = [point.value for point in self.scale]
        if len(values) < 2 or values != sorted(set(values)):
            raise ValueError(
                "une toile a une échelle d'au moins deux points, de valeurs strictement croissantes"
            )
        codes = [point.code for point in self.scale]
        if len(set(codes)) != len(codes):
            raise ValueError("codes de l'échelle en double")

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    def dimension(self, code: str) -> Dimension | None:
        return next((dimension for dimension in self.dimensions if dimension.code == code), None)

    def ancestors(self, code: str) -> list[str]:
        """The dimension and the domains above it: a competence's points also count for its domain."""
        chain: list[str] = []
        current = self.dimension(code)
        while current is not None:
            chain.append(current.code)
            current = self.dimension(current.parent) if current.parent else None
        return chain

    def level_for(self, percent: float) -> Level:
        # A hundredth of tolerance: 5/8 stored as 62.4999… still reaches the 62.5 threshold.
        return [level for level in self.levels if percent + 0.01 >= level.min_percent][-1]
