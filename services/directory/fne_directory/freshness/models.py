from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fne_directory.database import Base
from fne_kernel.db import UTCDateTime
from fne_kernel.mail.models import OutboxMessageColumns


class OutboxMessage(OutboxMessageColumns, Base):
    """The directory's e-mails waiting to leave or sent (freshness requests, saved searches)."""

    __tablename__ = "outbox_messages"


class FreshnessRequest(Base):
    """One "vos informations sont-elles à jour ?" message to a place's contact and what became of it.
    Only the SHA-256 of the link's secret is kept; the link serves once (confirm or correct)."""

    __tablename__ = "freshness_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(String(12))  # confirme | corrige
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ContactOptOut(Base):
    """A place's contact who asked to receive no more freshness messages (the e-mail's SHA-256 only)."""

    __tablename__ = "contact_opt_outs"

    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlaceProposal(Base):
    """A change proposed from outside: a contact's correction through a freshness link, or a public
    "signaler une erreur" report. Coordinators accept (the changes are applied) or reject it."""

    __tablename__ = "place_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(12))  # contact | signalement
    request_id: Mapped[int | None] = mapped_column(ForeignKey("freshness_requests.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(30))
    message: Mapped[str | None] = mapped_column(Text)
    # Field → proposed value, and field → [value when proposed, proposed value].
    patch: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    diff: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="en_attente", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision_note: Mapped[str | None] = mapped_column(String(500))
