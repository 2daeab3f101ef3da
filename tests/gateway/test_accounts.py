"""Account administration (admins) and self-service (every signed-in person): each rule and each refusal."""

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fne_gateway.auth import service
from fne_gateway.auth.models import User, UserSession
from fne_kernel.identity import Role
from fne_kernel.logging import JsonFormatter
from tests.gateway.conftest import PASSWORD, login, make_user

NEW_PASSWORD = "un tout nouveau mot de passe"
INVITED = {"email": "Ines.Mediatrice@Savoie.fr", "display_name": "Inès", "role": "mediator"}


@pytest.fixture
async def other_client(gateway_app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A second browser, for the person the administrator acts upon."""
    async with AsyncClient(transport=ASGITransport(app=gateway_app), base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def admin(client: AsyncClient, db: AsyncSession) -> dict[str, Any]:
    user = await make_user(db, Role.ADMIN)
    return {"id": user.id, "headers": {"x-csrf-token": await login(client, user.email)}}


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """Every log line written while the test runs, as the production formatter writes it."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    handler.setFormatter(JsonFormatter("gateway"))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


async def invite(
    client: AsyncClient, headers: dict[str, str], account: dict[str, str] = INVITED
) -> dict[str, Any]:
    response = await client.post("/api/auth/users", headers=headers, json=account)
    assert response.status_code == 201, response.text
    return response.json()


async def set_password(client: AsyncClient, token: str, password: str = NEW_PASSWORD) -> int:
    response = await client.post("/api/auth/password", json={"token": token, "new_password": password})
    return response.status_code


async def sign_in(client: AsyncClient, email: str, password: str) -> int:
    return (await client.post("/api/auth/login", json={"email": email, "password": password})).status_code


async def test_an_invited_person_sets_their_own_password_with_the_one_time_link(
    client: AsyncClient, other_client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    created = await invite(client, admin["headers"])

    assert created["email"] == "ines.mediatrice@savoie.fr" and created["role"] == "mediator"
    assert created["password_set"] is False and created["created_by"] == admin["id"]
    token = created["password_token"]["token"]
    assert created["password_token"]["expires_at"] == created["password_token_expires_at"]
    stored = await db.scalar(select(User).where(User.id == created["id"]))
    assert (
        stored is not None
        and stored.password_hash is None
        and token not in (stored.password_token_hash or "")
    )

    # No password yet: nothing to guess, the account cannot sign in.
    assert await sign_in(other_client, created["email"], "") == 422
    assert await sign_in(other_client, created["email"], "anything at all") == 401
    assert await set_password(other_client, token) == 204
    assert await sign_in(other_client, created["email"], NEW_PASSWORD) == 200
    assert await set_password(other_client, token, "encore un autre mot de passe") == 400  # used once only
    listed = (await client.get("/api/auth/users", params={"role": "mediator"})).json()["items"]
    assert listed[0]["password_set"] is True and listed[0]["password_token_expires_at"] is None


async def test_a_password_link_is_refused_once_expired_or_replaced_and_for_a_deactivated_account(
    client: AsyncClient, other_client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    created = await invite(client, admin["headers"])
    first = created["password_token"]["token"]
    reissued = await client.post(f"/api/auth/users/{created['id']}/password-token", headers=admin["headers"])
    assert reissued.status_code == 201
    second = reissued.json()["token"]

    replaced = await other_client.post(
        "/api/auth/password", json={"token": first, "new_password": NEW_PASSWORD}
    )
    assert replaced.status_code == 400 and replaced.json()["code"] == "invalid-password-token"
    await db.execute(
        update(User)
        .where(User.id == created["id"])
        .values(password_token_expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    await db.commit()
    assert await set_password(other_client, second) == 400

    third = (
        await client.post(f"/api/auth/users/{created['id']}/password-token", headers=admin["headers"])
    ).json()
    await client.post(f"/api/auth/users/{created['id']}/deactivation", headers=admin["headers"])
    refused = await other_client.post(
        "/api/auth/password", json={"token": third["token"], "new_password": NEW_PASSWORD}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "account-deactivated"
    no_link = await client.post(f"/api/auth/users/{created['id']}/password-token", headers=admin["headers"])
    assert no_link.status_code == 403 and no_link.json()["code"] == "account-deactivated"


async def test_a_reset_link_ends_the_sessions_open_with_the_old_password(
    client: AsyncClient, other_client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    coordinator = await make_user(db, Role.COORDINATOR)
    await login(other_client, coordinator.email)
    token = (
        await client.post(f"/api/auth/users/{coordinator.id}/password-token", headers=admin["headers"])
    ).json()
    assert (
        await other_client.get("/api/auth/me")
    ).status_code == 200  # the old password still works until then

    assert await set_password(client, token["token"]) == 204

    assert (await other_client.get("/api/auth/me")).status_code == 401
    assert await sign_in(client, coordinator.email, PASSWORD) == 401
    assert await sign_in(client, coordinator.email, NEW_PASSWORD) == 200


async def test_account_creation_validates_its_fields_and_takes_no_password(
    client: AsyncClient, admin: dict[str, Any]
):
    with_password = await client.post(
        "/api/auth/users",
        headers=admin["headers"],
        json={**INVITED, "password": "chosen by the administrator"},
    )
    invalid = await client.post(
        "/api/auth/users",
        headers=admin["headers"],
        json={"email": "pas-une-adresse", "display_name": " ", "role": "superuser"},
    )
    await invite(client, admin["headers"])
    duplicate = await client.post("/api/auth/users", headers=admin["headers"], json=INVITED)

    assert with_password.status_code == 422
    assert [error["field"] for error in with_password.json()["errors"]] == ["password"]
    assert invalid.status_code == 422
    assert {error["field"] for error in invalid.json()["errors"]} == {"email", "display_name", "role"}
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "email-already-used"


async def test_accounts_are_listed_by_page_and_filtered_by_role_and_state(
    client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    for index in range(3):
        await make_user(db, Role.MEDIATOR, email=f"mediateur{index}@savoie.fr")
    coordinator = await make_user(db, Role.COORDINATOR)
    await client.post(f"/api/auth/users/{coordinator.id}/deactivation", headers=admin["headers"])

    first = (await client.get("/api/auth/users", params={"size": 2})).json()
    second = (await client.get("/api/auth/users", params={"size": 2, "page": 2})).json()
    mediators = (await client.get("/api/auth/users", params={"role": "mediator"})).json()
    inactive = (await client.get("/api/auth/users", params={"active": "false"})).json()
    bad = await client.get("/api/auth/users", params={"role": "superuser", "size": 0})

    assert first["total"] == 5 and len(first["items"]) == 2 and len(second["items"]) == 2
    assert {u["id"] for u in first["items"]}.isdisjoint({u["id"] for u in second["items"]})
    assert mediators["total"] == 3 and {u["role"] for u in mediators["items"]} == {"mediator"}
    assert [u["email"] for u in inactive["items"]] == ["coordinator@savoie.fr"]
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"role", "size"}
    assert (await client.get(f"/api/auth/users/{coordinator.id}")).json()["active"] is False
    assert (await client.get("/api/auth/users/00000000-0000-0000-0000-000000000000")).status_code == 404


async def test_a_role_change_applies_to_the_persons_open_sessions_at_once(
    client: AsyncClient, other_client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    mediator = await make_user(db, Role.MEDIATOR)
    await login(other_client, mediator.email)
    assert "directory:write" not in (await other_client.get("/api/auth/me")).json()["scopes"]

    changed = await client.patch(
        f"/api/auth/users/{mediator.id}",
        headers=admin["headers"],
        json={"role": "coordinator", "display_name": "Inès Martin"},
    )

    assert changed.status_code == 200
    body = changed.json()
    assert body["role"] == "coordinator" and body["display_name"] == "Inès Martin"
    assert body["updated_by"] == admin["id"] and body["updated_at"] is not None
    me = (await other_client.get("/api/auth/me")).json()
    assert me["name"] == "Inès Martin" and "directory:write" in me["scopes"]
    email_change = await client.patch(
        f"/api/auth/users/{mediator.id}",
        headers=admin["headers"],
        json={"email": "autre@savoie.fr", "active": False},
    )
    assert email_change.status_code == 422
    missing = await client.patch(
        "/api/auth/users/00000000-0000-0000-0000-000000000000",
        headers=admin["headers"],
        json={"role": "mediator"},
    )
    assert missing.status_code == 404 and missing.json()["code"] == "user-not-found"


async def test_deactivation_ends_the_sessions_and_refuses_sign_in_until_reactivated(
    client: AsyncClient, other_client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    coordinator = await make_user(db, Role.COORDINATOR)
    await login(other_client, coordinator.email)
    assert (await other_client.get("/api/auth/me")).status_code == 200

    deactivated = await client.post(
        f"/api/auth/users/{coordinator.id}/deactivation", headers=admin["headers"]
    )

    assert deactivated.status_code == 200 and deactivated.json()["active"] is False
    assert deactivated.json()["updated_by"] == admin["id"]
    assert (await other_client.get("/api/auth/me")).status_code == 401  # no waiting for the credentials cache
    assert (await db.scalars(select(UserSession).where(UserSession.user_id == coordinator.id))).all() == []
    right = await other_client.post(
        "/api/auth/login", json={"email": coordinator.email, "password": PASSWORD}
    )
    wrong = await other_client.post(
        "/api/auth/login", json={"email": coordinator.email, "password": "a guess"}
    )
    assert right.status_code == 403 and right.json()["code"] == "account-deactivated"
    assert (
        wrong.status_code == 401 and wrong.json()["code"] == "invalid-credentials"
    )  # nothing told to a guesser
    assert "set-cookie" not in right.headers

    again = await client.post(f"/api/auth/users/{coordinator.id}/deactivation", headers=admin["headers"])
    assert again.status_code == 200  # idempotent
    reactivated = await client.post(
        f"/api/auth/users/{coordinator.id}/reactivation", headers=admin["headers"]
    )
    assert reactivated.status_code == 200 and reactivated.json()["active"] is True
    assert await sign_in(other_client, coordinator.email, PASSWORD) == 200


async def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(
    client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    alone_deactivated = await client.post(
        f"/api/auth/users/{admin['id']}/deactivation", headers=admin["headers"]
    )
    alone_demoted = await client.patch(
        f"/api/auth/users/{admin['id']}", headers=admin["headers"], json={"role": "coordinator"}
    )
    for refused in (alone_deactivated, alone_demoted):
        assert refused.status_code == 409 and refused.json()["code"] == "last-active-admin"

    # An inactive admin does not count; an active one does.
    second = await make_user(db, Role.ADMIN, email="admin2@savoie.fr")
    assert (
        await client.post(f"/api/auth/users/{second.id}/deactivation", headers=admin["headers"])
    ).status_code == 200
    still_alone = await client.patch(
        f"/api/auth/users/{admin['id']}", headers=admin["headers"], json={"role": "mediator"}
    )
    assert still_alone.status_code == 409
    assert (
        await client.post(f"/api/auth/users/{second.id}/reactivation", headers=admin["headers"])
    ).status_code == 200
    demoted = await client.patch(
        f"/api/auth/users/{second.id}", headers=admin["headers"], json={"role": "coordinator"}
    )
    assert demoted.status_code == 200
    renamed = await client.patch(
        f"/api/auth/users/{admin['id']}",
        headers=admin["headers"],
        json={"display_name": "Admin Savoie", "role": "admin"},
    )
    assert renamed.status_code == 200  # keeping the admin role is no demotion
    kept = await db.scalar(select(User).where(User.id == admin["id"]))
    assert kept is not None and kept.role == "admin"


async def test_account_administration_is_for_admins_and_its_writes_need_the_csrf_token(
    client: AsyncClient, other_client: AsyncClient, admin: dict[str, Any], db: AsyncSession
):
    coordinator = await make_user(db, Role.COORDINATOR)
    headers = {"x-csrf-token": await login(other_client, coordinator.email)}
    target = f"/api/auth/users/{admin['id']}"
    calls = [
        ("GET", "/api/auth/users", None),
        ("POST", "/api/auth/users", INVITED),
        ("GET", target, None),
        ("PATCH", target, {"role": "mediator"}),
        ("POST", f"{target}/deactivation", None),
        ("POST", f"{target}/reactivation", None),
        ("POST", f"{target}/password-token", None),
    ]
    for method, path, body in calls:
        response = await other_client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, f"{method} {path}"
        assert response.json()["required_scopes"] == ["users:manage"]

    no_csrf = await client.patch(f"/api/auth/users/{coordinator.id}", json={"role": "mediator"})
    assert no_csrf.status_code == 403 and no_csrf.json()["code"] == "csrf-check-failed"
    assert (await db.scalar(select(User.role).where(User.id == coordinator.id))) == "coordinator"


async def test_a_person_changes_their_name_and_password_and_their_other_sessions_end(
    client: AsyncClient, other_client: AsyncClient, db: AsyncSession
):
    mediator = await make_user(db, Role.MEDIATOR)
    headers = {"x-csrf-token": await login(client, mediator.email)}
    await login(other_client, mediator.email)  # the same person on another device

    account = await client.get("/api/auth/account")
    assert account.status_code == 200 and account.json()["email"] == mediator.email
    renamed = await client.patch("/api/auth/account", headers=headers, json={"display_name": "  Inès M.  "})
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Inès M."
    assert renamed.json()["updated_by"] == mediator.id
    assert (await other_client.get("/api/auth/me")).json()["name"] == "Inès M."
    role_change = await client.patch(
        "/api/auth/account", headers=headers, json={"display_name": "X", "role": "admin"}
    )
    assert role_change.status_code == 422

    changed = await client.post(
        "/api/auth/account/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert changed.status_code == 204
    after = (await client.get("/api/auth/account")).json()  # this session stays
    assert after["password_changed_at"] > account.json()["password_changed_at"]
    assert (await other_client.get("/api/auth/me")).status_code == 401
    assert await sign_in(other_client, mediator.email, PASSWORD) == 401
    assert await sign_in(other_client, mediator.email, NEW_PASSWORD) == 200


async def test_a_password_change_needs_the_current_password_and_a_new_valid_one(
    client: AsyncClient, db: AsyncSession
):
    mediator = await make_user(db, Role.MEDIATOR)
    headers = {"x-csrf-token": await login(client, mediator.email)}

    async def change(current: str, new: str) -> dict[str, Any]:
        response = await client.post(
            "/api/auth/account/password",
            headers=headers,
            json={"current_password": current, "new_password": new},
        )
        assert response.status_code == 422, response.text
        return {error["field"]: error["reason"] for error in response.json()["errors"]}

    assert set(await change("not my password", NEW_PASSWORD)) == {"current_password"}
    assert set(await change(PASSWORD, PASSWORD)) == {"new_password"}
    assert set(await change(PASSWORD, "short")) == {"new_password"}
    assert await sign_in(client, mediator.email, PASSWORD) == 200  # nothing changed
    no_csrf = await client.post(
        "/api/auth/account/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert no_csrf.status_code == 403 and no_csrf.json()["code"] == "csrf-check-failed"


async def test_guessing_the_current_password_is_throttled(
    client: AsyncClient, db: AsyncSession, gateway_settings, one_rate_window
):
    mediator = await make_user(db, Role.MEDIATOR)
    headers = {"x-csrf-token": await login(client, mediator.email)}
    gateway_settings.rate_limit_login_per_minute = 3  # the login was one attempt from this address
    statuses = [
        (
            await client.post(
                "/api/auth/account/password",
                headers=headers,
                json={"current_password": f"guess {n}", "new_password": NEW_PASSWORD},
            )
        ).status_code
        for n in range(3)
    ]
    assert statuses == [422, 422, 429]


async def test_self_service_is_for_signed_in_people_not_api_keys(client: AsyncClient, db: AsyncSession):
    _, secret = await service.create_api_key(
        db, name="DORA", scopes=["directory:write"], created_by=None, expires_at=None
    )
    await db.commit()
    key = {"authorization": f"Bearer {secret}"}
    for method, path, body in [
        ("GET", "/api/auth/account", None),
        ("PATCH", "/api/auth/account", {"display_name": "X"}),
        ("POST", "/api/auth/account/password", {"current_password": "x", "new_password": NEW_PASSWORD}),
    ]:
        assert (await client.request(method, path, json=body)).status_code == 401, (
            f"anonymous {method} {path}"
        )
        assert (await client.request(method, path, json=body, headers=key)).status_code == 403, (
            f"key {method} {path}"
        )


async def test_no_password_hash_or_secret_appears_in_responses_or_logs(
    client: AsyncClient,
    other_client: AsyncClient,
    admin: dict[str, Any],
    log_lines: list[str],
    gateway_settings,
):
    gateway_settings.access_log = True
    created = await invite(client, admin["headers"])
    token = created["password_token"]["token"]
    assert await set_password(other_client, token) == 204
    signed_in = await other_client.post(
        "/api/auth/login", json={"email": created["email"], "password": NEW_PASSWORD}
    )
    headers = {"x-csrf-token": signed_in.json()["csrf_token"]}
    changed = await other_client.post(
        "/api/auth/account/password",
        headers=headers,
        json={"current_password": NEW_PASSWORD, "new_password": "troisième mot de passe"},
    )
    assert changed.status_code == 204
    short = await other_client.post(
        "/api/auth/account/password",
        headers=headers,
        json={"current_password": "secret-typed-wrong", "new_password": "court"},
    )
    assert short.status_code == 422 and "court" not in short.text and "secret-typed-wrong" not in short.text

    responses = [
        (await client.get("/api/auth/users")).text,
        (await client.get(f"/api/auth/users/{created['id']}")).text,
        (await other_client.get("/api/auth/account")).text,
    ]
    for text in responses:
        assert "password_hash" not in text and "argon2" not in text and "password_token_hash" not in text
    logged = "\n".join(log_lines)
    assert log_lines, "the access log was expected to write lines"
    for secret in (token, NEW_PASSWORD, "troisième mot de passe", "secret-typed-wrong", "argon2"):
        assert secret not in logged
