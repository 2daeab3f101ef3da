"""The gateway under attack: input it cannot take, password and key guessing, framing, spelling tricks."""

import threading
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth import service
from fne_gateway.auth.models import User, UserSession
from fne_gateway.config import Settings
from fne_kernel.identity import Role
from tests.gateway.conftest import PASSWORD, login, make_user
from tests.support import bound_port

PROBLEM = "application/problem+json"


async def echo(request: web.Request) -> web.Response:
    return web.json_response({"path": request.raw_path})


@pytest.fixture
async def fake_directory() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{bound_port(site)}"
    await runner.cleanup()


@pytest.fixture
def gateway_settings(gateway_settings: Settings, fake_directory: str) -> Settings:
    gateway_settings.directory_url = fake_directory
    gateway_settings.trusted_proxy_hops = 1  # the tests speak as several addresses through X-Forwarded-For
    return gateway_settings


def from_ip(ip: str) -> dict[str, str]:
    return {"x-forwarded-for": ip}


@pytest.mark.parametrize("url", ["/api/%64irectory/lieux", "/api/direc%74ory/lieux?q=a", "/api/%64irectory"])
async def test_a_percent_encoded_service_name_reaches_the_service_at_the_right_path(
    client: AsyncClient, url: str
) -> None:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    assert response.json()["path"] in ("/lieux", "/lieux?q=a", "/")


