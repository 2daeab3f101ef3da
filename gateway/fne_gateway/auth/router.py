from datetime import timedelta

from fastapi import APIRouter, Depends, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from fne_gateway.access import AuthenticatedPrincipal, KeyManager, SessionUser, UserManager
from fne_gateway.auth import service
from fne_gateway.auth.credentials import CredentialResolver
from fne_gateway.auth.exceptions import RateLimited
from fne_gateway.auth.middleware import CSRF_COOKIE, SESSION_COOKIE
from fne_gateway.auth.schemas import (
    AccountUpdate,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    LoginRequest,
    LoginResponse,
    Me,
    PasswordChange,
    PasswordSet,
    PasswordToken,
    UserCreate,
    UserCreated,
    UserOut,
    UserUpdate,
)
from fne_gateway.auth.service import sha256
from fne_gateway.dependencies import Resolver, courier, gateway_settings, rate_limiter
from fne_gateway.mail.service import send_password_link
from fne_kernel.access import public
from fne_kernel.db import SessionDep, after_commit
from fne_kernel.errors import Forbidden
from fne_kernel.identity import Role
from fne_kernel.pagination import Page, PageParams

router = APIRouter(prefix="/api/auth", tags=["authentification"])


async def throttle_password_attempts(request: Request, account: str | None = None) -> None:
    """Every route that checks a secret a person typed is held to the login rates, so none is a guessing
    oracle: per address (whatever the account), per account (whatever the address: many addresses against one
    account) and in all (a botnet against many accounts). An attempt refused by one limit does not count in
    the next, so a guesser from one address cannot lock the account's holder out."""
    settings = gateway_settings(request)
    limiter = rate_limiter(request)
    limits = [(f"password:ip:{request.state.client_ip}", settings.rate_limit_login_per_minute)]
    if account is not None:
        limits.append((f"password:account:{account}", settings.rate_limit_login_account_per_minute))
    limits.append(("password:all", settings.rate_limit_login_global_per_minute))
    for key, limit in limits:
        if retry_after := await limiter.hit(key, limit):
            raise RateLimited(retry_after)


def token_lifetime(request: Request) -> timedelta:
    return timedelta(hours=gateway_settings(request).password_token_lifetime_hours)


def forget_sessions_after_commit(
    session: AsyncSession, resolver: CredentialResolver, token_hashes: list[str]
) -> None:
    """Cached credentials of changed or ended sessions are dropped once the change is committed."""
    if token_hashes:
        after_commit(session, lambda: resolver.forget_sessions(token_hashes))


