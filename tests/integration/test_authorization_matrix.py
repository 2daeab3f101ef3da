"""Walks every operation of the merged OpenAPI document, as published, and checks who may call it.

A new route that changes state and forgets its authorization makes this test fail.
"""

import re
from typing import Any

import httpx
import pytest

from fne_kernel.identity import API_KEY_SCOPES, ROLE_SCOPES, Role
from tests.integration.conftest import login_admin

STATE_CHANGING = {"post", "put", "patch", "delete"}
# State-changing routes that are public on purpose, each with its reason.
PUBLIC_WRITES = {
    ("post", "/api/auth/login"): "opening a session needs no session",
    (
        "post",
        "/api/auth/password",
    ): "an invited person sets their password with the one-time link's secret, before they have any session",
    (
        "post",
        "/api/surveys/public/{token}/reponses",
    ): "a citizen answers through an unguessable public link; the gateway rate-limits anonymous callers",
    (
        "patch",
        "/api/surveys/public/{token}/reponses/{response_id}",
    ): "the same citizen resumes, proving it with the X-Resume-Token header",
    (
        "post",
        "/api/directory/fraicheur/lecture",
    ): "a place's contact opens the one-time link of a freshness message (its secret proves it), no account",
    ("post", "/api/directory/fraicheur/confirmation"): "the same contact confirms, with the link's secret",
    (
        "post",
        "/api/directory/fraicheur/correction",
    ): "the same contact proposes corrections, reviewed by coordinators before publication",
    ("post", "/api/directory/fraicheur/desinscription"): "the same contact stops the messages",
    (
        "post",
        "/api/directory/fraicheur/desinscription-en-un-clic",
    ): "the mail client's one-click unsubscription (RFC 8058), with the link's secret",
    (
        "post",
        "/api/directory/lieux/{place_id}/signalements",
    ): "anyone reports an error on a place without an account; throttled, reviewed before anything changes",
    (
        "post",
        "/api/directory/recherches",
    ): "anyone follows a search by e-mail; nothing is sent before the address confirms it; throttled",
    ("post", "/api/directory/recherches/confirmation"): "the address confirms with the link's secret",
    ("post", "/api/directory/recherches/desinscription"): "one-click unsubscription with the link's secret",
}
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in STATE_CHANGING | {"get", "head"}
    ]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", PLACEHOLDER_ID, path)


@pytest.fixture
async def document(gateway: httpx.AsyncClient) -> dict[str, Any]:
    return (await gateway.get("/api/openapi.json")).json()


async def key_with(gateway: httpx.AsyncClient, scopes: set[str]) -> str:
    csrf = await login_admin(gateway)
    response = await gateway.post(
        "/api/auth/api-keys", headers=csrf, json={"name": "matrice", "scopes": sorted(scopes)}
    )
    assert response.status_code == 201, response.text
    gateway.cookies.clear()
    return response.json()["key"]


async def test_every_operation_declares_its_access_and_writes_are_never_public(document: dict[str, Any]):
    found = operations(document)
    assert len(found) >= 10
    for method, path, operation in found:
        access = operation.get("x-fne-access")
        assert access is not None, f"{method.upper()} {path} declares no access"
        if method in STATE_CHANGING and (method, path) not in PUBLIC_WRITES:
            assert not access["public"], f"{method.upper()} {path} changes state and is public"


async def test_anonymous_callers_are_refused_on_every_protected_operation(
    gateway: httpx.AsyncClient, document: dict[str, Any]
):
    checked = 0
    for method, path, operation in operations(document):
        if operation["x-fne-access"]["public"]:
            continue
        response = await gateway.request(method.upper(), concrete(path), json={})
        assert response.status_code == 401, (
            f"{method.upper()} {path} gave {response.status_code} to anonymous"
        )
        checked += 1
    assert checked >= 8


async def test_a_key_without_the_right_scope_is_refused_everywhere(
    gateway: httpx.AsyncClient, document: dict[str, Any]
):
    keys: dict[frozenset[str], str] = {}
    checked = 0
    for method, path, operation in operations(document):
        required: set[str] = set(operation["x-fne-access"].get("scopes") or ())
        if not required:
            continue
        other_scopes: frozenset[str] = frozenset(API_KEY_SCOPES - required) or frozenset(
            {"surveys:read"} - required
        )
        if other_scopes not in keys:
            keys[other_scopes] = await key_with(gateway, set(other_scopes))
        response = await gateway.request(
            method.upper(), concrete(path), json={}, headers={"authorization": f"Bearer {keys[other_scopes]}"}
        )
        assert response.status_code == 403, f"{method.upper()} {path} let a key without {required} through"
        checked += 1
    assert checked >= 5