@pytest.mark.parametrize(
    "body",
    [
        b'{"email": "a\\u0000@savoie.fr", "password": "x"}',
        b'{"email": "admin@savoie.fr", "password": "x\\u0000"}',
        b'{"email": "admin@savoie.fr", "password": "\\udc00"}',
    ],
)
async def test_a_login_with_a_nul_or_a_lone_surrogate_is_a_422(
    client: AsyncClient, db: AsyncSession, body: bytes
) -> None:
    await make_user(db, Role.ADMIN)
    response = await client.post(
        "/api/auth/login", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert await db.scalar(select(func.count()).select_from(UserSession)) == 0


async def test_password_attempts_are_throttled_per_address_whatever_the_account(
    client: AsyncClient, gateway_settings: Settings, one_rate_window
) -> None:
    gateway_settings.rate_limit_login_per_minute = 2
    statuses = [
        (
            await client.post(
                "/api/auth/login",
                headers=from_ip("203.0.113.1"),
                json={"email": f"x{n}@savoie.fr", "password": "guess"},
            )
        ).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]
    other = await client.post(
        "/api/auth/login", headers=from_ip("203.0.113.2"), json={"email": "x9@savoie.fr", "password": "guess"}
    )
    assert other.status_code == 401


async def test_password_attempts_are_throttled_per_account_whatever_the_address(
    client: AsyncClient, db: AsyncSession, gateway_settings: Settings, one_rate_window
) -> None:
    user = await make_user(db, Role.ADMIN)
    gateway_settings.rate_limit_login_account_per_minute = 2
    responses = [
        await client.post(
            "/api/auth/login",
            headers=from_ip(f"198.51.100.{n}"),
            json={"email": user.email.upper(), "password": "guess"},
        )
        for n in range(3)
    ]
    assert [response.status_code for response in responses] == [401, 401, 429]
    assert int(responses[-1].headers["retry-after"]) == 30
    # Even the right password waits: the account is what is protected.
    assert (
        await client.post(
            "/api/auth/login",
            headers=from_ip("198.51.100.9"),
            json={"email": user.email, "password": PASSWORD},
        )
    ).status_code == 429


async def test_password_attempts_have_a_global_ceiling(
    client: AsyncClient, gateway_settings: Settings, one_rate_window
) -> None:
    gateway_settings.rate_limit_login_global_per_minute = 3
    statuses = [
        (
            await client.post(
                "/api/auth/login",
                headers=from_ip(f"192.0.2.{n}"),
                json={"email": f"y{n}@savoie.fr", "password": "guess"},
            )
        ).status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


async def test_wrong_api_keys_are_throttled_per_address_and_then_even_a_right_key_waits(
    client: AsyncClient, db: AsyncSession, gateway_settings: Settings, one_rate_window
) -> None:
    _, secret = await service.create_api_key(
        db, name="DORA", scopes=["directory:write"], created_by=None, expires_at=None
    )
    await db.commit()
    gateway_settings.rate_limit_failed_api_keys_per_minute = 3
    guesses = [
        await client.get(
            "/api/auth/me", headers={"authorization": f"Bearer fne_guess{n}", **from_ip("203.0.113.7")}
        )
        for n in range(5)
    ]
    assert [response.status_code for response in guesses] == [401, 401, 401, 429, 429]
    assert int(guesses[-1].headers["retry-after"]) == 30
    blocked = await client.get(
        "/api/auth/me", headers={"authorization": f"Bearer {secret}", **from_ip("203.0.113.7")}
    )
    assert blocked.status_code == 429  # the same answer as a wrong key: the guesser learns nothing
    elsewhere = await client.get(
        "/api/auth/me", headers={"authorization": f"Bearer {secret}", **from_ip("203.0.113.8")}
    )
    assert elsewhere.status_code == 200


async def test_passwords_hash_and_verify_outside_the_event_loop(
    client: AsyncClient, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(db, Role.ADMIN)
    threads: list[str] = []
    hasher = service.password_hasher

    class RecordingHasher:
        def __getattr__(self, name: str):
            return getattr(hasher, name)

        def verify(self, *args):
            threads.append(threading.current_thread().name)
            return hasher.verify(*args)

    monkeypatch.setattr(service, "password_hasher", RecordingHasher())
    await login(client, "admin@savoie.fr")
    assert threads and threading.main_thread().name not in threads


@pytest.mark.parametrize(
    "password",
    [" " * 12, " a b c d e f g h i j k ", "azertyuiop12", "motdepasse2024", "aaaaaaaaaaaaaaaa", "x" * 1025],
)
async def test_a_weak_password_is_refused_and_the_link_still_works(
    client: AsyncClient, db: AsyncSession, password: str
) -> None:
    user = await service.create_user(db, email="ines@savoie.fr", display_name="Inès", role=Role.MEDIATOR)
    from datetime import timedelta

    token = await service.issue_password_token(db, user, timedelta(hours=1), by=None)
    await db.commit()
    refused = await client.post("/api/auth/password", json={"token": token, "new_password": password})
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert [error["field"] for error in refused.json()["errors"]] == ["new_password"]
    assert (await db.scalar(select(User.password_hash).where(User.id == user.id))) is None
    accepted = await client.post(
        "/api/auth/password", json={"token": token, "new_password": "les marmottes du Revard"}
    )
    assert accepted.status_code == 204


async def test_every_response_carries_the_security_headers(client: AsyncClient) -> None:
    for url in ("/api/site", "/api/directory/lieux", "/api/inconnu", "/connexion", "/api/docs"):
        response = await client.get(url)
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response.headers["permissions-policy"]
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and response.headers["x-frame-options"] == "DENY"
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "unsafe-inline" not in script_src
        assert "strict-transport-security" not in response.headers
    docs = await client.get("/api/docs")
    assert "'sha256-" in docs.headers["content-security-policy"]


async def test_the_widget_stays_embeddable(client: AsyncClient) -> None:
    response = await client.get("/widget?code_insee=73065")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors" not in policy and "script-src 'self'" in policy
    assert "x-frame-options" not in response.headers


async def test_hsts_when_cookies_are_secure(gateway_settings: Settings) -> None:
    from httpx import ASGITransport

    from fne_gateway.main import create_app

    gateway_settings.cookie_secure = True
    app = create_app(gateway_settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="https://testserver") as client:
        response = await client.get("/api/site")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    await app.state.engine.dispose()


async def test_eight_concurrent_writers_queue_instead_of_failing(
    databases, gateway_settings: Settings
) -> None:
    from fne_gateway.main import create_app
    from fne_kernel.db import session_factory
    from tests.support import all_at_once, migrated_fresh

    gateway_settings.database_url = await migrated_fresh(databases, "fne_gateway", "gateway_writers")
    app = create_app(gateway_settings)
    async with session_factory(app.state.engine)() as session, session.begin():
        for n in range(8):
            await service.create_user(
                session, email=f"p{n}@savoie.fr", display_name=f"P{n}", role=Role.MEDIATOR, password=PASSWORD
            )
    requests = [
        ("POST", "/api/auth/login", {"json": {"email": f"p{n}@savoie.fr", "password": PASSWORD}})
        for n in range(8)
    ]
    assert await all_at_once(app, "http://testserver", requests) == [200] * 8
    async with session_factory(app.state.engine)() as session:
        assert await session.scalar(select(func.count()).select_from(UserSession)) == 8
    await app.state.pool.close()
    await app.state.engine.dispose()
