from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fne_directory.database import Base
from fne_kernel.db import UTCDateTime


class SavedSearch(Base):
    """A search someone follows by e-mail: confirmed by a link before anything is sent, at most one message a
    week listing the new or changed places that match, one-click unsubscription. The confirmation secret is
    kept hashed."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    # The search as the query string of GET /lieux (filters only), and a name for the messages.
    query: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(200))
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Kept as is (it can only stop the messages): every message carries the same one-click link.
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Places changed after this moment are the next message's news.
    checked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
