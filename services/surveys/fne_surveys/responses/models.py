from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_surveys.database import Base
from fne_surveys.ids import new_id


class Respondent(Base):
    """A person, pseudonymous: a keyed hash of the beneficiary code their mediator uses (none for a public
    link's anonymous citizen), and coarse attributes only. No name, e-mail or phone number is ever stored
    here."""

    __tablename__ = "respondents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    pseudonym: Mapped[str | None] = mapped_column(String(64), unique=True)
    age_band: Mapped[str | None] = mapped_column(String(10))
    commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    epci_code: Mapped[str | None] = mapped_column(String(9), index=True)  # derived from the commune
    gender: Mapped[str | None] = mapped_column(String(12))
    social_status: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Consent(Base):
    """What the person agreed to, when, and whether their results are shared yet (to share → shared)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    respondent_id: Mapped[str] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sharing: Mapped[str] = mapped_column(String(12))  # a_partager | partage
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("respondent_id", "purpose"),)


COMPLETED_PAIRED_PHASE = "status = 'completed' AND phase IN ('pre', 'post')"


class Response(Base):
    """One filling of a questionnaire version by a respondent, at a phase of their accompaniment."""

    __tablename__ = "responses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"))
    questionnaire_id: Mapped[str] = mapped_column(ForeignKey("questionnaires.id"))
    respondent_id: Mapped[str] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(10))  # pre | post | follow_up
    status: Mapped[str] = mapped_column(String(12))  # in_progress | completed
    source: Mapped[str] = mapped_column(String(12))  # mediator | public | pix_orga
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The mediator's account (Principal.subject) or the API key; never anything about the beneficiary.
    administered_by: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # Also the index of lookups by campaign (first column): no second index on campaign_id, so that the
        # replay check cannot be planned on another (see the migration c4e8a17f5b92).
        UniqueConstraint("campaign_id", "idempotency_key"),
        Index("ix_responses_completed_at", "completed_at"),
        # One completed pre and one post per person, campaign and instrument: what pairing relies on.
        Index(
            "uq_responses_completed_phase",
            "campaign_id",
            "respondent_id",
            "phase",
            "source",
            unique=True,
            postgresql_where=text(COMPLETED_PAIRED_PHASE),
            sqlite_where=text(COMPLETED_PAIRED_PHASE),
        ),
    )


class ResponseScore(Base):
    """A response's score on one dimension, with the scoring rules' version that produced it."""

    __tablename__ = "response_scores"

    response_id: Mapped[str] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    framework: Mapped[str] = mapped_column(String(60), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(60), primary_key=True)
    framework_version: Mapped[str] = mapped_column(String(20))
    scoring_version: Mapped[str] = mapped_column(String(120))
    raw: Mapped[float] = mapped_column(Float)
    maximum: Mapped[float] = mapped_column(Float)
    percent: Mapped[float] = mapped_column(Float)
    level: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_response_scores_dimension", "framework", "dimension"),)


class ResponseChange(Base):
    """The edit trail of a response: who changed which answers, when, old and new values."""

    __tablename__ = "response_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    response_id: Mapped[str] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(12))  # start | save | complete | reopen
    actor: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
