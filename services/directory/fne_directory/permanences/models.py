"""Permanences: a person or a team of the network present in host places on given weekdays and hours.

A permanence belongs to the places it is held in: one row per permanence (who: a role, an optional person
id of the network service, a label shown only with consent) and one row per slot (where: a place of the
directory, or a commune for a stop of an itinerant tour outside any listed place; when: a weekday and local
hours). A tour is a permanence whose slots are in several places or communes.
"""

import uuid
from datetime import datetime, time

from sqlalchemy import ForeignKey, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from fne_directory.database import Base
from fne_kernel.db import UTCDateTime


def new_id() -> str:
    return str(uuid.uuid4())


class Permanence(Base):
    __tablename__ = "permanences"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | withdrawn
    version: Mapped[int] = mapped_column(Integer, default=1)
    role: Mapped[str] = mapped_column(String(40), index=True)
    # The person's id in the network service (services/network), when a known person holds it.
    person_id: Mapped[str | None] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(120))
    # Whether the label may be published (the person's consent, or a team's name): otherwise only the role is.
    label_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_by: Mapped[str] = mapped_column(String(120))


class PermanenceSlot(Base):
    __tablename__ = "permanence_slots"
    __table_args__ = (Index("ix_permanence_slots_place", "place_id", "permanence_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    permanence_id: Mapped[str] = mapped_column(ForeignKey("permanences.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"))
    code_insee: Mapped[str] = mapped_column(String(5), index=True)
    location_detail: Mapped[str | None] = mapped_column(String(200))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
