"""The gateway's proxied requests (/api/<service>/…): the short path they take past FastAPI, and the ASGI
layers wrapped around both paths (the proxied one and FastAPI's)."""

import posixpath
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fne_gateway.auth.credentials import CredentialResolver
from fne_gateway.auth.middleware import AuthenticationMiddleware
from fne_gateway.config import Settings
from fne_gateway.headers import SecurityHeadersMiddleware
from fne_gateway.proxy import Proxy
from fne_gateway.ratelimit import RateLimiter
from fne_kernel import metrics
from fne_kernel.logging import get_logger
from fne_kernel.middleware import RequestContextMiddleware, send_problem

logger = get_logger("fne.gateway")
Layers = list[tuple[Any, dict[str, Any]]]  # (middleware class, its options)


class Gateway(FastAPI):
    """Proxied requests (/api/<service>/…) take a short path of their own, before FastAPI's routing and
    middleware stack, which they do not need: measured in bench/gateway.py (docs/benchmarks.md)."""

    proxied: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.state.proxy.upstream_for(scope["path"]) is not None:
            await self.proxied(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def proxy_endpoint(proxy: Proxy) -> ASGIApp:
    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        upstream = proxy.upstream_for(scope["path"])
        assert upstream is not None  # Gateway.__call__ sends only proxied paths here
        if is_metrics_path(scope["path"][len(upstream.prefix) :]):
            # A service's metrics are for the cluster's monitoring only (docs/operations.md).
            await send_problem(send, 404, "not-found", "Ressource introuvable")
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await proxy(scope, receive, tracking_send, upstream)
        except Exception:
            # What FastAPI's error middleware does for the other routes: logged, and a problem, never a trace.
            logger.exception("proxy error", extra={"path": scope["path"]})
            if not started:
                await send_problem(send, 500, "internal-error", "Erreur interne")

    return endpoint


def is_metrics_path(rest: str) -> bool:
    """`/metrics` however it is spelt (`//metrics`, `/./metrics`, `/metrics/`): never forwarded."""
    return posixpath.normpath("/" + rest.lstrip("/")) == metrics.METRICS_PATH


def gateway_route(proxy: Proxy) -> Callable[[Scope], str]:
    """The metrics' route label: the service for proxied requests (their templates are the service's own)."""

    def route_of(scope: Scope) -> str:
        upstream = proxy.upstream_for(scope["path"])
        return f"{upstream.prefix}/{{chemin}}" if upstream is not None else metrics.route_template(scope)

    return route_of


def middleware_layers(
    settings: Settings, proxy: Proxy, credentials: CredentialResolver, rate_limiter: RateLimiter
) -> Layers:
    """The same layers, outermost first (request id, CORS, authentication), around both paths."""
    return [
        (RequestContextMiddleware, {"access_log": settings.access_log}),
        (SecurityHeadersMiddleware, {"hsts": settings.cookie_secure}),
        # Metrics only: the public port never serves them (GATEWAY_METRICS_PORT does).
        (
            metrics.MetricsMiddleware,
            {
                "component": "gateway",
                "serve_metrics": False,
                "route_of": gateway_route(proxy),
                "trust_traceparent": False,
            },
        ),
        *(
            [
                (
                    CORSMiddleware,
                    {
                        "allow_origins": settings.cors_origins,
                        "allow_credentials": True,
                        "allow_methods": ["*"],
                        "allow_headers": ["*"],
                        "expose_headers": ["X-Request-ID"],
                    },
                )
            ]
            if settings.cors_origins
            else []
        ),
        (AuthenticationMiddleware, {"resolver": credentials, "limiter": rate_limiter, "settings": settings}),
    ]
