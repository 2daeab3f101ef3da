import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_observatory.database import Base


class ImportStatus(StrEnum):
    VALID = "valide"  # checked and stored, not public
    PUBLISHED = "publie"  # its values are the published ones
    REPLACED = "remplace"  # a later version of the same dataset was published over it
    WITHDRAWN = "retire"  # withdrawn: its values are no longer published


class ImportKind(StrEnum):
    FILE = "fichier"  # a CSV or XLSX file uploaded by an analyst
    DIRECTORY = "annuaire"  # computed from the directory
    SURVEYS = "enquetes"  # aggregates of the surveys service
    NETWORK = "reseau"  # the network service's statistics (roadmap_values/)
    COOP = "coop"  # La Coop de la médiation numérique (coop/)
    COMPUTED = "calcul"  # the observatory's own records: committees, datasets (roadmap_values/)


def new_id() -> str:
    return str(uuid.uuid4())


class DatasetImport(Base):
    """One version of a dataset: where it came from, how it was read, what the validation found."""

    __tablename__ = "dataset_imports"
    __table_args__ = (UniqueConstraint("dataset", "version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dataset: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300))
    vintage: Mapped[str] = mapped_column(String(100))
    value_status: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), index=True)
    filename: Mapped[str | None] = mapped_column(String(255))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    # A computation's values (sorted, canonical JSON) hashed: an unchanged computation stores no new version.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    # The latest computation that found these very values (created_at at first): the data's date of check.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    observation_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Observation(Base):
    """A value as a dataset version gives it: indicator × territory × period, with what aggregation needs."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("import_id", "indicator_code", "period", "territory_level", "territory_code"),
        # Rebuilding an (indicator, period), and finding another dataset's values for the same cell.
        Index("ix_observations_cell", "indicator_code", "period", "territory_level", "territory_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    import_id: Mapped[str] = mapped_column(ForeignKey("dataset_imports.id", ondelete="CASCADE"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    period: Mapped[str] = mapped_column(String(10))
    territory_level: Mapped[str] = mapped_column(String(12))
    territory_code: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None]
    numerator: Mapped[float | None]
    denominator: Mapped[float | None]
    weight: Mapped[float | None]
    # The source withheld this value (secret statistique): no value, and nothing computed from it is
    # published.
    source_secret: Mapped[bool] = mapped_column(default=False)
    method: Mapped[str | None] = mapped_column(String(20))
