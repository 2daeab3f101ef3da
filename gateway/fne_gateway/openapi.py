"""One OpenAPI document for the platform: the gateway's routes plus each service's, under its prefix."""

import asyncio
import copy
import time
from typing import Any

import aiohttp

from fne_gateway.proxy import Upstream, UpstreamPool

# Each service's own probes stay internal: the gateway publishes /api/health instead.
INTERNAL_PATHS = frozenset({"/health", "/ready"})
CACHE_SECONDS = 30.0


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                renames.get(value, value)
                if key == "$ref" and isinstance(value, str)
                else _rename_refs(value, renames)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def merge_documents(
    gateway_doc: dict[str, Any], services: dict[str, dict[str, Any] | None]
) -> dict[str, Any]:
    """Service schemas are renamed `<Service><Name>` so that two services' `Place` never collide."""
    merged = copy.deepcopy(gateway_doc)
    merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    components["securitySchemes"] = {
        "apiKey": {
            "type": "http",
            "scheme": "bearer",
            "description": "Clé d'API (fne_…) pour les plateformes",
        },
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": "fne_session",
            "description": "Session ouverte par /api/auth/login ; en-tête X-CSRF-Token pour les écritures",
        },
    }
    unavailable = []
    for name, document in services.items():
        if document is None:
            unavailable.append(name)
            continue
        prefix = name.capitalize()
        renames = {
            f"#/components/schemas/{schema}": f"#/components/schemas/{prefix}{schema}"
            for schema in document.get("components", {}).get("schemas", {})
        }
        for schema_name, schema in document.get("components", {}).get("schemas", {}).items():
            schemas[f"{prefix}{schema_name}"] = _rename_refs(schema, renames)
        for path, item in document.get("paths", {}).items():
            if path in INTERNAL_PATHS:
                continue
            item = _rename_refs(item, renames)
            for operation in item.values():
                if isinstance(operation, dict):
                    operation["tags"] = [f"{name} · {tag}" for tag in operation.get("tags") or ["général"]]
                    if "operationId" in operation:
                        operation["operationId"] = f"{name}_{operation['operationId']}"
            merged["paths"][f"/api/{name}{path}"] = item
    if unavailable:
        merged["x-fne-unavailable-services"] = unavailable
    return merged


class OpenApiAggregator:
    def __init__(self, pool: UpstreamPool, upstreams: dict[str, Upstream]) -> None:
        self.pool = pool
        self.upstreams = upstreams
        self._cached: tuple[float, dict[str, dict[str, Any] | None]] | None = None
        # A service that stops answering keeps its last document published: its API is unchanged, only down.
        self._last_fetched: dict[str, dict[str, Any]] = {}

    async def _fetch(self, upstream: Upstream) -> dict[str, Any] | None:
        try:
            async with self.pool.session.get(
                f"{upstream.base_url}/openapi.json", timeout=aiohttp.ClientTimeout(total=5)
            ) as response:
                if response.status != 200:
                    return None
                return await response.json()
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def service_documents(self) -> dict[str, dict[str, Any] | None]:
        now = time.monotonic()
        if self._cached and self._cached[0] > now and None not in self._cached[1].values():
            return self._cached[1]
        names = list(self.upstreams)
        documents = await asyncio.gather(*(self._fetch(self.upstreams[name]) for name in names))
        self._last_fetched |= {
            name: document for name, document in zip(names, documents, strict=True) if document is not None
        }
        result = {name: self._last_fetched.get(name) for name in names}
        self._cached = (now + CACHE_SECONDS, result)
        return result
