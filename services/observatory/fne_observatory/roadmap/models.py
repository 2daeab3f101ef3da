from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_observatory.database import Base


class ObjectiveStatus(StrEnum):
    NOT_STARTED = "non_demarre"
    IN_PROGRESS = "en_cours"
    LATE = "en_retard"
    ACHIEVED = "atteint"
    ABANDONED = "abandonne"


class MilestoneStatus(StrEnum):
    UPCOMING = "a_venir"
    REACHED = "atteint"
    POSTPONED = "reporte"


class MeetingKind(StrEnum):
    STEERING_COMMITTEE = "comite_suivi"
    TECHNICAL_COMMITTEE = "comite_technique"
    PARTNERS_COMMITTEE = "comite_partenaires"  # the observatory's partners' committee (objective 1)


class Axis(Base):
    __tablename__ = "roadmap_axes"

    number: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    priorities: Mapped[list[str]] = mapped_column(JSON)


class Objective(Base):
    """One of the 21 objective sheets of the roadmap: its text comes from the data file, its status from the
    comité de suivi."""

    __tablename__ = "roadmap_objectives"

    number: Mapped[int] = mapped_column(primary_key=True)
    axis_number: Mapped[int] = mapped_column(ForeignKey("roadmap_axes.number"))
    title: Mapped[str] = mapped_column(String(300))
    aims: Mapped[list[str]] = mapped_column(JSON)
    actions: Mapped[list[str]] = mapped_column(JSON)
    actors: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=ObjectiveStatus.NOT_STARTED)
    status_comment: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ObjectiveStatusChange(Base):
    """The history of an objective's status, for "what changed since the last meeting"."""

    __tablename__ = "roadmap_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    objective_number: Mapped[int] = mapped_column(ForeignKey("roadmap_objectives.number"), index=True)
    previous_status: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str] = mapped_column(String(200))


class RoadmapIndicator(Base):
    """An "indicateur de réalisation et de réussite" of an objective, with its target; its values are recorded
    by hand, or read from the observatory when it is linked to a catalogue indicator."""

    __tablename__ = "roadmap_indicators"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "7.2": objective 7, second indicator
    objective_number: Mapped[int] = mapped_column(ForeignKey("roadmap_objectives.number"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))  # quantitatif | qualitatif
    unit: Mapped[str | None] = mapped_column(String(40))
    baseline: Mapped[float | None]
    target: Mapped[float | None]
    target_text: Mapped[str | None] = mapped_column(Text)
    target_date: Mapped[date | None] = mapped_column(Date)
    catalogue_indicator: Mapped[str | None] = mapped_column(ForeignKey("indicators.code"))
    from_data_file: Mapped[bool] = mapped_column(default=True)


class RoadmapValue(Base):
    """A value recorded for a roadmap indicator, as of a date, with its comment and evidence."""

    __tablename__ = "roadmap_values"
    __table_args__ = (Index("ix_roadmap_values_indicator_date", "indicator_id", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    indicator_id: Mapped[str] = mapped_column(ForeignKey("roadmap_indicators.id", ondelete="CASCADE"))
    as_of: Mapped[date] = mapped_column(Date)
    value: Mapped[float | None]
    text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(200))


class Milestone(Base):
    """A dated step of an objective (the observatory's data waves, its beta platform…)."""

    __tablename__ = "roadmap_milestones"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "1.b"
    objective_number: Mapped[int] = mapped_column(ForeignKey("roadmap_objectives.number"), index=True)
    label: Mapped[str] = mapped_column(Text)
    due_label: Mapped[str] = mapped_column(String(100))  # as the roadmap says it ("Automne 2025")
    due_date: Mapped[date] = mapped_column(Date)  # the latest day that wording allows
    status: Mapped[str] = mapped_column(String(10), default=MilestoneStatus.UPCOMING)
    reached_on: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Meeting(Base):
    """A comité de suivi or comité technique meeting, with its documents."""

    __tablename__ = "roadmap_meetings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
