"""`/api/health`: the platform's readiness, service by service."""

import asyncio
from typing import Any

import aiohttp

from fne_gateway.proxy import Upstream, UpstreamPool

PROBE_TIMEOUT = aiohttp.ClientTimeout(total=3)


async def probe(pool: UpstreamPool, upstream: Upstream) -> dict[str, Any]:
    try:
        async with pool.session.get(f"{upstream.base_url}/ready", timeout=PROBE_TIMEOUT) as response:
            report = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        return {"ready": False, "error": type(exc).__name__ or "unreachable"}
    return {
        "ready": response.status == 200,
        "database": report.get("database"),
        "migrations": report.get("migrations"),
    }


async def platform_health(
    pool: UpstreamPool, upstreams: dict[str, Upstream], gateway_report: dict[str, Any]
) -> dict[str, Any]:
    names = list(upstreams)
    reports = await asyncio.gather(*(probe(pool, upstreams[name]) for name in names))
    services = {"gateway": gateway_report, **dict(zip(names, reports, strict=True))}
    return {
        "status": "ready" if all(r["ready"] for r in services.values()) else "degraded",
        "services": services,
    }
