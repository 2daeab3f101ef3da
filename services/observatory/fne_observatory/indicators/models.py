from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_observatory.database import Base


class Unit(StrEnum):
    COUNT = "nombre"
    PERCENT = "pourcentage"
    PER_10000_INHABITANTS = "pour_10000_habitants"
    SCORE = "score"
    MINUTES = "minutes"


class Periodicity(StrEnum):
    YEARLY = "annuelle"
    QUARTERLY = "trimestrielle"
    MONTHLY = "mensuelle"
    ONE_OFF = "ponctuelle"


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "hausse_favorable"
    LOWER_IS_BETTER = "baisse_favorable"
    NEUTRAL = "neutre"


class Aggregation(StrEnum):
    """How a value above the observed level is computed from the values below. Never an average of ratios."""

    SUM = "somme"  # counts
    RATIO = "ratio"  # Σ numerators / Σ denominators × scale
    WEIGHTED_MEAN = "moyenne_ponderee"  # Σ value × weight / Σ weight; weight: the population unless given
    NOT_AGGREGABLE = "non_agregeable"  # published only where observed


class ValueStatus(StrEnum):
    PROVISIONAL = "provisoire"
    FINAL = "definitif"


class Secrecy(StrEnum):
    """Why a published value is withheld."""

    PRIMARY = "primaire"  # its own count is under the indicator's disclosure threshold
    SECONDARY = "secondaire"  # withheld so that a primary one cannot be recovered by difference
    SOURCE = "source"  # withheld by the source (or computed from a value the source withheld)


class Origin(StrEnum):
    OBSERVED = "observee"
    AGGREGATED = "agregee"


class Indicator(Base):
    """An entry of the catalogue: what is measured, how, where, and how it adds up."""

    __tablename__ = "indicators"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(24))
    # Multiplier of a ratio (100 for a percentage, 10,000 for a rate per 10,000 inhabitants).
    scale: Mapped[float] = mapped_column(Float, default=1.0)
    decimals: Mapped[int] = mapped_column(default=1)
    source: Mapped[str] = mapped_column(String(300))
    method: Mapped[str] = mapped_column(Text, default="")
    levels: Mapped[list[str]] = mapped_column(JSON)
    periodicity: Mapped[str] = mapped_column(String(16))
    polarity: Mapped[str] = mapped_column(String(20))
    aggregation: Mapped[str] = mapped_column(String(20))
    minimum: Mapped[float | None]
    maximum: Mapped[float | None]
    disclosure_threshold: Mapped[int | None]
    # Who produces the values: files imported by analysts, or computations from the directory or the surveys.
    producer: Mapped[str] = mapped_column(String(20), default="import")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IndicatorObjective(Base):
    """A roadmap objective an indicator serves."""

    __tablename__ = "indicator_objectives"

    indicator_code: Mapped[str] = mapped_column(
        ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True
    )
    objective_number: Mapped[int] = mapped_column(ForeignKey("roadmap_objectives.number"), primary_key=True)


class PublishedValue(Base):
    """What the publication API reads: the current value of each indicator × territory × period, observed or
    aggregated, rebuilt for an (indicator, period) whenever its published observations change.

    A withheld value (`secrecy` set) keeps its numbers here, for the groupements drawn later, and the API
    never shows them; a value the source withheld has none.
    """

    __tablename__ = "published_values"
    __table_args__ = (
        Index(
            "ix_published_values_territory", "territory_level", "territory_code", "indicator_code", "period"
        ),
    )

    indicator_code: Mapped[str] = mapped_column(
        ForeignKey("indicators.code", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    territory_level: Mapped[str] = mapped_column(String(12), primary_key=True)
    territory_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[float | None]
    numerator: Mapped[float | None]
    denominator: Mapped[float | None]
    weight: Mapped[float | None]
    secrecy: Mapped[str | None] = mapped_column(String(12))
    origin: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    method: Mapped[str | None] = mapped_column(String(20))
    # For an aggregate: how many of the territory's communes (or departments) had a value.
    covered: Mapped[int | None]
    members: Mapped[int | None]
    # Share of the territory's population living in communes whose values it is computed from (1 when observed
    # as such); below the coverage threshold, an aggregate is not published as the territory's value.
    coverage: Mapped[float | None]
    import_id: Mapped[str | None] = mapped_column(String(36))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
