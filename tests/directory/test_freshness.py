"""The freshness loop: a stale place's contact receives the message, answers through the one-time link
(confirm or correct), a coordinator accepts or rejects; public error reports join the same review."""

import re
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.config import Settings
from fne_directory.freshness.models import FreshnessRequest, OutboxMessage
from fne_directory.main import create_app
from fne_kernel.db import utcnow
from fne_kernel.identity import Role
from fne_kernel.mail.outbox import deliver_due
from tests.directory.factories import place_payload
from tests.fakes import smtp
from tests.support import (
    app_in_rolled_back_transaction,
    asgi_client,
    free_port,
    identity_header,
    user_principal,
)

STALE = (date.today() - timedelta(days=200)).isoformat()


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, smtp.Inbox]]:
    port = free_port()
    controller, inbox = smtp.start(port)
    yield port, inbox
    controller.stop()


@pytest.fixture
async def app(directory_settings: Settings, smtp_server: tuple[int, smtp.Inbox]) -> AsyncIterator[FastAPI]:
    settings = directory_settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_server[0],
            "smtp_username": smtp.USERNAME,
            "smtp_password": SecretStr(smtp.PASSWORD),
            "smtp_validate_certs": False,
            "public_url": "https://inclusion.savoie.fr",
            "reports_per_place_per_hour": 2,
        }
    )
    async with app_in_rolled_back_transaction(create_app(settings)) as app:
        yield app


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(app, "http://directory") as client:
        yield client


@pytest.fixture
def coordinator(identity_keys: tuple[str, str]) -> dict[str, str]:
    return identity_header(identity_keys[0], user_principal(Role.COORDINATOR))


