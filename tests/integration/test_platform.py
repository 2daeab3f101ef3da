import asyncio
import subprocess
import sys

import httpx

from tests.integration.conftest import SERVICE_NAMES, Platform, login_admin


async def test_health_reports_every_service_ready_with_migrations_at_head(gateway: httpx.AsyncClient):
    response = await gateway.get("/api/health")
    assert response.status_code == 200
    services = response.json()["services"]
    assert set(services) == {"gateway", *SERVICE_NAMES}
    for report in services.values():
        assert report["ready"] and report["database"] == "ok" and report["migrations"]["at_head"]


async def test_one_merged_openapi_document_and_a_docs_page(gateway: httpx.AsyncClient):
    document = (await gateway.get("/api/openapi.json")).json()
    paths = document["paths"]
    assert "/api/auth/login" in paths and "/api/health" in paths
    for name in SERVICE_NAMES:
        assert f"/api/{name}/me" in paths
        assert f"/api/{name}/health" not in paths  # internal probes stay internal
    assert "x-fne-unavailable-services" not in document
    docs = await gateway.get("/api/docs")
    assert docs.status_code == 200 and "/api/openapi.json" in docs.text
    assert (await gateway.get("/api/docs/static/swagger-ui-bundle.js")).status_code == 200


async def test_a_user_logs_in_and_calls_protected_routes_of_every_service(gateway: httpx.AsyncClient):
    for name in SERVICE_NAMES:
        assert (await gateway.get(f"/api/{name}/me")).status_code == 401
    await login_admin(gateway)
    for name in SERVICE_NAMES:
        response = await gateway.get(f"/api/{name}/me")
        assert response.status_code == 200
        assert response.json()["role"] == "admin" and response.json()["name"] == "Admin Savoie"


def call_from_another_program(url: str, key: str) -> int:
    """A partner's script: plain urllib in a separate Python process, no shared state with the tests."""
    script = (
        "import sys, urllib.request, urllib.error\n"
        "request = urllib.request.Request(sys.argv[1], headers={'Authorization': 'Bearer ' + sys.argv[2]})\n"
        "try:\n    print(urllib.request.urlopen(request).status)\n"
        "except urllib.error.HTTPError as error:\n    print(error.code)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, url, key], capture_output=True, text=True, timeout=30
    )
    return int(completed.stdout.strip())


async def test_an_api_key_works_from_another_program_until_revoked(
    platform: Platform, gateway: httpx.AsyncClient
):
    csrf = await login_admin(gateway)
    created = await gateway.post(
        "/api/auth/api-keys", headers=csrf, json={"name": "Mednum73", "scopes": ["surveys:read"]}
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert call_from_another_program(f"{platform.url}/api/surveys/me", key) == 200

    revoked = await gateway.delete(f"/api/auth/api-keys/{created.json()['id']}", headers=csrf)
    assert revoked.status_code == 200
    assert call_from_another_program(f"{platform.url}/api/surveys/me", key) == 401


async def test_api_keys_from_the_command_line(platform: Platform, gateway: httpx.AsyncClient):
    created = platform.fne("api-key", "create", "DORA", "--scope", "directory:write", "--scope", "sync:run")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    me = await gateway.get("/api/directory/me", headers={"authorization": f"Bearer {key}"})
    assert me.json()["scopes"] == ["directory:write", "sync:run"]
    key_id = created.stdout.split()[1]
    assert "DORA" in platform.fne("api-key", "list").stdout
    assert platform.fne("api-key", "revoke", key_id).returncode == 0
    # Another process revoked it: this gateway's cache entry lives GATEWAY_CREDENTIALS_CACHE_SECONDS.
    await asyncio.sleep(1.2)
    assert (
        await gateway.get("/api/directory/me", headers={"authorization": f"Bearer {key}"})
    ).status_code == 401
    bad_scope = platform.fne("api-key", "create", "X", "--scope", "users:manage")
    assert bad_scope.returncode != 0 and "users:manage" in bad_scope.stderr


async def test_a_service_down_gives_503_naming_it_while_the_others_keep_working(
    platform: Platform, gateway: httpx.AsyncClient
):
    platform.stop("observatory")
    try:
        down = await gateway.get("/api/observatory/me")
        assert down.status_code == 503 and down.json()["service"] == "observatory"
        assert (await gateway.get("/api/directory/me")).status_code == 401  # answered by the directory
        health = await gateway.get("/api/health")
        assert health.status_code == 503 and health.json()["services"]["observatory"]["ready"] is False
        document = (await gateway.get("/api/openapi.json")).json()
        assert "/api/observatory/me" in document["paths"]  # the last document fetched is still published
    finally:
        platform.start("observatory")
        await platform.wait_ready()


async def test_bad_input_gets_problems_and_never_a_500(gateway: httpx.AsyncClient):
    cases = [
        await gateway.post("/api/auth/login", content=b"{", headers={"content-type": "application/json"}),
        await gateway.post("/api/auth/login", json={"email": 42, "password": None}),
        await gateway.post("/api/auth/login", content=b"x" * (2 * 1024 * 1024)),
        await gateway.get("/api/directory/unknown"),
        await gateway.get("/api/unknown"),
        await gateway.get("/api/directory/me", headers={"x-fne-identity": "forged"}),
    ]
    assert [response.status_code for response in cases] == [422, 422, 413, 404, 404, 401]
    for response in cases:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["x-request-id"]


async def test_request_id_travels_from_the_client_to_the_service(
    platform: Platform, gateway: httpx.AsyncClient
):
    response = await gateway.get("/api/surveys/health", headers={"x-request-id": "suivi-73-0001"})
    assert response.headers["x-request-id"] == "suivi-73-0001"


async def test_the_network_through_the_gateway_an_event_reaches_the_public_agenda(gateway: httpx.AsyncClient):
    anonymous = httpx.AsyncClient(base_url=str(gateway.base_url), timeout=10)
    csrf = await login_admin(gateway)
    created = await gateway.post(
        "/api/network/evenements",
        headers=csrf,
        json={
            "titre": "Semaine du numérique à Chambéry",
            "type": "semaine_numerique",
            "debut": "2099-03-16T09:00:00+01:00",
            "fin": "2099-03-16T18:00:00+01:00",
            "commune": "73065",
            "adresse": "Place du Palais de Justice",
        },
    )
    assert created.status_code == 201, created.text
    async with anonymous:
        agenda = await anonymous.get("/api/network/evenements", params={"commune": "73065"})
        assert [item["titre"] for item in agenda.json()["items"]] == ["Semaine du numérique à Chambéry"]
        feed = await anonymous.get("/api/network/evenements.ics", params={"commune": "73065"})
        assert feed.headers["content-type"].startswith("text/calendar") and b"BEGIN:VEVENT" in feed.content
        assert (await anonymous.get("/api/network/statistiques")).status_code == 200
        assert (await anonymous.get("/api/network/personnes")).status_code == 401
