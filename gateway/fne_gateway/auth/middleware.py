"""Authenticates every /api request (API key or session cookie), checks CSRF, and applies rate limits."""

import hmac

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from fne_gateway.auth.credentials import CredentialResolver
from fne_gateway.config import Settings
from fne_gateway.ratelimit import RateLimiter
from fne_kernel.identity import ANONYMOUS, Principal
from fne_kernel.middleware import send_problem

SESSION_COOKIE = "fne_session"
CSRF_COOKIE = "fne_csrf"
CSRF_HEADER = b"x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Reachable without a CSRF token: there is no session yet to protect (setting a password with a one-time link
# acts on the link's account, proven by its secret, not on the browser's session).
CSRF_EXEMPT_PATHS = frozenset({"/api/auth/login", "/api/auth/password"})


def client_ip(scope: Scope, headers: dict[bytes, bytes], trusted_hops: int) -> str:
    if trusted_hops > 0 and b"x-forwarded-for" in headers:
        hops = [part.strip() for part in headers[b"x-forwarded-for"].decode("latin-1").split(",")]
        if len(hops) >= trusted_hops:
            return hops[-trusted_hops]
    client = scope.get("client")
    return client[0] if client else "unknown"


def presented_api_key(headers: dict[bytes, bytes]) -> str | None:
    authorization = headers.get(b"authorization")
    if authorization and authorization[:7].lower() == b"bearer ":
        return authorization[7:].strip().decode("latin-1")
    api_key = headers.get(b"x-api-key")
    return api_key.strip().decode("latin-1") if api_key else None


async def send_rate_limited(send: Send, retry_after: int) -> None:
    await send_problem(
        send,
        429,
        "rate-limited",
        "Trop de requêtes",
        f"Réessayez dans {retry_after} s",
        headers=[(b"retry-after", str(retry_after).encode())],
        retry_after=retry_after,
    )


class AuthenticationMiddleware:
    def __init__(
        self, app: ASGIApp, resolver: CredentialResolver, limiter: RateLimiter, settings: Settings
    ) -> None:
        self.app = app
        self.resolver = resolver
        self.limiter = limiter
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        ip = client_ip(scope, headers, self.settings.trusted_proxy_hops)
        principal: Principal = ANONYMOUS
        api_key = presented_api_key(headers)
        if api_key is not None:
            # An address that guessed wrong too often is refused before its key is even looked up: answering a
            # right key differently from a wrong one would still tell the guesser when it found one.
            failed_key = f"failed-api-key:{ip}"
            limit = self.settings.rate_limit_failed_api_keys_per_minute
            retry_after = await self.limiter.exceeded(failed_key, limit)
            found = None if retry_after else await self.resolver.api_key(api_key)
            if found is None:
                retry_after = retry_after or await self.limiter.hit(failed_key, limit)
                if retry_after:
                    await send_rate_limited(send, retry_after)
                    return
                await send_problem(
                    send,
                    401,
                    "invalid-api-key",
                    "Clé d'API invalide, expirée ou révoquée",
                    headers=[(b"www-authenticate", b'Bearer realm="fne"')],
                )
                return
            principal = found
        elif b"cookie" in headers:
            token = cookie_parser(headers[b"cookie"].decode("latin-1")).get(SESSION_COOKIE)
            credentials = await self.resolver.user_session(token) if token else None
            if credentials is not None:
                principal = credentials.principal
                if scope["method"] not in SAFE_METHODS and scope["path"] not in CSRF_EXEMPT_PATHS:
                    presented = headers.get(CSRF_HEADER, b"").decode("latin-1")
                    if not hmac.compare_digest(presented, credentials.csrf_token):
                        await send_problem(
                            send,
                            403,
                            "csrf-check-failed",
                            "Jeton anti-CSRF absent ou invalide",
                            "Renvoyez le jeton reçu à la connexion dans l'en-tête X-CSRF-Token.",
                        )
                        return

        if principal.is_authenticated:
            retry_after = await self.limiter.hit(
                f"{principal.kind}:{principal.subject}", self.settings.rate_limit_authenticated_per_minute
            )
        else:
            retry_after = await self.limiter.hit(f"ip:{ip}", self.settings.rate_limit_anonymous_per_minute)
        if retry_after:
            await send_rate_limited(send, retry_after)
            return
        state = scope.setdefault("state", {})
        state["principal"] = principal
        state["client_ip"] = ip
        await self.app(scope, receive, send)
