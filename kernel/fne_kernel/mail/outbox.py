"""Queueing (in the request's transaction) and delivering (in the background, with retries) e-mails."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Any, Protocol

import aiosmtplib
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_kernel.db import utcnow
from fne_kernel.logging import get_logger
from fne_kernel.mail.settings import MailSettings

logger = get_logger("fne.mail")
BATCH = 50
# After the n-th failure, the next attempt waits 1, 2, 4… minutes, at most 6 hours.
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    text: str
    html: str
    kind: str
    headers: tuple[tuple[str, str], ...] = ()


class Outbox(Protocol):
    """A component's outbox model (OutboxMessageColumns mapped on its Base)."""

    def __call__(self, **values: Any) -> Any: ...


def enqueue(session: AsyncSession, model: type, mail: Mail, now: datetime | None = None) -> Any:
    """Adds the message to the outbox; it leaves once the request's transaction commits."""
    now = now or utcnow()
    row = model(
        kind=mail.kind,
        recipient=mail.recipient,
        subject=mail.subject,
        text_body=mail.text,
        html_body=mail.html,
        headers="\n".join(f"{name}: {value}" for name, value in mail.headers),
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )
    session.add(row)
    return row


# Headers are not folded below the RFC's 998 characters: Python's folding of encoded words loses spaces.
POLICY = policy.default.clone(max_line_length=998)


def build_message(row: Any, settings: MailSettings) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.mail_from
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2].strip("> ") or None)
    if settings.mail_reply_to:
        message["Reply-To"] = settings.mail_reply_to
    for line in filter(None, (row.headers or "").split("\n")):
        name, _, value = line.partition(": ")
        message[name] = value
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


Send = Callable[[EmailMessage], Any]


def smtp_sender(settings: MailSettings) -> Send:
    async def send(message: EmailMessage) -> None:
        # Flattened here: aiosmtplib would refold the headers with the policy this module avoids.
        await aiosmtplib.send(
            message.as_bytes(policy=POLICY.clone(linesep="\r\n")),
            sender=parseaddr(message["From"])[1],
            recipients=[message["To"]],
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username or None,
            password=settings.smtp_password.get_secret_value() or None,
            start_tls=settings.smtp_starttls and not settings.smtp_tls,
            use_tls=settings.smtp_tls,
            timeout=settings.smtp_timeout,
            validate_certs=settings.smtp_validate_certs,
        )

    return send


def _describe(error: Exception) -> str:
    """What went wrong, without what the client sent (aiosmtplib's errors carry the server's reply only)."""
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.code}: {error.message}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


async def deliver_due(
    sessions: async_sessionmaker[AsyncSession],
    model: Any,
    settings: MailSettings,
    send: Send | None = None,
    now: datetime | None = None,
) -> int:
    """Sends one batch of due messages, each committed on its own; returns how many were sent."""
    send = send or smtp_sender(settings)
    now = now or utcnow()
    sent = 0
    async with sessions() as session, session.begin():
        query = (
            select(model)
            .where(model.status == "pending", model.next_attempt_at <= now)
            .order_by(model.next_attempt_at, model.id)
            .limit(BATCH)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)  # replicas share the queue, never send twice
        rows = list(await session.scalars(query))
        for row in rows:
            row.attempts += 1
            try:
                await send(build_message(row, settings))
            except Exception as error:
                row.last_error = _describe(error)
                if row.attempts >= settings.mail_max_attempts:
                    row.status = "failed"
                    logger.error(
                        "mail failed", extra={"mail_id": row.id, "kind": row.kind, "error": row.last_error}
                    )
                else:
                    row.next_attempt_at = now + min(timedelta(minutes=2 ** (row.attempts - 1)), MAX_BACKOFF)
                    logger.warning(
                        "mail deferred",
                        extra={
                            "mail_id": row.id,
                            "kind": row.kind,
                            "attempts": row.attempts,
                            "error": row.last_error,
                        },
                    )
            else:
                row.status, row.sent_at, row.last_error = "sent", utcnow(), None
                sent += 1
                logger.info("mail sent", extra={"mail_id": row.id, "kind": row.kind})
            await session.flush()
    return sent


class Courier:
    """The background delivery loop of one component; `wake()` after a commit sends without waiting a poll."""

    def __init__(
        self, sessions_of: Callable[[], async_sessionmaker[AsyncSession]], model: type, settings: MailSettings
    ) -> None:
        self.sessions_of = sessions_of
        self.model = model
        self.settings = settings
        self.send: Send = smtp_sender(settings)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        if not self.settings.mail_enabled:
            return
        while True:
            self._wake.clear()
            try:
                while await deliver_due(self.sessions_of(), self.model, self.settings, self.send) == BATCH:
                    pass
            except Exception:  # a database or network hiccup must not end the loop; the next pass retries
                logger.exception("mail delivery pass failed")
            try:
                await asyncio.wait_for(self._wake.wait(), self.settings.mail_poll_seconds)
            except TimeoutError:
                pass
