"""Prometheus metrics of every component (docs/operations.md lists them and the alerts built on them).

Requests are counted by route template (`/lieux/{place_id}`, never the id itself: bounded label values),
method and status; their durations go to a histogram. A request matching no route is counted under
`unmatched`, so a scanner probing random paths cannot grow the series without bound.

A service answers `GET /metrics` on its own port, which only the cluster reaches (loopback with `fne up`). The
gateway never forwards `/api/<service>/metrics` and serves its own metrics on a separate listener
(`GATEWAY_METRICS_PORT`), never on the public port. A request relayed by the gateway always carries
X-Forwarded-For: a service refuses `/metrics` to such a request, as a second lock.
"""

import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fne_kernel import tracing
from fne_kernel.middleware import send_problem

METRICS_PATH = "/metrics"
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Seconds. Searches answer in tens of milliseconds, exports and imports in seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "fne_http_requests",
    "Requêtes HTTP servies, par route et statut",
    ["component", "method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "fne_http_request_duration_seconds",
    "Durée des requêtes HTTP (jusqu'à la fin du corps)",
    ["component", "method", "route"],
    buckets=LATENCY_BUCKETS,
)
HTTP_IN_FLIGHT = Gauge("fne_http_requests_in_flight", "Requêtes en cours", ["component"])
RATE_LIMIT_REFUSALS = Counter(
    "fne_rate_limit_refusals", "Requêtes refusées par la limite de débit (429)", ["component", "route"]
)
SYNC_JOBS = Counter("fne_sync_jobs", "Synchronisations terminées, par source et issue", ["source", "outcome"])
SYNC_DURATION = Histogram(
    "fne_sync_job_duration_seconds",
    "Durée des synchronisations",
    ["source"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600),
)
EXPORT_CACHE = Counter(
    "fne_export_cache_requests",
    "Exports servis : gardés (hit), 304 (not_modified), rendus (miss) ou non gardables",
    ["outcome"],
)


class _PoolCollector(Collector):
    """Connections of each component's database pool, read at scrape time (nothing to update on the hot
    path)."""

    def __init__(self) -> None:
        self._engines: list[tuple[str, weakref.ref[AsyncEngine]]] = []

    def track(self, component: str, engine: AsyncEngine) -> None:
        self._engines = [(name, ref) for name, ref in self._engines if ref() is not None]
        self._engines.append((component, weakref.ref(engine)))

    def collect(self) -> Iterator[GaugeMetricFamily]:
        in_use = GaugeMetricFamily(
            "fne_db_pool_connections_in_use", "Connexions prêtées aux requêtes", labels=["component"]
        )
        idle = GaugeMetricFamily(
            "fne_db_pool_connections_idle", "Connexions ouvertes et libres", labels=["component"]
        )
        size = GaugeMetricFamily(
            "fne_db_pool_size", "Taille nominale du pool (au-delà : débordement)", labels=["component"]
        )
        totals: dict[str, list[int]] = {}
        for component, ref in self._engines:
            engine = ref()
            pool = engine.pool if engine is not None else None
            if not isinstance(pool, QueuePool):
                continue
            counts = totals.setdefault(component, [0, 0, 0])
            counts[0] += pool.checkedout()
            counts[1] += pool.checkedin()
            counts[2] += pool.size()
        for component, (used, free, nominal) in sorted(totals.items()):
            in_use.add_metric([component], used)
            idle.add_metric([component], free)
            size.add_metric([component], nominal)
        yield from (in_use, idle, size)


_pools = _PoolCollector()
REGISTRY.register(_pools)


def track_pool(component: str, engine: AsyncEngine) -> None:
    _pools.track(component, engine)


def exposition() -> tuple[bytes, str]:
    """The text format of every metric of this process."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class MetricsMiddleware:
    """Counts and times every request, opens its trace span when tracing is on, and serves `/metrics`.

    `route_of(scope)` names the route after the app has answered (the route template by default);
    `serve_metrics=False` is for the gateway, whose public port never shows them."""

    def __init__(
        self,
        app: ASGIApp,
        component: str,
        serve_metrics: bool = True,
        route_of: Callable[[Scope], str] = route_template,
        trust_traceparent: bool = True,
    ) -> None:
        self.app = app
        self.component = component
        self.serve_metrics = serve_metrics
        self.route_of = route_of
        self.trust_traceparent = trust_traceparent
        self.in_flight = HTTP_IN_FLIGHT.labels(component)
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.serve_metrics and scope["path"] == METRICS_PATH:
            await self._metrics(scope, send)
            return
        status, route = 500, UNMATCHED
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.in_flight.inc()
        span = tracing.server_span(scope, self.component, self.trust_traceparent)
        try:
            with span:
                try:
                    await self.app(scope, receive, recording_send)
                finally:
                    route = self.route_of(scope)
                    tracing.finish_server_span(span, scope, route, status)
        finally:
            self.in_flight.dec()
            method = scope["method"] if scope["method"] in METHODS else "OTHER"  # a client invents any method
            key = (method, route, status)
            series = self._series.get(key)
            if series is None:  # labels() takes a lock and builds a key: once per series, not per request
                series = self._series[key] = (
                    HTTP_REQUESTS.labels(self.component, key[0], route, str(status)),
                    HTTP_DURATION.labels(self.component, key[0], route),
                )
            series[0].inc()
            series[1].observe(time.perf_counter() - started)
            if status == 429:
                RATE_LIMIT_REFUSALS.labels(self.component, route).inc()

    @staticmethod
    async def _metrics(scope: Scope, send: Send) -> None:
        relayed = any(name == b"x-forwarded-for" for name, _ in scope["headers"])
        if relayed or scope["method"] not in ("GET", "HEAD"):
            await send_problem(send, 404, "not-found", "Ressource introuvable")
            return
        body, media_type = exposition()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", media_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


async def start_listener(host: str, port: int) -> web.AppRunner:
    """A separate HTTP listener answering only `GET /metrics` (the gateway's, away from its public port).

    Returns the runner, whose `cleanup()` stops it."""

    async def metrics(_request: web.Request) -> web.Response:
        body, media_type = exposition()
        return web.Response(body=body, headers={"Content-Type": media_type, "Cache-Control": "no-store"})

    app = web.Application()
    app.router.add_get(METRICS_PATH, metrics)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
