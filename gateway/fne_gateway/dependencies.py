"""The gateway's shared objects, which `create_app` keeps on `app.state`, each behind a named dependency:
code asks for `gateway_settings(request)` (or `GatewaySettings` in a route's signature) and never reads
`app.state` itself, so what a route needs is in its signature and typed."""

from typing import Annotated, cast

from fastapi import Depends
from starlette.requests import Request

from fne_gateway.auth.credentials import CredentialResolver
from fne_gateway.config import Settings
from fne_gateway.openapi import OpenApiAggregator
from fne_gateway.proconnect.client import ProConnectClient
from fne_gateway.proxy import Proxy, UpstreamPool
from fne_gateway.ratelimit import RateLimiter
from fne_kernel.mail.outbox import Courier


def gateway_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def rate_limiter(request: Request) -> RateLimiter:
    return cast(RateLimiter, request.app.state.rate_limiter)


def courier(request: Request) -> Courier:
    return cast(Courier, request.app.state.courier)


def openapi_aggregator(request: Request) -> OpenApiAggregator:
    return cast(OpenApiAggregator, request.app.state.openapi)


async def credential_resolver(request: Request) -> CredentialResolver:
    """Resolves API keys and session cookies to principals (and forgets them when they are revoked)."""
    return cast(CredentialResolver, request.app.state.credentials)


def proconnect_client(request: Request) -> ProConnectClient | None:
    """The ProConnect client, made on first use (None when ProConnect is not configured)."""
    state, settings = request.app.state, gateway_settings(request)
    if not settings.proconnect_enabled:
        return None
    if getattr(state, "proconnect", None) is None:
        state.proconnect = ProConnectClient(settings)
    return cast(ProConnectClient, state.proconnect)


def upstreams(request: Request) -> tuple[UpstreamPool, Proxy]:
    """The connection pool to the services and the proxy (its routing table)."""
    return request.app.state.pool, request.app.state.proxy


GatewaySettings = Annotated[Settings, Depends(gateway_settings)]
Resolver = Annotated[CredentialResolver, Depends(credential_resolver)]