@router.post(
    "/login",
    dependencies=[Depends(public)],
    responses={403: {"description": "Compte désactivé (le mot de passe était juste)"}},
)
async def login(
    body: LoginRequest, request: Request, response: Response, session: SessionDep
) -> LoginResponse:
    """Open a session: sets an HttpOnly session cookie and returns the CSRF token for state-changing calls."""
    settings = gateway_settings(request)
    await throttle_password_attempts(request, account=body.email)
    user = await service.check_password(session, body.email, body.password)
    token, user_session = await service.open_session(
        session, user, timedelta(hours=settings.session_lifetime_hours)
    )
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
    # Readable by the SPA, which echoes it in X-CSRF-Token: a cross-site page can neither read nor forge it.
    response.set_cookie(
        CSRF_COOKIE,
        user_session.csrf_token,
        max_age=max_age,
        httponly=False,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    return LoginResponse(
        user=UserOut.model_validate(user),
        csrf_token=user_session.csrf_token,
        expires_at=user_session.expires_at,
    )


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
    return Me(
        kind=principal.kind,
        subject=principal.subject,
        name=principal.name,
        role=principal.role,
        scopes=sorted(principal.scopes),
    )


@router.get("/users")
async def list_users(
    _: UserManager,
    session: SessionDep,
    paging: PageParams,
    role: Role | None = None,
    active: bool | None = None,
) -> Page[UserOut]:
    """List the accounts, oldest first, optionally by role and state."""
    users, total = await service.list_users(session, paging, role=role, active=active)
    return Page.of([UserOut.model_validate(user) for user in users], total, paging)


@router.post("/users", status_code=201)
async def create_user(
    body: UserCreate, request: Request, principal: UserManager, session: SessionDep
) -> UserCreated:
    """Create an account with a role; the password link is e-mailed (SMTP configured) or in the response,
    once."""
    user = await service.create_user(
        session,
        email=body.email,
        display_name=body.display_name,
        role=body.role,
        created_by=principal.subject,
    )
    token = await service.issue_password_token(session, user, token_lifetime(request), by=None)
    if await send_password_link(
        session, courier(request), gateway_settings(request), user, token, invitation=True
    ):
        return UserCreated(
            **UserOut.model_validate(user).model_dump(), password_token=None, sent_by_email=True
        )
    return UserCreated(
        **UserOut.model_validate(user).model_dump(),
        password_token=PasswordToken(token=token, expires_at=user.password_token_expires_at),
    )


@router.get("/users/{user_id}")
async def get_user(user_id: str, _: UserManager, session: SessionDep) -> UserOut:
    """One account."""
    return UserOut.model_validate(await service.get_user(session, user_id))


@router.patch(
    "/users/{user_id}", responses={409: {"description": "Rétrograderait le dernier administrateur actif"}}
)
async def update_user(
    user_id: str, body: UserUpdate, principal: UserManager, session: SessionDep, resolver: Resolver
) -> UserOut:
    """Change an account's name or role; its open sessions take the new role at their next call."""
    user = await service.update_user(
        session,
        await service.get_user(session, user_id),
        by=principal.subject,
        display_name=body.display_name,
        role=body.role,
    )
    forget_sessions_after_commit(session, resolver, await service.session_hashes(session, user.id))
    return UserOut.model_validate(user)


@router.post(
    "/users/{user_id}/deactivation",
    responses={409: {"description": "Désactiverait le dernier administrateur actif"}},
)
async def deactivate_user(
    user_id: str, principal: UserManager, session: SessionDep, resolver: Resolver
) -> UserOut:
    """Deactivate an account: its sessions end now and it can no longer sign in."""
    user = await service.get_user(session, user_id)
    forget_sessions_after_commit(
        session, resolver, await service.set_active(session, user, False, by=principal.subject)
    )
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/reactivation")
async def reactivate_user(user_id: str, principal: UserManager, session: SessionDep) -> UserOut:
    """Reactivate an account."""
    user = await service.get_user(session, user_id)
    await service.set_active(session, user, True, by=principal.subject)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/password-token", status_code=201)
async def issue_password_token(
    user_id: str, request: Request, principal: UserManager, session: SessionDep
) -> PasswordToken:
    """A new one-time link to set the account's password (forgotten password, expired invitation)."""
    user = await service.get_user(session, user_id)
    token = await service.issue_password_token(session, user, token_lifetime(request), by=principal.subject)
    if await send_password_link(
        session, courier(request), gateway_settings(request), user, token, invitation=not user.password_set
    ):
        return PasswordToken(token=None, expires_at=user.password_token_expires_at, sent_by_email=True)
    return PasswordToken(token=token, expires_at=user.password_token_expires_at)


@router.post(
    "/password",
    status_code=204,
    dependencies=[Depends(public)],
    responses={400: {"description": "Lien invalide, expiré ou déjà utilisé"}},
)
async def set_password(
    body: PasswordSet, request: Request, session: SessionDep, resolver: Resolver
) -> Response:
    """Set one's password with a one-time link; every open session of the account ends."""
    await throttle_password_attempts(request)
    forget_sessions_after_commit(
        session, resolver, await service.redeem_password_token(session, body.token, body.new_password)
    )
    return Response(status_code=204)


@router.get("/account")
async def get_account(principal: SessionUser, session: SessionDep) -> UserOut:
    """The signed-in person's own account."""
    return UserOut.model_validate(await service.get_user(session, principal.subject))


@router.patch("/account")
async def update_account(
    body: AccountUpdate, principal: SessionUser, session: SessionDep, resolver: Resolver
) -> UserOut:
    """Change one's own display name."""
    user = await service.update_user(
        session,
        await service.get_user(session, principal.subject),
        by=principal.subject,
        display_name=body.display_name,
    )
    forget_sessions_after_commit(session, resolver, await service.session_hashes(session, user.id))
    return UserOut.model_validate(user)


@router.post("/account/password", status_code=204)
async def change_password(
    body: PasswordChange, request: Request, principal: SessionUser, session: SessionDep, resolver: Resolver
) -> Response:
    """Change one's own password (the current one is required); one's other sessions end."""
    await throttle_password_attempts(request, account=principal.subject)
    user = await service.get_user(session, principal.subject)
    current_session = sha256(request.cookies.get(SESSION_COOKIE, ""))
    forget_sessions_after_commit(
        session,
        resolver,
        await service.change_password(
            session, user, current=body.current_password, new=body.new_password, keep_session=current_session
        ),
    )
    return Response(status_code=204)


@router.get("/api-keys")
async def list_api_keys(_: KeyManager, session: SessionDep) -> list[ApiKeyOut]:
    """List the API keys (never their secrets)."""
    return [ApiKeyOut.model_validate(key) for key in await service.list_api_keys(session)]


@router.post("/api-keys", status_code=201)
async def create_api_key(body: ApiKeyCreate, principal: KeyManager, session: SessionDep) -> ApiKeyCreated:
    """Create an API key with scopes; the secret is in this response only."""
    api_key, secret = await service.create_api_key(
        session,
        name=body.name,
        scopes=list(body.scopes),
        created_by=principal.subject if principal.kind == "user" else None,
        expires_at=body.expires_at,
    )
    return ApiKeyCreated(**ApiKeyOut.model_validate(api_key).model_dump(), key=secret)


@router.delete("/api-keys/{key_id}")
async def revoke_api_key(key_id: str, _: KeyManager, session: SessionDep, resolver: Resolver) -> ApiKeyOut:
    """Revoke an API key: the next call made with it is refused."""
    api_key = await service.revoke_api_key(session, key_id)
    key_hash = api_key.key_hash
    after_commit(session, lambda: resolver.forget_api_key(key_hash))
    return ApiKeyOut.model_validate(api_key)
