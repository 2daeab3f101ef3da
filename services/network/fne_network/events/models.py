from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_network.database import Base
from fne_network.ids import new_id


class Event(Base):
    """An event of the public agenda: café numérique, atelier, Semaine du numérique, NEC Savoie, forum…"""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(30), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    commune: Mapped[str] = mapped_column(String(5), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    place_id: Mapped[str | None] = mapped_column(String(64))
    place_name: Mapped[str | None] = mapped_column(String(200))
    audience: Mapped[str | None] = mapped_column(String(300))  # "pour qui", in words
    free: Mapped[bool] = mapped_column(Boolean, default=True)
    price: Mapped[str | None] = mapped_column(String(100))
    registration_url: Mapped[str | None] = mapped_column(String(2083))
    organiser: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    participants: Mapped[int | None] = mapped_column(Integer)
    partners: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # RFC 5545 SEQUENCE: bumped at each change
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Raised by every change: the ETag `"<id>.<version>"` that writes send back (fne_kernel.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
