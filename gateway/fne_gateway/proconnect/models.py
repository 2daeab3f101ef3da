from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fne_gateway.database import Base
from fne_kernel.db import UTCDateTime


class SignInFlow(Base):
    """One sign-in under way: what the return from ProConnect must match (state, nonce, PKCE verifier).
    Keyed by the state's SHA-256; deleted when used, so a replayed return finds nothing."""

    __tablename__ = "proconnect_flows"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(128))
    code_verifier: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ProConnectIdentity(Base):
    """The ProConnect subject last seen for an account (matched by e-mail), for the administrators' record."""

    __tablename__ = "proconnect_identities"

    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_siret: Mapped[str | None] = mapped_column(String(14))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
