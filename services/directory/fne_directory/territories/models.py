from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fne_directory.database import Base
from fne_kernel.db import UTCDateTime


class CommuneType(StrEnum):
    COMMUNE = "COM"
    ARRONDISSEMENT_MUNICIPAL = "ARM"  # of Paris, Lyon and Marseille


class ReferencePointSource(StrEnum):
    MAIRIE = "mairie"  # the town hall's location
    INTERIEUR = "interieur"  # a point inside the commune's outline, when the town hall is not reliably placed


class Commune(Base):
    """A commune (COM), or an arrondissement of Paris, Lyon or Marseille (ARM) with its city's code.

    Reference data, written only by the loader. An arrondissement carries its city's EPCI, department and
    region, so that filtering by any of them finds it.
    """

    __tablename__ = "communes"
    __table_args__ = (
        # text_pattern_ops lets PostgreSQL use the index for prefix LIKE whatever the database collation.
        Index("ix_communes_search_key", "search_key", postgresql_ops={"search_key": "text_pattern_ops"}),
    )

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    nom: Mapped[str] = mapped_column(String(80))
    search_key: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(3))
    parent_code: Mapped[str | None] = mapped_column(String(5))
    codes_postaux: Mapped[list[str]] = mapped_column(JSON)
    epci_code: Mapped[str | None] = mapped_column(String(9), index=True)
    epci_nom: Mapped[str | None] = mapped_column(String(200))
    departement_code: Mapped[str] = mapped_column(String(3), index=True)
    departement_nom: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(String(2))
    region_nom: Mapped[str] = mapped_column(String(80))
    population: Mapped[int | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    reference_point_source: Mapped[str | None] = mapped_column(String(10))


class CommunePostalCode(Base):
    """The postal codes of `Commune.codes_postaux`, one row each, so that a postal code is found by index."""

    __tablename__ = "commune_postal_codes"

    code_postal: Mapped[str] = mapped_column(String(5), primary_key=True)
    commune_code: Mapped[str] = mapped_column(
        ForeignKey("communes.code", ondelete="CASCADE"), primary_key=True, index=True
    )


class TerritoryDataset(Base):
    """What the last load of a reference dataset read: which package, which release, which vintage."""

    __tablename__ = "territory_datasets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    package: Mapped[str] = mapped_column(String(80))
    package_version: Mapped[str] = mapped_column(String(40))
    vintage: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    row_count: Mapped[int]
