import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, Row, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from fne_directory.database import Base
from fne_kernel.db import StringList, UTCDateTime, UTCIntervals


def new_id() -> str:
    return str(uuid.uuid4())


class Place(Base):
    """A lieu de médiation numérique: the national standard's fields plus what the platform needs."""

    __tablename__ = "places"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | withdrawn
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A place found to be another one (merged into it, sync/place_merges.py): withdrawn, and its address
    # answers with a redirect to the place kept. (No foreign key: places are never deleted, and adding one
    # would make SQLite rebuild the table.)
    replaced_by: Mapped[str | None] = mapped_column(String(36))

    pivot: Mapped[str | None] = mapped_column(String(14), index=True)
    nom: Mapped[str] = mapped_column(String(250))
    adresse: Mapped[str] = mapped_column(String(250))
    complement_adresse: Mapped[str | None] = mapped_column(String(250))
    commune: Mapped[str] = mapped_column(String(120))
    code_postal: Mapped[str] = mapped_column(String(5))
    code_insee: Mapped[str] = mapped_column(String(5), index=True)
    epci_code: Mapped[str | None] = mapped_column(String(9), index=True)
    departement_code: Mapped[str] = mapped_column(String(3), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    # exacte: given by the source; geocodee: from the national address base; commune: the commune's reference
    # point.
    geo_precision: Mapped[str] = mapped_column(String(10))
    telephone: Mapped[str | None] = mapped_column(String(16))
    courriels: Mapped[list[str]] = mapped_column(JSON, default=list)
    site_web: Mapped[list[str]] = mapped_column(JSON, default=list)
    horaires: Mapped[str | None] = mapped_column(Text)
    presentation_resume: Mapped[str | None] = mapped_column(String(280))
    presentation_detail: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(250))
    structure_parente: Mapped[str | None] = mapped_column(String(250))
    date_maj: Mapped[date] = mapped_column(Date, index=True)
    autres_formations_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    fiche_acces_libre: Mapped[str | None] = mapped_column(String(500))
    prise_rdv: Mapped[str | None] = mapped_column(String(500))
    # The enumerated multi-valued fields (vocabulary.TAG_FIELDS), as lists.
    tags: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # What searches filter on (tags, territory codes, opening slots), as `field=value` keys: filter_keys.py.
    filter_keys: Mapped[list[str]] = mapped_column(StringList(), default=list)
    # When the place is open, materialised from its OSM hours for the next weeks (for "open now / open at"),
    # and up to which moment (None: no usable hours).
    openings: Mapped[list[tuple[datetime, datetime]]] = mapped_column(UTCIntervals(), default=list)
    openings_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Name, commune, address and description without accents or case: what text search ranks by, and its
    # distinct words, what it matches (words.py).
    search_text: Mapped[str] = mapped_column(Text)
    search_words: Mapped[list[str]] = mapped_column(StringList(), default=list)

    __table_args__ = (
        Index("ix_places_geo", "latitude", "longitude"),
        Index("ix_places_nom_id", "nom", "id"),  # the default order of searches, read in index order
        # A département's active places in name order: its search counts them and reads its page here.
        Index(
            "ix_places_active_departement_nom",
            "departement_code",
            "nom",
            "id",
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
    )


# What a place is published from (results, exports): every column but the search machinery's — filter keys,
# opening intervals, search texts — the largest, which nothing shows.
PUBLISHED_COLUMNS = tuple(
    column
    for column in Place.__table__.columns
    if column.key
    not in {"filter_keys", "openings", "openings_until", "search_text", "search_words", "replaced_by"}
)
# A place read as those columns: a row with the same attributes as a Place, without an ORM object's cost.
PlaceRow = Row[Any]


class SearchWord(Base):
    """A word of the places' search texts: the vocabulary that typo-tolerant search looks into (words.py)."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(Text, primary_key=True)


class PlaceChange(Base):
    """The audit trail: who changed what, when, with old and new values."""

    __tablename__ = "place_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(12))  # create | update | withdraw | restore | merge | unmerge
    actor_kind: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(120))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)  # field → [old, new]
