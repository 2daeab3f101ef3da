"""Sending the gateway's e-mails: queued in the request's transaction, delivered by the Courier."""

from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth.models import User
from fne_gateway.config import Settings
from fne_gateway.mail import messages
from fne_gateway.mail.models import OutboxMessage
from fne_kernel.db import after_commit
from fne_kernel.mail.outbox import Courier, enqueue


async def send_password_link(
    session: AsyncSession, courier: Courier, settings: Settings, user: User, token: str, *, invitation: bool
) -> bool:
    """Queues the link when an SMTP server is configured; False means the caller shows it instead."""
    if not settings.mail_enabled:
        return False
    enqueue(session, OutboxMessage, messages.password_link(user, token, settings, invitation=invitation))
    await session.flush()
    after_commit(session, courier.wake)
    return True
