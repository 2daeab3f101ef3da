from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_observatory.database import Base
from fne_observatory.imports.models import new_id


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its process stopped (no heartbeat for STALE_AFTER, or shut down)
    CANCELLED = "cancelled"  # cancelled by a person: nothing published


class ComputationKind(StrEnum):
    DIRECTORY = "annuaire"
    SURVEYS = "enquetes"
    ROADMAP = "feuille-de-route"


class ComputationJob(Base):
    """One run of a long computation (the directory's indicators, the surveys' aggregates, the roadmap from
    live data): started by a request that answers 202 at once, followed at `/calculs/taches/{id}` until it
    succeeds, fails or is cancelled."""

    __tablename__ = "computation_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    progress: Mapped[float] = mapped_column(default=0.0)  # 0–1
    message: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[str | None] = mapped_column(ForeignKey("dataset_imports.id", ondelete="SET NULL"))
    # Every dataset version the run published (a roadmap run publishes one per source) and the sources it
    # left out, and why: {"imports": [ids], "skipped": {source: reason}}.
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The problem (RFC 9457 body) that ended a failed run.
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    cancelled_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
