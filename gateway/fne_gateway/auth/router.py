from datetime import timedelta

from fastapi import APIRouter, Depends, Response
from starlette.requests import Request

from fne_gateway.auth import service
from fne_gateway.auth.dependencies import AuthenticatedPrincipal, KeyManager, Resolver, SessionUser, UserManager
from fne_gateway.auth.exceptions import RateLimited
from fne_gateway.auth.middleware import CSRF_COOKIE, SESSION_COOKIE
from fne_gateway.auth.schemas import (
    ApiKeyCreate, ApiKeyCreated, ApiKeyOut, LoginRequest, LoginResponse, Me, UserCreate, UserOut,
)
from fne_kernel.access import public
from fne_kernel.db import SessionDep, after_commit
from fne_kernel.errors import Forbidden

router = APIRouter(prefix="/api/auth", tags=["authentification"])


@router.post("/login", dependencies=[Depends(public)])
async def login(body: LoginRequest, request: Request, response: Response, session: SessionDep) -> LoginResponse:
    """Open a session: sets an HttpOnly session cookie and returns the CSRF token for state-changing calls."""
    settings = request.app.state.settings
    retry_after = await request.app.state.rate_limiter.hit(
        f"login:{request.state.client_ip}:{body.email}", settings.rate_limit_login_per_minute)
    if retry_after:
        raise RateLimited(retry_after)
    user = await service.check_password(session, body.email, body.password)
    token, user_session = await service.open_session(
        session, user, timedelta(hours=settings.session_lifetime_hours))
    max_age = settings.session_lifetime_hours * 3600
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax",
                        secure=settings.cookie_secure, path="/")
    # Readable by the SPA, which echoes it in X-CSRF-Token: a cross-site page can neither read nor forge it.
    response.set_cookie(CSRF_COOKIE, user_session.csrf_token, max_age=max_age, httponly=False, samesite="lax",
                        secure=settings.cookie_secure, path="/")
    return LoginResponse(user=UserOut.model_validate(user), csrf_token=user_session.csrf_token,
                         expires_at=user_session.expires_at)


@router.post("/logout", status_code=204)
async def logout(request: Request, _: SessionUser, session: SessionDep, resolver: Resolver) -> Response:
    """Close the current session."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Forbidden("Seule une session ouverte par connexion peut être fermée.")
    token_hash = await service.close_session(session, token)
    after_commit(session, lambda: resolver.forget_session(token_hash))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me")
async def me(principal: AuthenticatedPrincipal) -> Me:
    """The caller: a user with a role, or an API key, and the scopes it holds."""
    return Me(kind=principal.kind, subject=principal.subject, name=principal.name, role=principal.role,
              scopes=sorted(principal.scopes))


@router.get("/users")
async def list_users(_: UserManager, session: SessionDep) -> list[UserOut]:
    """List the accounts."""
    return [UserOut.model_validate(user) for user in await service.list_users(session)]


@router.post("/users", status_code=201)
async def create_user(body: UserCreate, _: UserManager, session: SessionDep) -> UserOut:
    """Create an account with a role (admin, coordinator, mediator)."""
    user = await service.create_user(session, email=body.email, display_name=body.display_name,
                                     password=body.password, role=body.role)
    return UserOut.model_validate(user)


@router.get("/api-keys")
async def list_api_keys(_: KeyManager, session: SessionDep) -> list[ApiKeyOut]:
    """List the API keys (never their secrets)."""
    return [ApiKeyOut.model_validate(key) for key in await service.list_api_keys(session)]


@router.post("/api-keys", status_code=201)
async def create_api_key(body: ApiKeyCreate, principal: KeyManager, session: SessionDep) -> ApiKeyCreated:
    """Create an API key with scopes; the secret is in this response only."""
    api_key, secret = await service.create_api_key(
        session, name=body.name, scopes=list(body.scopes),
        created_by=principal.subject if principal.kind == "user" else None, expires_at=body.expires_at)
    return ApiKeyCreated(**ApiKeyOut.model_validate(api_key).model_dump(), key=secret)


@router.delete("/api-keys/{key_id}")
async def revoke_api_key(key_id: str, _: KeyManager, session: SessionDep, resolver: Resolver) -> ApiKeyOut:
    """Revoke an API key: the next call made with it is refused."""
    api_key = await service.revoke_api_key(session, key_id)
    key_hash = api_key.key_hash
    after_commit(session, lambda: resolver.forget_api_key(key_hash))
    return ApiKeyOut.model_validate(api_key)
