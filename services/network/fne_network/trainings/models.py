from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_network.database import Base
from fne_network.ids import new_id


class TrainingSession(Base):
    """A training session of the network (aidants, secrétaires de mairie, partners' agents…)."""

    __tablename__ = "training_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(
        String(30)
    )  # aidants | secretaires_mairie | agents_partenaires | autre
    programme: Mapped[str | None] = mapped_column(String(30))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    commune: Mapped[str | None] = mapped_column(String(5), index=True)
    place_id: Mapped[str | None] = mapped_column(String(64))
    place_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int | None] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Raised by every change: the ETag `"<id>.<version>"` that writes send back (fne_kernel.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Registration(Base):
    """Someone registered to a session: a person of the network, or a participant known by name only.

    When a person's data is erased, their registrations stay as anonymous counts (no name, no link)."""

    __tablename__ = "training_registrations"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    participant_name: Mapped[str | None] = mapped_column(String(200))
    participant_structure: Mapped[str | None] = mapped_column(String(200))
    attended: Mapped[bool | None] = mapped_column(Boolean)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    erased: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
