"""Invitations and new-password links e-mailed through a local SMTP server (STARTTLS, login), with retries."""

import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.config import Settings
from fne_gateway.mail.models import OutboxMessage
from fne_gateway.main import create_app
from fne_kernel.db import utcnow
from fne_kernel.identity import Role
from fne_kernel.mail.outbox import deliver_due
from tests.fakes import smtp
from tests.gateway.conftest import login, make_user
from tests.gateway.test_accounts import INVITED, NEW_PASSWORD, log_lines  # noqa: F401 (fixture)
from tests.support import free_port, rolled_back_sessions


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, smtp.Inbox]]:
    port = free_port()
    controller, inbox = smtp.start(port)
    yield port, inbox
    controller.stop()


def mail_settings(settings: Settings, port: int) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_username": smtp.USERNAME,
            "smtp_password": SecretStr(smtp.PASSWORD),
            "smtp_validate_certs": False,
            "public_url": "https://inclusion.savoie.fr",
            "mail_max_attempts": 3,
        }
    )


@pytest.fixture
async def app(gateway_settings: Settings, smtp_server: tuple[int, smtp.Inbox]) -> AsyncIterator[FastAPI]:
    app = create_app(mail_settings(gateway_settings, smtp_server[0]))
    async with rolled_back_sessions(app.state.engine) as sessions:
        app.state.sessions = sessions
        app.state.credentials.sessions = sessions
        yield app
    await app.state.engine.dispose()


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def session(app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with app.state.sessions() as session:
        yield session


async def deliver(app: FastAPI) -> int:
    return await deliver_due(app.state.sessions, OutboxMessage, app.state.settings)


async def test_an_invitation_is_emailed_and_its_link_works(
    browser: AsyncClient,
    session: AsyncSession,
    app: FastAPI,
    smtp_server: tuple[int, smtp.Inbox],
    log_lines: list[str],  # noqa: F811
) -> None:
    admin = await make_user(session, Role.ADMIN)
    headers = {"x-csrf-token": await login(browser, admin.email)}
    created = await browser.post("/api/auth/users", headers=headers, json=INVITED)
    assert created.status_code == 201, created.text
    assert created.json()["password_token"] is None and created.json()["sent_by_email"] is True
    assert smtp_server[1].messages == []  # the request only queued it

    assert await deliver(app) == 1
    [message] = smtp_server[1].to("ines.mediatrice@savoie.fr")
    assert message["Subject"] == "Votre compte sur la plateforme de l'inclusion numérique"
    text, html = smtp.text_and_html(message)
    assert text.startswith("Bonjour Inès,") and "valable jusqu'au" in text
    [token] = re.findall(r"https://inclusion\.savoie\.fr/mot-de-passe#([\w-]+)", text)
    assert f"/mot-de-passe#{token}" in html and '<html lang="fr">' in html

    chosen = await browser.post("/api/auth/password", json={"token": token, "new_password": NEW_PASSWORD})
    assert chosen.status_code == 204
    # Sent once; no log line carries the link's secret or the SMTP password.
    assert await deliver(app) == 0
    ours = [line for line in log_lines if '"logger":"mail.log"' not in line]  # not the test server's own
    assert not [line for line in ours if token in line or smtp.PASSWORD in line]
    assert any('"mail sent"' in line for line in log_lines)


async def test_a_new_password_link_is_emailed(
    browser: AsyncClient, session: AsyncSession, app: FastAPI, smtp_server: tuple[int, smtp.Inbox]
) -> None:
    admin = await make_user(session, Role.ADMIN)
    mediator = await make_user(session, Role.MEDIATOR)
    headers = {"x-csrf-token": await login(browser, admin.email)}
    issued = await browser.post(f"/api/auth/users/{mediator.id}/password-token", headers=headers)
    assert issued.status_code == 201 and issued.json()["token"] is None and issued.json()["sent_by_email"]
    await deliver(app)
    [message] = smtp_server[1].to(mediator.email)
    assert message["Subject"] == "Choisissez un nouveau mot de passe"


async def test_a_refusing_server_is_retried_later_then_given_up(
    browser: AsyncClient, session: AsyncSession, app: FastAPI, smtp_server: tuple[int, smtp.Inbox]
) -> None:
    admin = await make_user(session, Role.ADMIN)
    headers = {"x-csrf-token": await login(browser, admin.email)}
    await browser.post("/api/auth/users", headers=headers, json=INVITED)
    smtp_server[1].refuse = True
    assert await deliver(app) == 0
    row = await session.scalar(select(OutboxMessage))
    assert row is not None
    await session.refresh(row)
    assert row.status == "pending" and row.attempts == 1 and row.next_attempt_at > utcnow()
    assert row.last_error and "451" in row.last_error
    assert await deliver(app) == 0  # not due yet

    # Later (a restart changes nothing: the queue is the table), the server accepts.
    smtp_server[1].refuse = False
    later = utcnow() + timedelta(minutes=5)
    assert await deliver_due(app.state.sessions, OutboxMessage, app.state.settings, now=later) == 1
    await session.refresh(row)
    assert row.status == "sent" and len(smtp_server[1].messages) == 1


async def test_an_unreachable_server_ends_failed_after_the_attempts(
    session: AsyncSession, app: FastAPI, gateway_settings: Settings
) -> None:
    from fne_kernel.mail.outbox import Mail, enqueue

    enqueue(session, OutboxMessage, Mail("a@b.fr", "Sujet", "texte", "<p>html</p>", "essai"))
    await session.commit()
    closed = mail_settings(gateway_settings, free_port())
    moment = utcnow()
    for _ in range(3):
        moment += timedelta(hours=7)
        await deliver_due(app.state.sessions, OutboxMessage, closed, now=moment)
    row = await session.scalar(select(OutboxMessage))
    assert row is not None
    await session.refresh(row)
    assert row.status == "failed" and row.attempts == 3


async def test_without_smtp_the_link_is_shown_as_before(client: AsyncClient, db: AsyncSession) -> None:
    admin = await make_user(db, Role.ADMIN)
    headers = {"x-csrf-token": await login(client, admin.email)}
    created = (await client.post("/api/auth/users", headers=headers, json=INVITED)).json()
    assert created["password_token"]["token"] and created["sent_by_email"] is False
