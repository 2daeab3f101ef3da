from datetime import timedelta

import jwt
import pytest
from fastapi import APIRouter, Depends, FastAPI
from httpx import AsyncClient

from fne_directory.config import Settings
from fne_kernel.access import public, require_scopes
from fne_kernel.app import create_service_app
from fne_kernel.identity import Principal, Role, generate_private_key_pem
from tests.support import identity_header, user_principal


async def test_health_and_readiness_report_database_and_migrations(
    service_client: AsyncClient, service_app: FastAPI
):
    assert (await service_client.get("/health")).json() == {"status": "ok", "service": "directory"}
    ready = await service_client.get("/ready")
    assert ready.status_code == 200
    migrations = ready.json()["migrations"]
    assert migrations["at_head"] and migrations["current"] == sorted(service_app.state.migration_heads)


async def test_readiness_is_503_when_the_database_is_unreachable(identity_keys, tmp_path):
    from fne_directory.main import create_app

    app = create_app(
        Settings(
            database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
            identity_public_key=identity_keys[1],
            access_log=False,
        )
    )
    from httpx import ASGITransport

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://directory") as client:
        response = await client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["database"] == "unreachable"
    assert "nobody" not in response.text  # the database URL is never disclosed


async def test_readiness_is_503_when_migrations_are_behind(service_client: AsyncClient, service_app: FastAPI):
    service_app.state.migration_heads = {"a_newer_revision"}
    response = await service_client.get("/ready")
    assert response.status_code == 503
    assert response.json()["migrations"]["at_head"] is False


async def test_the_running_release_stays_ready_when_the_next_one_has_migrated(
    service_client: AsyncClient, service_app: FastAPI
):
    """Expand/contract: the next release's migration job runs first; this release, which does not know the new
    revision, keeps serving until its pods are replaced."""
    service_app.state.migration_heads = {"this_release_head"}
    service_app.state.migration_known = {"this_release_head", "an_older_one"}
    response = await service_client.get("/ready")
    assert response.status_code == 200
    assert (
        response.json()["migrations"]["ahead"] is True and response.json()["migrations"]["at_head"] is False
    )


async def test_a_valid_identity_token_identifies_the_caller(service_client: AsyncClient, identity_keys):
    principal = user_principal(Role.MEDIATOR)
    response = await service_client.get("/me", headers=identity_header(identity_keys[0], principal))
    assert response.status_code == 200
    assert response.json() == {
        "kind": "user",
        "subject": "user-1",
        "name": "Camille",
        "role": "mediator",
        "scopes": ["surveys:read", "surveys:write"],
    }


@pytest.mark.parametrize("case", ["missing", "garbage", "other-key", "expired", "tampered", "unsigned"])
async def test_bad_identity_tokens_are_refused(service_client: AsyncClient, identity_keys, case: str):
    principal = user_principal(Role.ADMIN)
    token = identity_header(identity_keys[0], principal)["x-fne-identity"]
    headers = {
        "missing": {},
        "garbage": {"x-fne-identity": "garbage"},
        "other-key": identity_header(generate_private_key_pem(), principal),
        "expired": identity_header(identity_keys[0], principal, lifetime=timedelta(seconds=-10)),
        "tampered": {"x-fne-identity": token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")},
        "unsigned": {
            "x-fne-identity": jwt.encode(
                {"sub": "x", "kind": "user", "scopes": ["users:manage"]}, key="", algorithm="none"
            )
        },
    }[case]
    response = await service_client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unauthenticated"


async def test_unknown_route_wrong_method_and_oversized_body_are_problems(service_client: AsyncClient):
    unknown = await service_client.get("/nowhere")
    wrong_method = await service_client.delete("/health")
    oversized = await service_client.post("/health", content=b"x" * 2048)
    assert (unknown.status_code, wrong_method.status_code, oversized.status_code) == (404, 405, 413)
    for response in (unknown, wrong_method, oversized):
        assert response.headers["content-type"] == "application/problem+json"


async def test_request_id_is_propagated_or_created(service_client: AsyncClient):
    given = await service_client.get("/health", headers={"x-request-id": "abc-123"})
    created = await service_client.get("/health", headers={"x-request-id": "not valid! <script>"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(created.headers["x-request-id"]) == 32


def _app_with(router: APIRouter, public_key: str, tmp_path) -> FastAPI:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", identity_public_key=public_key)
    return create_service_app(
        name="test", title="t", description="d", package="fne_directory", settings=settings, routers=[router]
    )


def test_a_route_without_a_declared_access_policy_stops_the_service_from_starting(identity_keys, tmp_path):
    router = APIRouter()

    @router.post("/forgotten")
    async def forgotten() -> None:
        """Declares no access policy."""

    with pytest.raises(RuntimeError, match="/forgotten"):
        _app_with(router, identity_keys[1], tmp_path)


async def test_scopes_are_enforced_and_documented(identity_keys, tmp_path):
    router = APIRouter()

    @router.post("/places", dependencies=[Depends(require_scopes("directory:write"))])
    async def create_place() -> dict[str, str]:
        """Create."""
        return {"ok": "yes"}

    @router.get("/places", dependencies=[Depends(public)])
    async def list_places() -> list[str]:
        """List."""
        return []

    app = _app_with(router, identity_keys[1], tmp_path)
    operations = app.openapi()["paths"]["/places"]
    assert operations["post"]["x-fne-access"] == {"public": False, "scopes": ["directory:write"]}
    assert operations["get"]["x-fne-access"] == {"public": True}

    from httpx import ASGITransport

    mediator = identity_header(identity_keys[0], user_principal(Role.MEDIATOR))
    coordinator = identity_header(identity_keys[0], user_principal(Role.COORDINATOR))
    api_key = identity_header(
        identity_keys[0], Principal(kind="api_key", subject="k", scopes=frozenset({"sync:run"}))
    )
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/places")).status_code == 200
        assert (await client.post("/places")).status_code == 401
        assert (await client.post("/places", headers=mediator)).status_code == 403
        assert (await client.post("/places", headers=api_key)).status_code == 403
        assert (await client.post("/places", headers=coordinator)).status_code == 200
