from datetime import timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse

from fne_gateway.access import UserManager
from fne_gateway.auth import service as accounts
from fne_gateway.auth.middleware import CSRF_COOKIE, SESSION_COOKIE
from fne_gateway.auth.router import throttle_password_attempts
from fne_gateway.auth.schemas import UserOut
from fne_gateway.dependencies import gateway_settings, proconnect_client
from fne_gateway.proconnect import service
from fne_gateway.proconnect.client import ProConnectClient
from fne_gateway.proconnect.exceptions import SignInRefused
from fne_gateway.proconnect.schemas import Approval, ProConnectStatus
from fne_kernel.access import public
from fne_kernel.db import SessionDep
from fne_kernel.errors import NotFound
from fne_kernel.logging import get_logger

router = APIRouter(prefix="/api/auth", tags=["authentification"])
logger = get_logger("fne.gateway.proconnect")
FLOW_COOKIE = "fne_proconnect"
FLOW_COOKIE_PATH = "/api/auth/proconnect"


def _client(request: Request) -> ProConnectClient:
    client = proconnect_client(request)
    if client is None:
        raise NotFound("La connexion par ProConnect n'est pas proposée sur cette plateforme.")
    return client


def _redirect_uri(request: Request) -> str:
    return gateway_settings(request).public_url.rstrip("/") + "/api/auth/proconnect/retour"


def _to_login(reason: str) -> RedirectResponse:
    response = RedirectResponse("/connexion?" + urlencode({"proconnect": reason}), status_code=303)
    response.delete_cookie(FLOW_COOKIE, path=FLOW_COOKIE_PATH)
    return response


@router.get("/proconnect", dependencies=[Depends(public)])
async def proconnect_status(request: Request) -> ProConnectStatus:
    """Whether the "S'identifier avec ProConnect" button is offered."""
    return ProConnectStatus(active=gateway_settings(request).proconnect_enabled)


@router.get(
    "/proconnect/connexion", dependencies=[Depends(public)], status_code=303, response_class=RedirectResponse
)
async def proconnect_start(request: Request, session: SessionDep) -> RedirectResponse:
    """Start signing in with ProConnect: redirects to the provider (code flow, PKCE, state, nonce)."""
    client = _client(request)
    await throttle_password_attempts(request, f"proconnect:{request.state.client_ip}")
    try:
        authorization = await client.authorization(_redirect_uri(request))
    except SignInRefused as refused:
        logger.warning("proconnect unavailable", extra={"reason": refused.log_detail})
        return _to_login(refused.reason)
    await service.start_flow(session, authorization)
    response = RedirectResponse(authorization.url, status_code=303)
    # Binds the return to this browser (no one can finish a sign-in they did not start in it).
    response.set_cookie(
        FLOW_COOKIE,
        authorization.state,
        max_age=int(service.FLOW_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=gateway_settings(request).cookie_secure,
        path=FLOW_COOKIE_PATH,
    )
    return response


@router.get(
    "/proconnect/retour", dependencies=[Depends(public)], status_code=303, response_class=RedirectResponse
)
async def proconnect_return(
    request: Request,
    session: SessionDep,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
) -> RedirectResponse:
    """Return from ProConnect: checks everything, opens a session, and goes back to the web app."""
    client = _client(request)
    settings = gateway_settings(request)
    try:
        if error or not code or not state:
            raise SignInRefused("refus" if error else "erreur", f"provider error: {error or 'no code'}"[:80])
        flow = await service.take_flow(session, state, request.cookies.get(FLOW_COOKIE))
        identity = await client.identity(
            code=code, redirect_uri=_redirect_uri(request), nonce=flow.nonce, code_verifier=flow.code_verifier
        )
        user = await service.account_for(session, identity)
    except SignInRefused as refused:
        # The consumed flow and a new pending account are kept: the request still commits.
        logger.warning(
            "proconnect sign-in refused", extra={"reason": refused.reason, "detail": refused.log_detail}
        )
        return _to_login(refused.reason)
    token, user_session = await accounts.open_session(
        session, user, timedelta(hours=settings.session_lifetime_hours)
    )
    response = RedirectResponse("/", status_code=303)
    max_age = settings.session_lifetime_hours * 3600
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        user_session.csrf_token,
        max_age=max_age,
        httponly=False,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    response.delete_cookie(FLOW_COOKIE, path=FLOW_COOKIE_PATH)
    logger.info("proconnect sign-in", extra={"user_id": user.id})
    return response


@router.post("/users/{user_id}/approbation")
async def approve_user(user_id: str, body: Approval, principal: UserManager, session: SessionDep) -> UserOut:
    """Grant a role to an account awaiting one (created by a first ProConnect sign-in), and activate it."""
    user = await accounts.get_user(session, user_id)
    return UserOut.model_validate(await service.approve(session, user, body.role, by=principal.subject))
