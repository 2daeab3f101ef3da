"""Signing in with ProConnect against a local OpenID provider speaking the real protocol."""

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth.models import User
from fne_gateway.config import Settings
from fne_gateway.main import create_app
from fne_gateway.proconnect.models import ProConnectIdentity
from fne_kernel.identity import Role
from tests.fakes import proconnect
from tests.gateway.conftest import login, make_user
from tests.support import rolled_back_sessions

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
async def provider() -> AsyncIterator[proconnect.FakeProConnect]:
    fake, runner = await proconnect.start()
    yield fake
    await runner.cleanup()


@pytest.fixture
async def app(gateway_settings: Settings, provider: proconnect.FakeProConnect) -> AsyncIterator[FastAPI]:
    settings = gateway_settings.model_copy(
        update={
            "proconnect_issuer": provider.base_url,
            "proconnect_client_id": proconnect.CLIENT_ID,
            "proconnect_client_secret": SecretStr(proconnect.CLIENT_SECRET),
            "public_url": "http://testserver",
        }
    )
    app = create_app(settings)
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
async def db(app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with app.state.sessions() as session:
        yield session


async def sign_in_at_provider(browser: AsyncClient, email: str) -> str:
    """Follows the button to the provider, signs in there; returns the URL the provider sends back to."""
    start = await browser.get("/api/auth/proconnect/connexion")
    assert start.status_code == 303, start.text
    authorize = urlsplit(start.headers["location"])
    query = {name: values[0] for name, values in parse_qs(authorize.query).items()}
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    assert query["redirect_uri"] == "http://testserver/api/auth/proconnect/retour"
    assert query["acr_values"] == "eidas1"
    async with httpx.AsyncClient() as at_provider:
        page = await at_provider.get(start.headers["location"])
        assert page.status_code == 200 and "ProConnect de test" in page.text
        back = await at_provider.post(
            f"{authorize.scheme}://{authorize.netloc}/authorize",
            data={**query, "email": email, "given_name": "Agathe", "usual_name": "Durand"},
        )
    assert back.status_code == 302
    return back.headers["location"]


def login_message(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/connexion", location
    return parse_qs(location.query)["proconnect"][0]


async def test_status_says_whether_the_button_is_offered(browser: AsyncClient, client: AsyncClient) -> None:
    assert (await browser.get("/api/auth/proconnect")).json() == {"active": True}
    assert (await client.get("/api/auth/proconnect")).json() == {"active": False}
    refused = await client.get("/api/auth/proconnect/connexion")
    assert refused.status_code == 404 and "ProConnect" in refused.json()["detail"]


async def test_an_existing_account_signs_in_by_its_email(
    browser: AsyncClient, db: AsyncSession, provider: proconnect.FakeProConnect
) -> None:
    user = await make_user(db, Role.COORDINATOR, email="agathe.durand@savoie.fr")
    back = await sign_in_at_provider(browser, "Agathe.Durand@Savoie.fr")
    response = await browser.get(back)
    assert response.status_code == 303 and response.headers["location"] == "/"
    me = (await browser.get("/api/auth/me")).json()
    assert me["subject"] == user.id and me["role"] == "coordinator"
    # PKCE and client_secret_post went to the token endpoint; the flow cookie is gone.
    [sent] = provider.token_requests
    assert sent["code_verifier"] and sent["client_secret"] == proconnect.CLIENT_SECRET
    assert "fne_proconnect" not in browser.cookies
    identity = await db.scalar(select(ProConnectIdentity).where(ProConnectIdentity.user_id == user.id))
    assert identity is not None and identity.organisation_siret == "22730001400015"


async def test_a_new_person_waits_for_an_administrator_then_signs_in(
    browser: AsyncClient, db: AsyncSession, client: AsyncClient
) -> None:
    admin = await make_user(db, Role.ADMIN)
    response = await browser.get(await sign_in_at_provider(browser, "nouvel.agent@savoie.fr"))
    assert login_message(response) == "attente"
    assert (await browser.get("/api/auth/me")).status_code == 401
    pending = await db.scalar(select(User).where(User.email == "nouvel.agent@savoie.fr"))
    assert pending is not None and pending.pending and not pending.active and pending.password_hash is None
    assert pending.display_name == "Agathe Durand"

    # The administrator sees the account waiting and grants it a role.
    headers = {"x-csrf-token": await login(browser, admin.email)}
    listed = (await browser.get("/api/auth/users", params={"active": "false"})).json()["items"]
    assert [item["pending"] for item in listed if item["email"] == "nouvel.agent@savoie.fr"] == [True]
    granted = await browser.post(
        f"/api/auth/users/{pending.id}/approbation", headers=headers, json={"role": "coordinator"}
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["pending"] is False and granted.json()["active"] is True
    await browser.post("/api/auth/logout", headers=headers)

    response = await browser.get(await sign_in_at_provider(browser, "nouvel.agent@savoie.fr"))
    assert response.headers["location"] == "/"
    assert (await browser.get("/api/auth/me")).json()["role"] == "coordinator"


async def test_approval_needs_an_administrator(browser: AsyncClient, db: AsyncSession) -> None:
    coordinator = await make_user(db, Role.COORDINATOR)
    headers = {"x-csrf-token": await login(browser, coordinator.email)}
    refused = await browser.post(
        f"/api/auth/users/{coordinator.id}/approbation", headers=headers, json={"role": "admin"}
    )
    assert refused.status_code == 403


async def test_a_replayed_return_signs_no_one_in(browser: AsyncClient, db: AsyncSession) -> None:
    await make_user(db, Role.COORDINATOR, email="agathe.durand@savoie.fr")
    back = await sign_in_at_provider(browser, "agathe.durand@savoie.fr")
    assert (await browser.get(back)).headers["location"] == "/"
    await browser.post("/api/auth/logout", headers={"x-csrf-token": browser.cookies["fne_csrf"]})
    browser.cookies.set(
        "fne_proconnect", parse_qs(urlsplit(back).query)["state"][0], path="/api/auth/proconnect"
    )
    assert login_message(await browser.get(back)) == "erreur"
    assert (await browser.get("/api/auth/me")).status_code == 401


async def test_a_return_started_in_another_browser_is_refused(
    browser: AsyncClient, db: AsyncSession, app: FastAPI
) -> None:
    await make_user(db, Role.COORDINATOR, email="agathe.durand@savoie.fr")
    back = await sign_in_at_provider(browser, "agathe.durand@savoie.fr")
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as other:
        assert login_message(await other.get(back)) == "erreur"
        assert (await other.get("/api/auth/me")).status_code == 401


@pytest.mark.parametrize("fault", ["foreign_signature", "wrong_nonce", "wrong_audience"])
async def test_a_token_that_does_not_verify_is_refused(
    fault: str, browser: AsyncClient, db: AsyncSession, provider: proconnect.FakeProConnect
) -> None:
    await make_user(db, Role.COORDINATOR, email="agathe.durand@savoie.fr")
    setattr(provider, fault, True)
    back = await sign_in_at_provider(browser, "agathe.durand@savoie.fr")
    assert login_message(await browser.get(back)) == "erreur"
    assert (await browser.get("/api/auth/me")).status_code == 401


async def test_the_provider_refusing_is_said(browser: AsyncClient) -> None:
    await browser.get("/api/auth/proconnect/connexion")
    response = await browser.get(
        "/api/auth/proconnect/retour", params={"error": "access_denied", "state": "x"}
    )
    assert login_message(response) == "refus"


async def test_an_unreachable_provider_is_said(gateway_settings: Settings) -> None:
    from tests.support import free_port

    settings = gateway_settings.model_copy(
        update={"proconnect_issuer": f"http://127.0.0.1:{free_port()}", "proconnect_client_id": "x"}
    )
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
        assert login_message(await client.get("/api/auth/proconnect/connexion")) == "indisponible"
    await app.state.engine.dispose()


def test_the_gateway_starts_without_authlib_deprecation_warnings() -> None:
    """`./fne up` printed Authlib's AuthlibDeprecationWarning (its httpx integration wants `httpx2`): the
    gateway imports none of Authlib's deprecated parts. A fresh interpreter, as a starting gateway."""
    code = (
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    import fne_gateway.main, fne_gateway.proconnect.client\n"
        "print([f'{type(w.message).__name__}: {w.message}' for w in caught if 'authlib' in w.filename.lower()"
        " or type(w.message).__name__ == 'AuthlibDeprecationWarning'])\n"
    )
    started = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPOSITORY
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "[]", started.stdout
    assert "AuthlibDeprecationWarning" not in started.stderr
