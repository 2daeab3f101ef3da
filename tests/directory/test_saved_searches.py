"""Saved searches: confirmed by a link, at most a weekly message of new or changed places, one-click stop."""

import re
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from fne_directory.freshness.models import OutboxMessage
from fne_directory.saved_searches.service import send_digests
from fne_kernel.db import utcnow
from fne_kernel.mail.outbox import deliver_due
from tests.directory.test_freshness import api, app, coordinator, make_place, smtp_server  # noqa: F401
from tests.fakes import smtp

SEARCH = "code_insee=73065&services=Accès+internet+et+matériel+informatique&page=2"


async def deliver(app: FastAPI) -> None:  # noqa: F811
    await deliver_due(app.state.sessions, OutboxMessage, app.state.settings)


async def digest_pass(app: FastAPI, days: int) -> int:  # noqa: F811
    async with app.state.sessions() as session:
        queued = await send_digests(session, app.state.settings, now=utcnow() + timedelta(days=days))
        await session.commit()
    await deliver(app)
    return queued


async def test_a_confirmed_search_gets_weekly_news_and_stops_in_one_click(
    api: AsyncClient,  # noqa: F811
    app: FastAPI,  # noqa: F811
    coordinator: dict[str, str],  # noqa: F811
    smtp_server: tuple[int, smtp.Inbox],  # noqa: F811
    communes: Any,
) -> None:
    inbox = smtp_server[1]
    await make_place(api, coordinator, nom="Déjà là")
    subscribed = await api.post(
        "/recherches",
        json={"courriel": "Habitant@Exemple.fr", "recherche": SEARCH, "libelle": "Internet à Chambéry"},
    )
    assert subscribed.status_code == 202, subscribed.text
    await deliver(app)
    [confirmation] = inbox.to("habitant@exemple.fr")
    text, _ = smtp.text_and_html(confirmation)
    [token] = re.findall(r"/recherches/confirmation#([\w-]+)", text)
    # Nothing is sent for an unconfirmed search.
    assert await digest_pass(app, 8) == 0

    assert (await api.post("/recherches/confirmation", json={"jeton": token})).json() == {
        "statut": "confirmee"
    }
    replay = await api.post("/recherches/confirmation", json={"jeton": token})
    assert replay.status_code == 404 and "pas valable" in replay.json()["detail"]

    await make_place(api, coordinator, nom="Espace numérique du Biollay")
    await make_place(
        api,
        coordinator,
        nom="Ailleurs",
        code_postal="73200",
        code_insee="73011",
        latitude=45.67,
        longitude=6.39,
    )
    assert await digest_pass(app, 3) == 0  # at most weekly
    assert await digest_pass(app, 8) == 1
    news = inbox.messages[-1]
    assert news["Subject"] == "1 lieu nouveau ou modifié : « Internet à Chambéry »"
    body, _ = smtp.text_and_html(news)
    assert "Espace numérique du Biollay (Chambéry) — nouveau" in body
    assert "Ailleurs" not in body and "Déjà là" not in body
    link = re.search(r"desinscription\?jeton=([\w-]+)>", news["List-Unsubscribe"])
    assert link is not None
    stop = link.group(1)

    assert (await api.post("/recherches/desinscription", params={"jeton": stop})).status_code == 200
    await make_place(api, coordinator, nom="Encore un lieu")
    assert await digest_pass(app, 20) == 0


async def test_a_search_is_validated_like_a_search(api: AsyncClient, communes: Any) -> None:  # noqa: F811
    bad = await api.post("/recherches", json={"courriel": "a@b.fr", "recherche": "services=Inconnu"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].startswith("services")
    bad_email = await api.post("/recherches", json={"courriel": "pas-une-adresse", "recherche": ""})
    assert bad_email.status_code == 422
    unknown = await api.post("/recherches/desinscription", params={"jeton": "y" * 43})
    assert unknown.status_code == 404


async def test_without_smtp_following_is_not_offered(directory: AsyncClient) -> None:
    response = await directory.post(
        "/recherches", json={"courriel": "a@b.fr", "recherche": "code_insee=73065"}
    )
    assert response.status_code == 404 and "courriel" in response.json()["detail"]
