from datetime import UTC, datetime, timedelta
from typing import cast

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth import service
from fne_gateway.auth.models import ApiKey, UserSession
from fne_kernel.identity import Role
from tests.gateway.conftest import PASSWORD, login, make_user

PROBLEM = "application/problem+json"


async def test_login_sets_a_protected_session_cookie_and_opens_protected_routes(
    client: AsyncClient, db: AsyncSession
):
    user = await make_user(db, Role.COORDINATOR)
    assert (await client.get("/api/auth/me")).status_code == 401

    response = await client.post(
        "/api/auth/login", json={"email": "Coordinator@Savoie.fr", "password": PASSWORD}
    )

    assert response.status_code == 200
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("fne_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    body = response.json()
    assert body["user"]["id"] == user.id and "password_hash" not in body["user"]
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["role"] == "coordinator" and "directory:write" in me.json()["scopes"]
    assert "keys:manage" not in me.json()["scopes"]


async def test_wrong_password_and_unknown_account_get_the_same_401(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.MEDIATOR)
    wrong = await client.post("/api/auth/login", json={"email": "mediator@savoie.fr", "password": "nope"})
    unknown = await client.post("/api/auth/login", json={"email": "ghost@savoie.fr", "password": "nope"})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "invalid-credentials"
        assert "set-cookie" not in response.headers


async def test_state_changing_call_with_a_session_needs_the_csrf_token(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.ADMIN)
    csrf = await login(client, "admin@savoie.fr")
    body = {"name": "DORA", "scopes": ["directory:write"]}

    refused = await client.post("/api/auth/api-keys", json=body)
    forged = await client.post("/api/auth/api-keys", json=body, headers={"x-csrf-token": "forged"})
    accepted = await client.post("/api/auth/api-keys", json=body, headers={"x-csrf-token": csrf})

    assert refused.status_code == forged.status_code == 403
    assert refused.json()["code"] == "csrf-check-failed"
    assert accepted.status_code == 201
    assert len((await db.scalars(select(ApiKey))).all()) == 1  # the refused calls stored nothing


async def test_api_key_is_shown_once_works_and_is_refused_once_revoked(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.ADMIN)
    csrf = await login(client, "admin@savoie.fr")
    created = await client.post(
        "/api/auth/api-keys",
        headers={"x-csrf-token": csrf},
        json={"name": "data·inclusion", "scopes": ["sync:run", "directory:write"]},
    )
    assert created.status_code == 201
    secret, key_id = created.json()["key"], created.json()["id"]
    assert secret.startswith("fne_")
    listed = (await client.get("/api/auth/api-keys")).json()
    assert [k["id"] for k in listed] == [key_id] and "key" not in listed[0]
    stored = await db.scalar(select(ApiKey).where(ApiKey.id == key_id))
    assert stored is not None and secret not in (stored.key_hash, stored.prefix)

    as_key = await client.get("/api/auth/me", headers={"authorization": f"Bearer {secret}"})
    assert as_key.status_code == 200
    assert as_key.json() | {"subject": None} == {
        "kind": "api_key",
        "subject": None,
        "name": "data·inclusion",
        "role": None,
        "scopes": ["directory:write", "sync:run"],
    }
    await db.refresh(stored)
    assert stored.last_used_at is not None

    revoked = await client.delete(f"/api/auth/api-keys/{key_id}", headers={"x-csrf-token": csrf})
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = await client.get("/api/auth/me", headers={"x-api-key": secret})
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid-api-key"


async def test_expired_or_unknown_api_key_is_refused_not_treated_as_anonymous(
    client: AsyncClient, db: AsyncSession
):
    _api_key, secret = await service.create_api_key(
        db, name="old", scopes=["sync:run"], created_by=None, expires_at=datetime.now(UTC) - timedelta(days=1)
    )
    await db.commit()
    for presented in (secret, "fne_deadbeef_notarealkey", "not-even-our-format"):
        response = await client.get("/api/health", headers={"authorization": f"Bearer {presented}"})
        assert response.status_code == 401, presented
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_only_admins_manage_keys_and_users(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.MEDIATOR)
    anonymous = await client.post("/api/auth/users", json={})
    assert anonymous.status_code == 401
    csrf = await login(client, "mediator@savoie.fr")
    headers = {"x-csrf-token": csrf}
    assert (await client.get("/api/auth/api-keys")).status_code == 403
    forbidden = await client.post(
        "/api/auth/users",
        headers=headers,
        json={"email": "x@savoie.fr", "display_name": "X", "role": "admin"},
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["required_scopes"] == ["users:manage"]


async def test_api_key_scopes_are_validated_with_the_allowed_values(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.ADMIN)
    csrf = await login(client, "admin@savoie.fr")
    response = await client.post(
        "/api/auth/api-keys", headers={"x-csrf-token": csrf}, json={"name": "", "scopes": ["keys:manage"]}
    )
    assert response.status_code == 422
    problem = response.json()
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"name", "scopes.0"}
    scope_error = next(e for e in problem["errors"] if e["field"] == "scopes.0")
    assert "directory:write" in scope_error["allowed"]


async def test_admin_creates_an_account_and_a_duplicate_email_is_a_409(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.ADMIN)
    csrf = await login(client, "admin@savoie.fr")
    account = {"email": "Mediatrice@Savoie.fr", "display_name": "Inès", "role": "mediator"}
    created = await client.post("/api/auth/users", headers={"x-csrf-token": csrf}, json=account)
    duplicate = await client.post("/api/auth/users", headers={"x-csrf-token": csrf}, json=account)
    assert created.status_code == 201 and created.json()["email"] == "mediatrice@savoie.fr"
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "email-already-used"
    emails = [u["email"] for u in (await client.get("/api/auth/users")).json()["items"]]
    assert emails == ["admin@savoie.fr", "mediatrice@savoie.fr"]


async def test_logout_ends_the_session(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.COORDINATOR)
    csrf = await login(client, "coordinator@savoie.fr")
    assert (await client.post("/api/auth/logout", headers={"x-csrf-token": csrf})).status_code == 204
    assert (await db.scalars(select(UserSession))).all() == []
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_an_expired_session_is_anonymous(client: AsyncClient, db: AsyncSession):
    await make_user(db, Role.COORDINATOR)
    await login(client, "coordinator@savoie.fr")
    await db.execute(update(UserSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await db.commit()
    client.cookies.set("fne_session", client.cookies["fne_session"])  # same cookie, now expired server-side
    transport = client._transport
    assert isinstance(transport, ASGITransport)
    gateway = cast(FastAPI, transport.app)
    gateway.state.credentials._user_sessions.clear()
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_malformed_json_and_oversized_bodies_are_problems(client: AsyncClient):
    malformed = await client.post(
        "/api/auth/login", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 422 and malformed.headers["content-type"] == PROBLEM
    oversized = await client.post(
        "/api/auth/login", content=b"x" * (65 * 1024), headers={"content-type": "application/json"}
    )
    assert oversized.status_code == 413 and oversized.json()["code"] == "payload-too-large"


async def test_unknown_api_route_is_a_404_problem(client: AsyncClient):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["title"] == "Ressource introuvable"


async def test_rate_limit_answers_429_with_retry_after(
    client: AsyncClient, gateway_settings, one_rate_window
):
    gateway_settings.rate_limit_anonymous_per_minute = 3
    statuses = [(await client.get("/api/auth/me")).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = await client.get("/api/auth/me")
    assert int(limited.headers["retry-after"]) == 30
    assert limited.json()["code"] == "rate-limited"


async def test_login_attempts_are_throttled_per_address_and_account(
    client: AsyncClient, db: AsyncSession, gateway_settings, one_rate_window
):
    await make_user(db, Role.ADMIN)
    gateway_settings.rate_limit_login_per_minute = 2
    attempts = [
        (
            await client.post("/api/auth/login", json={"email": "admin@savoie.fr", "password": "guess"})
        ).status_code
        for _ in range(3)
    ]
    assert attempts == [401, 401, 429]
