from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKeyConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_observatory.database import Base


class Level(StrEnum):
    """Territorial levels, from the finest. A groupement is made of communes (given directly or as EPCIs)."""

    COMMUNE = "commune"
    EPCI = "epci"
    GROUPING = "groupement"
    DEPARTMENT = "departement"
    REGION = "region"
    COUNTRY = "pays"


FRANCE_CODE = "FR"


class GeometryTier(StrEnum):
    """Geometry simplifications, coarsest first; `tier_for_zoom` picks one for a web-map zoom level."""

    COARSE = "grossier"  # country and region maps
    MEDIUM = "moyen"  # a department's communes
    FINE = "fin"  # a few communes, close up


class Territory(Base):
    """A commune, EPCI, department, region, France, or a user-defined groupement. Key: (level, code).

    Communes carry their parents; other levels carry the department they mostly lie in (for profiles that
    compare a territory with its department).
    """

    __tablename__ = "territories"
    __table_args__ = (
        Index("ix_territories_departement", "departement_code", "level"),
        Index("ix_territories_epci", "epci_code"),
    )

    level: Mapped[str] = mapped_column(String(12), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None]
    epci_code: Mapped[str | None] = mapped_column(String(9))
    departement_code: Mapped[str | None] = mapped_column(String(3))
    region_code: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    area_km2: Mapped[float | None]
    description: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupingMember(Base):
    """A commune or an EPCI that is part of a groupement, as the analyst gave it."""

    __tablename__ = "grouping_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["grouping_level", "grouping_code"], ["territories.level", "territories.code"], ondelete="CASCADE"
        ),
    )

    grouping_level: Mapped[str] = mapped_column(String(12), primary_key=True, default=Level.GROUPING)
    grouping_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    member_level: Mapped[str] = mapped_column(String(12), primary_key=True)
    member_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class TerritoryGeometry(Base):
    """A territory's outline at one simplification tier, stored as GeoJSON text ready to be written out."""

    __tablename__ = "territory_geometries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["level", "code"], ["territories.level", "territories.code"], ondelete="CASCADE"
        ),
    )

    level: Mapped[str] = mapped_column(String(12), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    tier: Mapped[str] = mapped_column(String(10), primary_key=True)
    geojson: Mapped[str] = mapped_column(Text)


class CommuneAlias(Base):
    """A code that is not a current commune but points to one: a former commune merged into a commune
    nouvelle (commune déléguée or associée), or a municipal arrondissement of Paris, Lyon or Marseille."""

    __tablename__ = "commune_aliases"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))  # COMD, COMA or ARM, INSEE's types
    nom: Mapped[str] = mapped_column(String(200))
    commune_code: Mapped[str] = mapped_column(String(5))


class TerritoryDataset(Base):
    """What the last territory load read: package, release, vintage and which departments."""

    __tablename__ = "territory_datasets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    package: Mapped[str] = mapped_column(String(80))
    package_version: Mapped[str] = mapped_column(String(40))
    vintage: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)  # "France" or the department codes loaded
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    row_count: Mapped[int]
