from pydantic import BaseModel, Field


class PhaseCount(BaseModel):
    phase: str
    started: int
    completed: int


class DimensionStats(BaseModel):
    framework: str
    dimension: str
    label: str
    phase: str
    suppressed: bool = Field(
        False,
        description="true: fewer respondents than the threshold, or recoverable "
        "from the other campaigns' figures; no figure is given",
    )
    n: int | None
    mean: float | None = Field(description="Mean score 0–100")
    distribution: dict[str, int] | None = Field(
        description="Responses per level (level number as text); null when a level count would single "
        "people out"
    )


class PairedProgress(BaseModel):
    framework: str
    dimension: str
    label: str
    suppressed: bool = False
    pairs: int | None = Field(description="Respondents with a completed pre and post response")
    mean_pre: float | None
    mean_post: float | None
    mean_delta: float | None


class CampaignResults(BaseModel):
    campaign_id: str
    threshold: int = Field(description="Minimum respondents per published cell")
    started: int
    completed: int
    completion_rate: float | None = Field(description="Completed / started, 0–1")
    by_phase: list[PhaseCount]
    dimensions: list[DimensionStats]
    progress: list[PairedProgress]


class AggregateCell(BaseModel):
    territory: str = Field(
        description="INSEE code of the commune or department, SIREN of the EPCI; `total`; `inconnu`"
    )
    breakdown: str | None = Field(None, description="tranche_age, genre or statut_social when asked for")
    category: str | None = Field(
        None,
        description="With a breakdown: the age band, gender or social status "
        "(`inconnu` when not given), or `total` (the territory's cell)",
    )
    framework: str
    dimension: str
    phase: str
    period: str
    suppressed: bool = Field(
        description="true: fewer respondents than the threshold here, or a cell that any "
        "other published figures would give away; no figure is given"
    )
    respondents: int | None
    n: int | None = Field(description="Completed responses")
    mean: float | None = Field(
        description="Mean score 0–100; null (the count shown) when it would pin the mean of a hidden cell"
    )
    distribution: dict[str, int | None] | None = Field(
        description="Responses per level; null when a level holds fewer than the threshold or could be "
        "deduced"
    )


class Aggregates(BaseModel):
    threshold: int
    territory_level: str
    period: str
    breakdown: str | None = None
    cells: list[AggregateCell]


class ProgressCell(BaseModel):
    territory: str
    framework: str
    dimension: str
    suppressed: bool
    pairs: int | None
    mean_pre: float | None
    mean_post: float | None
    mean_delta: float | None


class ProgressAggregates(BaseModel):
    threshold: int
    territory_level: str
    cells: list[ProgressCell]
