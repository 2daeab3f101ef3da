from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fne_kernel.db import UTCDateTime
from fne_surveys.database import Base
from fne_surveys.ids import new_id


class Campaign(Base):
    """A questionnaire version used by a structure over a period, filled with a mediator, alone through a
    public link, or both."""

    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    structure: Mapped[str | None] = mapped_column(String(200))
    territory_code: Mapped[str | None] = mapped_column(String(9))
    mode: Mapped[str] = mapped_column(String(10))  # mediator | public | both
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    quota: Mapped[int | None] = mapped_column(Integer)
    retention_days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