async def make_place(api: AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await api.post("/lieux", json=place_payload(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def send_and_read_link(
    api: AsyncClient, app: FastAPI, headers: dict[str, str], inbox: smtp.Inbox, email: str
) -> str:
    sent = await api.post("/fraicheur/envois", headers=headers)
    assert sent.status_code == 200, sent.text
    await deliver_due(app.state.sessions, OutboxMessage, app.state.settings)
    [message] = inbox.to(email)
    text, html = smtp.text_and_html(message)
    [token] = re.findall(r"https://inclusion\.savoie\.fr/lieux/mise-a-jour#(?!desinscription)([\w-]+)", text)
    assert "Vos informations sont-elles à jour ?" in message["Subject"]
    assert f"mise-a-jour#{token}" in html
    assert (
        message["List-Unsubscribe"]
        == f"<https://inclusion.savoie.fr/api/directory/fraicheur/desinscription-en-un-clic?jeton={token}>"
    )
    return token


async def test_a_stale_place_is_asked_corrected_by_its_contact_and_accepted(
    api: AsyncClient,
    app: FastAPI,
    coordinator: dict[str, str],
    smtp_server: tuple[int, smtp.Inbox],
    communes: Any,
) -> None:
    stale = await make_place(api, coordinator, date_maj=STALE, courriels=["Contact@Mediatheque.fr"])
    await make_place(api, coordinator, nom="Lieu récent", courriels=["recent@savoie.fr"])
    await make_place(api, coordinator, nom="Lieu sans courriel", date_maj=STALE, courriels=[])
    token = await send_and_read_link(api, app, coordinator, smtp_server[1], "contact@mediatheque.fr")
    assert len(smtp_server[1].messages) == 1  # only the stale place with an address
    # A second pass asks no one again.
    assert (await api.post("/fraicheur/envois", headers=coordinator)).json() == {"envoyes": 0}

    opened = await api.post("/fraicheur/lecture", json={"jeton": token})
    assert opened.status_code == 200 and opened.json()["lieu"]["id"] == stale["id"]
    correction = await api.post(
        "/fraicheur/correction",
        json={
            "jeton": token,
            "modifications": {"telephone": "04 79 00 00 00", "horaires": "Mo-Fr 09:00-17:00"},
            "commentaire": "Nouveaux horaires depuis septembre",
        },
    )
    assert correction.status_code == 200, correction.text
    # Not published before review.
    assert (await api.get(f"/lieux/{stale['id']}")).json()["telephone"] == stale["telephone"]

    [request] = (await api.get("/fraicheur/demandes", headers=coordinator)).json()["items"]
    assert request["opened_at"] and request["answered_at"] and request["answer"] == "corrige"
    [proposal] = (
        await api.get("/revue/propositions", params={"statut": "en_attente"}, headers=coordinator)
    ).json()["items"]
    assert proposal["origin"] == "contact" and proposal["message"] == "Nouveaux horaires depuis septembre"
    assert proposal["diff"]["telephone"] == [stale["telephone"], "+33479000000"]
    assert proposal["diff"]["horaires"] == [stale["horaires"], "Mo-Fr 09:00-17:00"]

    accepted = await api.post(
        f"/revue/propositions/{proposal['id']}/acceptation", headers=coordinator, json={}
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "acceptee"
    place = (await api.get(f"/lieux/{stale['id']}")).json()
    assert place["telephone"] == "+33479000000" and place["horaires"] == "Mo-Fr 09:00-17:00"
    assert place["date_maj"] == date.today().isoformat() and place["quality"]["freshness"] == "a_jour"
    again = await api.post(f"/revue/propositions/{proposal['id']}/rejet", headers=coordinator)
    assert again.status_code == 409


async def test_confirming_refreshes_the_date_and_a_replayed_link_changes_nothing(
    api: AsyncClient,
    app: FastAPI,
    coordinator: dict[str, str],
    smtp_server: tuple[int, smtp.Inbox],
    communes: Any,
) -> None:
    stale = await make_place(api, coordinator, date_maj=STALE, courriels=["contact@mediatheque.fr"])
    token = await send_and_read_link(api, app, coordinator, smtp_server[1], "contact@mediatheque.fr")
    confirmed = await api.post("/fraicheur/confirmation", json={"jeton": token})
    assert confirmed.status_code == 200 and confirmed.json()["date_maj"] == date.today().isoformat()
    version = (await api.get(f"/lieux/{stale['id']}")).json()["version"]

    for path, body in [
        ("/fraicheur/confirmation", {"jeton": token}),
        ("/fraicheur/lecture", {"jeton": token}),
        ("/fraicheur/correction", {"jeton": token, "modifications": {"nom": "Autre nom"}}),
    ]:
        replay = await api.post(path, json=body)
        assert replay.status_code == 410 and replay.headers["content-type"] == "application/problem+json"
        assert "déjà servi" in replay.json()["detail"]
    assert (await api.get(f"/lieux/{stale['id']}")).json()["version"] == version
    assert (await api.get("/revue/propositions", headers=coordinator)).json()["total"] == 0


async def test_bad_and_expired_links_get_a_french_message(
    api: AsyncClient,
    app: FastAPI,
    db: AsyncSession,
    coordinator: dict[str, str],
    smtp_server: tuple[int, smtp.Inbox],
    communes: Any,
) -> None:
    await make_place(api, coordinator, date_maj=STALE, courriels=["contact@mediatheque.fr"])
    bad = await api.post("/fraicheur/confirmation", json={"jeton": "x" * 43})
    assert bad.status_code == 404 and "n'est pas valable" in bad.json()["detail"]
    token = await send_and_read_link(api, app, coordinator, smtp_server[1], "contact@mediatheque.fr")
    async with app.state.sessions() as session:
        await session.execute(update(FreshnessRequest).values(expires_at=utcnow() - timedelta(minutes=1)))
        await session.commit()
    expired = await api.post("/fraicheur/confirmation", json={"jeton": token})
    assert expired.status_code == 410 and "expiré" in expired.json()["detail"]
    short = await api.post("/fraicheur/lecture", json={"jeton": "court"})
    assert short.status_code == 422


async def test_a_correction_is_validated_like_a_place_write(
    api: AsyncClient,
    app: FastAPI,
    coordinator: dict[str, str],
    smtp_server: tuple[int, smtp.Inbox],
    communes: Any,
) -> None:
    await make_place(api, coordinator, date_maj=STALE, courriels=["contact@mediatheque.fr"])
    token = await send_and_read_link(api, app, coordinator, smtp_server[1], "contact@mediatheque.fr")
    refused = await api.post("/fraicheur/correction", json={"jeton": token, "modifications": {"pivot": "1"}})
    assert refused.status_code == 422
    invalid = await api.post(
        "/fraicheur/correction", json={"jeton": token, "modifications": {"code_postal": "7300"}}
    )
    assert invalid.status_code == 422
    # Refusals used nothing up: the link still answers.
    assert (await api.post("/fraicheur/confirmation", json={"jeton": token})).status_code == 200


async def test_a_contact_unsubscribes_and_is_not_asked_again(
    api: AsyncClient,
    app: FastAPI,
    coordinator: dict[str, str],
    smtp_server: tuple[int, smtp.Inbox],
    communes: Any,
) -> None:
    await make_place(api, coordinator, date_maj=STALE, courriels=["contact@mediatheque.fr"])
    token = await send_and_read_link(api, app, coordinator, smtp_server[1], "contact@mediatheque.fr")
    # The one-click form (RFC 8058): a POST to the List-Unsubscribe address.
    one_click = await api.post(
        "/fraicheur/desinscription-en-un-clic",
        params={"jeton": token},
        content="List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200, one_click.text
    async with app.state.sessions() as session:
        await session.execute(update(FreshnessRequest).values(sent_at=utcnow() - timedelta(days=365)))
        await session.commit()
    assert (await api.post("/fraicheur/envois", headers=coordinator)).json() == {"envoyes": 0}
    [request] = (await api.get("/fraicheur/demandes", headers=coordinator)).json()["items"]
    assert request["unsubscribed_at"]


async def test_a_public_report_lands_in_the_review_and_is_throttled(
    api: AsyncClient, app: FastAPI, coordinator: dict[str, str], communes: Any
) -> None:
    place = await make_place(api, coordinator)
    report = {
        "motif": "horaires",
        "message": "Fermé le samedi désormais",
        "modifications": {"horaires": "Tu-Fr 10:00-18:00"},
    }
    created = await api.post(f"/lieux/{place['id']}/signalements", json=report)
    assert created.status_code == 201, created.text
    assert (
        await api.post(
            f"/lieux/{place['id']}/signalements", json={"motif": "autre", "message": "Le nom a changé"}
        )
    ).status_code == 201
    throttled = await api.post(f"/lieux/{place['id']}/signalements", json=report)
    assert throttled.status_code == 429 and throttled.headers["retry-after"]
    unknown = await api.post("/lieux/inconnu/signalements", json=report)
    assert unknown.status_code == 404
    bad = await api.post(f"/lieux/{place['id']}/signalements", json={"motif": "faux", "message": "x"})
    assert bad.status_code == 422

    listed = (
        await api.get("/revue/propositions", params={"origine": "signalement"}, headers=coordinator)
    ).json()
    assert listed["total"] == 2
    with_hours = next(item for item in listed["items"] if item["reason"] == "horaires")
    assert with_hours["diff"] == {"horaires": [place["horaires"], "Tu-Fr 10:00-18:00"]}
    rejected = await api.post(
        f"/revue/propositions/{with_hours['id']}/rejet",
        headers=coordinator,
        json={"note": "Vérifié par téléphone : horaires inchangés"},
    )
    assert rejected.json()["status"] == "rejetee"
    assert (await api.get(f"/lieux/{place['id']}")).json()["horaires"] == place["horaires"]


async def test_the_review_is_for_coordinators(api: AsyncClient, identity_keys: tuple[str, str]) -> None:
    mediator = identity_header(identity_keys[0], user_principal(Role.MEDIATOR))
    for method, path in [
        ("GET", "/revue/propositions"),
        ("GET", "/fraicheur/demandes"),
        ("POST", "/fraicheur/envois"),
        ("POST", "/revue/propositions/1/acceptation"),
    ]:
        assert (await api.request(method, path)).status_code == 401
        assert (await api.request(method, path, headers=mediator)).status_code == 403


async def test_without_smtp_nothing_is_asked(
    directory: AsyncClient, identity_keys: tuple[str, str], db: AsyncSession, communes: Any
) -> None:
    headers = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    await make_place(directory, headers, date_maj=STALE)
    assert (await directory.post("/fraicheur/envois", headers=headers)).json() == {"envoyes": 0}
    assert (await db.scalars(select(FreshnessRequest))).all() == []
