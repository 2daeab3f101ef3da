"""Liveness (`/health`: the process answers) and readiness (`/ready`: database reachable, migrations at
head)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from fne_kernel.access import authenticated, public
from fne_kernel.errors import problem_response
from fne_kernel.identity import Principal
from fne_kernel.migrations import current_revisions

router = APIRouter(tags=["santé"])


@router.get("/health", dependencies=[Depends(public)])
async def health(request: Request) -> dict[str, str]:
    """The service process is alive."""
    return {"status": "ok", "service": request.app.state.service_name}


async def readiness(request: Request) -> dict[str, Any]:
    heads = sorted(request.app.state.migration_heads)
    try:
        async with request.app.state.sessions() as session:
            await session.execute(text("SELECT 1"))
            connection = await session.connection()
            current = sorted(await connection.run_sync(current_revisions))
    except Exception as exc:  # any driver error means "not ready", reported without leaking the URL
        return {
            "ready": False,
            "database": "unreachable",
            "error": type(exc).__name__,
            "migrations": {"head": heads},
        }
    # Ahead: the database was migrated by the next release (its migration job runs before its pods start).
    # This release keeps serving during the rollout: migrations are expand/contract (docs/operations.md).
    known = getattr(request.app.state, "migration_known", None)
    ahead = bool(current) and current != heads and known is not None and not set(current) & known
    return {
        "ready": current == heads or ahead,
        "database": "ok",
        "migrations": {"current": current, "head": heads, "at_head": current == heads, "ahead": ahead},
    }


@router.get(
    "/ready",
    dependencies=[Depends(public)],
    responses={503: {"description": "Base injoignable ou migrations en retard"}},
)
async def ready(request: Request, report: Annotated[dict[str, Any], Depends(readiness)]) -> Response:
    """The service can serve: its database answers and its schema is at the latest migration."""
    service = request.app.state.service_name
    if report["ready"]:
        return JSONResponse({"status": "ready", "service": service, **report})
    return problem_response(
        503, "not-ready", "Service non prêt", f"{service} n'est pas prêt", service=service, **report
    )


@router.get("/me")
async def me(principal: Annotated[Principal, Depends(authenticated)]) -> dict[str, Any]:
    """The authenticated caller as this service sees it (identity, role and scopes)."""
    return {
        "kind": principal.kind,
        "subject": principal.subject,
        "name": principal.name,
        "role": principal.role,
        "scopes": sorted(principal.scopes),
    }
