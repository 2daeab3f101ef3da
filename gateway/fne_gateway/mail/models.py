from fne_gateway.database import Base
from fne_kernel.mail.models import OutboxMessageColumns


class OutboxMessage(OutboxMessageColumns, Base):
    """The gateway's e-mails waiting to leave or sent (invitations, new-password links)."""

    __tablename__ = "outbox_messages"
