from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fne_kernel.db import UTCDateTime
from fne_network.database import Base
from fne_network.ids import new_id


class Person(Base):
    """A professional of the network (never a beneficiary): only what the network needs to coordinate."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(30), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    # Consent to appear publicly (name, role, employers, programmes, contact); withdrawn at any time.
    public_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    public_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    active_since: Mapped[date] = mapped_column(Date)
    active_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))
    # Raised by every change: the ETag `"<id>.<version>"` that writes send back (fne_kernel.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    employers: Mapped[list["Employer"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Employer.position", lazy="selectin"
    )
    programmes: Mapped[list["Programme"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Programme.code", lazy="selectin"
    )


class Employer(Base):
    """A structure employing the person; the first one is the main employer (its commune places the person).
    Two or more employers make a mutualised post."""

    __tablename__ = "person_employers"
    __table_args__ = (UniqueConstraint("person_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    structure_id: Mapped[str | None] = mapped_column(String(64))  # the directory's structure or place id
    name: Mapped[str] = mapped_column(String(200))
    commune: Mapped[str | None] = mapped_column(String(5))

    person: Mapped[Person] = relationship(back_populates="employers")


class Programme(Base):
    """A programme the person is in: Conseiller numérique, Aidants Connect (habilitation), France Services."""

    __tablename__ = "person_programmes"
    __table_args__ = (UniqueConstraint("person_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="programmes")
