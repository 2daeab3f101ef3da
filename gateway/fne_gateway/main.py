"""The gateway: one entry point for the SPA, users and partner platforms."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.requests import Request
from starlette.types import ASGIApp

from fne_gateway import meta, site
from fne_gateway.auth.credentials import CredentialResolver
from fne_gateway.auth.router import router as auth_router
from fne_gateway.config import Settings
from fne_gateway.mail.models import OutboxMessage
from fne_gateway.openapi import OpenApiAggregator
from fne_gateway.proconnect.router import router as proconnect_router
from fne_gateway.proxied import Gateway, middleware_layers, proxy_endpoint
from fne_gateway.proxy import Proxy, UpstreamPool
from fne_gateway.ratelimit import create_rate_limiter
from fne_gateway.spa import SpaStaticFiles
from fne_kernel import metrics, tracing
from fne_kernel.access import include_with_declared_access
from fne_kernel.app import freeze_startup_objects
from fne_kernel.db import create_engine, session_factory
from fne_kernel.errors import install_error_handlers
from fne_kernel.identity import ANONYMOUS, IdentitySigner, Principal
from fne_kernel.inputs import TextGuardMiddleware, bound_integer_parameters
from fne_kernel.logging import configure_logging, get_logger
from fne_kernel.mail.outbox import Courier
from fne_kernel.middleware import BodySizeLimitMiddleware
from fne_kernel.migrations import head_revisions, known_revisions

logger = get_logger("fne.gateway")


def principal_from_gateway_state(request: Request) -> Principal:
    return request.scope.get("state", {}).get("principal", ANONYMOUS)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging("gateway", settings.log_level)
    if not settings.identity_private_key:
        raise RuntimeError(
            "GATEWAY_IDENTITY_PRIVATE_KEY is not set (PEM or file path); `fne keys` creates one"
        )
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    pool = UpstreamPool(settings.upstream_pool_size)
    proxy = Proxy(settings, pool, IdentitySigner(settings.identity_private_key))
    credentials = CredentialResolver(sessions, settings.credentials_cache_seconds)
    rate_limiter = create_rate_limiter(settings.redis_url)
    metrics.track_pool("gateway", engine)
    if tracing.configure("gateway"):
        tracing.instrument_engine(engine)
    # Reads app.state.sessions at each pass (tests swap it for rolled-back sessions).
    courier = Courier(lambda: app.state.sessions, OutboxMessage, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        freeze_startup_objects()
        listener = (
            await metrics.start_listener(settings.metrics_host, settings.metrics_port)
            if settings.metrics_port
            else None
        )
        delivery = asyncio.create_task(courier.run())
        yield
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
        if listener is not None:
            await listener.cleanup()
        await pool.close()
        await rate_limiter.close()
        await engine.dispose()

    app = Gateway(
        title="FNE Savoie — API",
        description="Annuaire des lieux de médiation numérique, observatoire et questionnaires d'autonomie "
        "numérique de la Savoie (feuille de route France Numérique Ensemble 2024-2027).",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    state = app.state
    state.service_name = "gateway"
    state.settings = settings
    state.engine = engine
    state.sessions = sessions
    state.pool = pool
    state.proxy = proxy
    state.credentials = credentials
    state.rate_limiter = rate_limiter
    state.courier = courier
    state.openapi = OpenApiAggregator(pool, proxy.upstreams)
    state.migration_heads = head_revisions("fne_gateway")
    state.migration_known = known_revisions("fne_gateway")
    state.resolve_principal = principal_from_gateway_state

    install_error_handlers(app)
    include_with_declared_access(app, [meta.router, site.router, auth_router, proconnect_router])
    bound_integer_parameters(app)
    app.mount(meta.DOCS_STATIC_PATH, meta.docs_static, name="docs-static")
    if (settings.frontend_dir / "index.html").is_file():
        app.mount("/", SpaStaticFiles(str(settings.frontend_dir)), name="spa")

    layers = middleware_layers(settings, proxy, credentials, rate_limiter)
    proxied: ASGIApp = proxy_endpoint(proxy)
    for layer, options in reversed(layers):
        proxied = layer(proxied, **options)
    app.proxied = proxied
    app.add_middleware(TextGuardMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    for layer, options in reversed(layers):
        app.add_middleware(layer, **options)
    return app
