"""What the synchronisation keeps: every fetched record, every run, the review queue and per-field
provenance."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from fne_directory.database import Base
from fne_directory.places.models import new_id
from fne_kernel.db import UTCDateTime


class SyncJob(Base):
    """One run of one source: who started it, how it went, what it counted and which errors it met."""

    __tablename__ = "sync_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    source: Mapped[str] = mapped_column(String(60))
    trigger: Mapped[str] = mapped_column(String(12))  # api | cli | schedule | import
    actor: Mapped[str] = mapped_column(String(120))
    # running → succeeded | partial (fetch stopped part-way: nothing withdrawn) | failed | cancelled |
    # interrupted
    status: Mapped[str] = mapped_column(String(12))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    complete_snapshot: Mapped[bool] = mapped_column(Boolean, default=False)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_sync_jobs_source_started", "source", "started_at"),
        # One run per source at a time, whichever process (service, command line, CronJob) starts it.
        Index(
            "ux_sync_jobs_running_source",
            "source",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )


class SourceRecord(Base):
    """A record as a source publishes it (raw), its content hash, and what the directory made of it.

    `kind` is `lieu` (a place: a data·inclusion/DORA structure, a YesWiki entry, a file row) or `service`
    (a data·inclusion/DORA service, which adds to the place of its structure: `parent_id`).
    """

    __tablename__ = "sync_source_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))
    source_id: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(String(200))
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    # active | quarantined | withdrawn (missing from a complete snapshot) | out_of_scope (no digital offer)
    status: Mapped[str] = mapped_column(String(12))
    normalised: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    quarantine_reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    warnings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    date_maj: Mapped[date | None] = mapped_column(Date)
    place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_job_id: Mapped[str | None] = mapped_column(String(36))
    # Changed (or its services did) since the directory last read it: kept until merged, so that a run
    # stopped part-way leaves the work for the next one rather than losing it.
    needs_merge: Mapped[bool] = mapped_column(Boolean, default=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("source", "kind", "source_id", name="uq_sync_source_records_key"),
        Index("ix_sync_source_records_parent", "source", "parent_id"),
        Index("ix_sync_source_records_status", "source", "status"),
        Index("ix_sync_source_records_needs_merge", "source", "needs_merge", "kind"),
        # Every run stamps each record it reads (last_seen_at, last_job_id: no index covers them). With half
        # of each page kept free, PostgreSQL writes the new version beside the old one (a HOT update) instead
        # of adding an entry to each of the table's six indexes: a re-sync's stamping costs a third to a half.
        {"postgresql_with": {"fillfactor": 50}},
    )


class MatchCandidate(Base):
    """A possible "same place" between a source record and a place, with its explained score.

    pending: in the review queue; confirmed / rejected by a coordinator; split: a merge undone.
    Rejected and split pairs are never proposed or merged again.
    """

    __tablename__ = "sync_match_candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("sync_source_records.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (UniqueConstraint("record_id", "place_id", name="uq_sync_match_candidates_pair"),)


class FieldProvenance(Base):
    """Which source record gave a merged place each of its fields, and why that one (the precedence rule).

    Or, with source and rule `manual`, no record: a person edited the field through the API, and
    synchronisations keep that value until a coordinator releases it (`fne_directory.sync.manual`).
    """

    __tablename__ = "sync_field_provenance"

    # A place's id, a record's id (None for a manual value), without foreign keys: PostgreSQL would check them
    # row by row (a first synchronisation writes hundreds of thousands of these rows), and places and records
    # are never deleted.
    place_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(60))
    date_maj: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str] = mapped_column(String(20))
    # A manual value: who edited the field, and when.
    edited_by: Mapped[str | None] = mapped_column(String(120))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PlaceMerge(Base):
    """Two published places found to be one real place: proposed for review, merged (the other place retired
    into the kept one, with a redirect), rejected, or split (a merge undone). `sync/place_merges.py`.

    `place_id` is the place kept, `other_id` the one retired into it. `reasons` holds the evidence (per
    criterion, as for the merges of records) and the conflicts between manual fields; `moved` what the merge
    moved from the retired place to the kept one, so that splitting it moves exactly that back.
    """

    __tablename__ = "sync_place_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    # pending (review) | merged | rejected | split
    status: Mapped[str] = mapped_column(String(12), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON)
    moved: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120))
    split_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    split_by: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (UniqueConstraint("place_id", "other_id", name="uq_sync_place_merges_pair"),)
