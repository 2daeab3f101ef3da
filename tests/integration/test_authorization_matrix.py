"""Walks every operation of the merged OpenAPI document, as published, and checks who may call it.

A new route that changes state and forgets its authorization makes this test fail.
"""

import re
from typing import Any

import httpx
import pytest

from fne_kernel.identity import API_KEY_SCOPES
from tests.integration.conftest import Platform, login_admin

STATE_CHANGING = {"post", "put", "patch", "delete"}
# State-changing routes that are public on purpose, each with its reason.
PUBLIC_WRITES = {
    ("post", "/api/auth/login"): "opening a session needs no session",
    ("post", "/api/surveys/public/{token}/reponses"):
        "a citizen answers through an unguessable public link; the gateway rate-limits anonymous callers",
    ("patch", "/api/surveys/public/{token}/reponses/{response_id}"):
        "the same citizen resumes, proving it with the X-Resume-Token header",
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
    response = await gateway.post("/api/auth/api-keys", headers=csrf,
                                  json={"name": "matrice", "scopes": sorted(scopes)})
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


async def test_anonymous_callers_are_refused_on_every_protected_operation(gateway: httpx.AsyncClient,
                                                                        document: dict[str, Any]):
    checked = 0
    for method, path, operation in operations(document):
        if operation["x-fne-access"]["public"]:
            continue
        response = await gateway.request(method.upper(), concrete(path), json={})
        assert response.status_code == 401, f"{method.upper()} {path} gave {response.status_code} to anonymous"
        checked += 1
    assert checked >= 8


async def test_a_key_without_the_right_scope_is_refused_everywhere(gateway: httpx.AsyncClient,
                                                                 document: dict[str, Any]):
    keys: dict[frozenset[str], str] = {}
    checked = 0
    for method, path, operation in operations(document):
        required = set(operation["x-fne-access"].get("scopes") or ())
        if not required:
            continue
        other_scopes = frozenset(API_KEY_SCOPES - required) or frozenset({"surveys:read"} - required)
        if other_scopes not in keys:
            keys[other_scopes] = await key_with(gateway, set(other_scopes))
        response = await gateway.request(method.upper(), concrete(path), json={},
                                         headers={"authorization": f"Bearer {keys[other_scopes]}"})
        assert response.status_code == 403, f"{method.upper()} {path} let a key without {required} through"
        checked += 1
    assert checked >= 5


async def test_a_key_with_the_right_scope_gets_past_authorization(gateway: httpx.AsyncClient,
                                                                document: dict[str, Any]):
    key = await key_with(gateway, set(API_KEY_SCOPES))
    for method, path, operation in operations(document):
        required = set(operation["x-fne-access"].get("scopes") or ())
        access = operation["x-fne-access"]
        if access["public"] or not required <= API_KEY_SCOPES or "api_key" not in access.get("caller_kinds", ["api_key"]):
            continue
        response = await gateway.request(method.upper(), concrete(path), json={},
                                         headers={"authorization": f"Bearer {key}"})
        assert response.status_code not in (401, 403), f"{method.upper()} {path} refused a key with {required}"