async def test_a_key_with_the_right_scope_gets_past_authorization(
    gateway: httpx.AsyncClient, document: dict[str, Any]
):
    key = await key_with(gateway, set(API_KEY_SCOPES))
    for method, path, operation in operations(document):
        required = set(operation["x-fne-access"].get("scopes") or ())
        access = operation["x-fne-access"]
        if (
            access["public"]
            or not required <= API_KEY_SCOPES
            or "api_key" not in access.get("caller_kinds", ["api_key"])
        ):
            continue
        response = await gateway.request(
            method.upper(), concrete(path), json={}, headers={"authorization": f"Bearer {key}"}
        )
        assert response.status_code not in (401, 403), (
            f"{method.upper()} {path} refused a key with {required}"
        )


async def session_of(gateway: httpx.AsyncClient, role: Role) -> dict[str, str]:
    """A person with `role`, invited by the admin, signed in: the session's cookies and CSRF header."""
    admin = await login_admin(gateway)
    email = f"matrice-{role.value}@savoie.fr"
    listed = (await gateway.get("/api/auth/users", params={"role": role.value, "size": 200})).json()["items"]
    existing = next((user for user in listed if user["email"] == email), None)
    if existing is None:
        created = await gateway.post(
            "/api/auth/users",
            headers=admin,
            json={"email": email, "display_name": f"Matrice {role.value}", "role": role.value},
        )
        assert created.status_code == 201, created.text
        token = created.json()["password_token"]["token"]
    else:
        token = (
            await gateway.post(f"/api/auth/users/{existing['id']}/password-token", headers=admin)
        ).json()["token"]
    gateway.cookies.clear()
    password = f"mot de passe de la matrice {role.value}"
    assert (
        await gateway.post("/api/auth/password", json={"token": token, "new_password": password})
    ).status_code == 204
    signed_in = await gateway.post("/api/auth/login", json={"email": email, "password": password})
    assert signed_in.status_code == 200, signed_in.text
    cookie = "; ".join(f"{name}={value}" for name, value in gateway.cookies.items())
    gateway.cookies.clear()
    return {"cookie": cookie, "x-csrf-token": signed_in.json()["csrf_token"]}


async def test_a_session_whose_role_lacks_the_scope_is_refused_everywhere(
    gateway: httpx.AsyncClient, document: dict[str, Any]
):
    """Account and key administration (admin only) as much as every service's writes, for each role."""
    sessions = {role: await session_of(gateway, role) for role in (Role.COORDINATOR, Role.MEDIATOR)}
    checked = set()
    for method, path, operation in operations(document):
        required = set(operation["x-fne-access"].get("scopes") or ())
        for role, headers in sessions.items():
            if not required or required <= ROLE_SCOPES[role]:
                continue
            response = await gateway.request(method.upper(), concrete(path), json={}, headers=headers)
            assert response.status_code == 403, (
                f"{method.upper()} {path} let a {role.value} without {required} through"
            )
            # The CSRF token was sent: the refusal is the role's, not a missing token's.
            assert response.json()["code"] == "forbidden", f"{method.upper()} {path}: {response.text}"
            checked.add((method, path))
    assert ("patch", "/api/auth/users/{user_id}") in checked
    assert ("post", "/api/auth/users/{user_id}/deactivation") in checked


async def test_routes_for_people_refuse_api_keys(gateway: httpx.AsyncClient, document: dict[str, Any]):
    """Self-service (one's own account and password) belongs to a signed-in person, never to a platform's
    key."""
    key = await key_with(gateway, set(API_KEY_SCOPES))
    checked = []
    for method, path, operation in operations(document):
        if operation["x-fne-access"].get("caller_kinds") != ["user"]:
            continue
        response = await gateway.request(
            method.upper(), concrete(path), json={}, headers={"authorization": f"Bearer {key}"}
        )
        assert response.status_code == 403, f"{method.upper()} {path} accepted an API key"
        checked.append((method, path))
    assert {
        ("get", "/api/auth/account"),
        ("patch", "/api/auth/account"),
        ("post", "/api/auth/account/password"),
    } <= set(checked)
