"""The reverse proxy to the services: pooled aiohttp connections, streamed bodies, per-upstream timeouts.

aiohttp rather than httpx on this hot path: measured in bench/gateway.py (docs/benchmarks.md).
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
from starlette.types import Message, Receive, Scope, Send

from fne_gateway.config import SERVICES, Settings
from fne_kernel.identity import ANONYMOUS, IDENTITY_HEADER, IdentitySigner, Principal
from fne_kernel.logging import get_logger
from fne_kernel.middleware import send_problem

logger = get_logger("fne.gateway.proxy")

# Hop-by-hop headers (RFC 9110 §7.6.1), and credentials that stop at the gateway: services get a signed identity.
_DROPPED_REQUEST_HEADERS = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length", "cookie", "authorization", "x-api-key",
    IDENTITY_HEADER, "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-csrf-token",
})
_DROPPED_RESPONSE_HEADERS = frozenset({
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer",
    b"transfer-encoding", b"upgrade", b"server", b"date", b"x-request-id",
})
_METHODS_WITHOUT_BODY = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
# Bodies this small are read whole: one upstream write instead of a chunked stream.
_BUFFER_LIMIT = 256 * 1024


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Upstream:
    name: str
    base_url: str
    timeout: aiohttp.ClientTimeout
    prefix: str

    @classmethod
    def from_settings(cls, settings: Settings, name: str) -> "Upstream":
        return cls(
            name=name,
            base_url=settings.upstream_url(name).rstrip("/"),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=settings.connect_timeout,
                                          sock_read=settings.upstream_timeout(name)),
            prefix=f"/api/{name}",
        )


class UpstreamPool:
    """One aiohttp session for all upstreams, created lazily inside the running event loop."""

    def __init__(self, pool_size: int) -> None:
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, keepalive_timeout=60, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=False, skip_auto_headers=("User-Agent", "Accept-Encoding"),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


class Proxy:
    def __init__(self, settings: Settings, pool: UpstreamPool, signer: IdentitySigner) -> None:
        self.upstreams = {name: Upstream.from_settings(settings, name) for name in SERVICES}
        self.pool = pool
        self.signer = signer
        self.max_body_bytes = settings.max_body_bytes

    def upstream_for(self, path: str) -> Upstream | None:
        parts = path.split("/", 3)  # "", "api", service, rest
        return self.upstreams.get(parts[2]) if len(parts) >= 3 and parts[1] == "api" else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send, upstream: Upstream) -> None:
        state = scope.get("state", {})
        principal: Principal = state.get("principal", ANONYMOUS)
        path = scope["path"][len(upstream.prefix):] or "/"
        url = upstream.base_url + path
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        headers = self._request_headers(scope, principal, state)

        method = scope["method"]
        body: bytes | AsyncIterator[bytes] | None = None
        if method not in _METHODS_WITHOUT_BODY or any(
            name in (b"content-length", b"transfer-encoding") for name, _ in scope["headers"]
        ):
            try:
                body = await self._request_body(scope, receive)
            except _TooLarge:
                await send_problem(send, 413, "payload-too-large", "Corps de requête trop volumineux",
                                   f"Limite : {self.max_body_bytes} octets")
                return

        started = False
        try:
            async with self.pool.session.request(
                method, url, headers=headers, data=body, allow_redirects=False, timeout=upstream.timeout,
            ) as response:
                response_headers = [
                    (name.lower(), value) for name, value in response.raw_headers
                    if name.lower() not in _DROPPED_RESPONSE_HEADERS
                ]
                length = response.content_length
                if length is not None and length <= _BUFFER_LIMIT:
                    content = await response.read()
                    await send({"type": "http.response.start", "status": response.status,
                                "headers": response_headers})
                    started = True
                    await send({"type": "http.response.body", "body": content})
                    return
                await send({"type": "http.response.start", "status": response.status, "headers": response_headers})
                started = True
                async for chunk in response.content.iter_any():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b""})
        except _TooLarge:
            if not started:
                await send_problem(send, 413, "payload-too-large", "Corps de requête trop volumineux",
                                   f"Limite : {self.max_body_bytes} octets")
        except (TimeoutError, asyncio.TimeoutError, aiohttp.ServerTimeoutError):
            logger.warning("upstream timeout", extra={"upstream": upstream.name})
            if not started:
                await send_problem(send, 504, "upstream-timeout", "Service trop lent",
                                   f"Le service {upstream.name} n'a pas répondu à temps.", service=upstream.name)
        except aiohttp.ClientConnectorError:
            logger.warning("upstream unreachable", extra={"upstream": upstream.name})
            await send_problem(send, 503, "upstream-unavailable", "Service indisponible",
                               f"Le service {upstream.name} est injoignable.", service=upstream.name,
                               headers=[(b"retry-after", b"5")])
        except aiohttp.ClientError as exc:
            logger.warning("upstream error", extra={"upstream": upstream.name, "error": type(exc).__name__})
            if not started:
                await send_problem(send, 502, "upstream-error", "Réponse invalide du service",
                                   f"Le service {upstream.name} a interrompu sa réponse.", service=upstream.name)

    def _request_headers(self, scope: Scope, principal: Principal, state: dict) -> dict[str, str]:  # type: ignore[type-arg]
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1")
            if name not in _DROPPED_REQUEST_HEADERS:
                headers[name] = raw_value.decode("latin-1")
        if principal.is_authenticated:
            headers[IDENTITY_HEADER] = self.signer.token_for(principal)
        if "request_id" in state:
            headers["x-request-id"] = state["request_id"]
        headers["x-forwarded-for"] = state.get("client_ip") or (scope.get("client") or ("",))[0]
        headers["x-forwarded-proto"] = scope.get("scheme", "http")
        for raw_name, raw_value in scope["headers"]:
            if raw_name == b"host":
                headers["x-forwarded-host"] = raw_value.decode("latin-1")
        return headers

    async def _request_body(self, scope: Scope, receive: Receive) -> bytes | AsyncIterator[bytes]:
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_body_bytes:
                raise _TooLarge
            if int(declared) <= _BUFFER_LIMIT:
                return await self._read_all(receive)
        return self._stream(receive)

    async def _read_all(self, receive: Receive) -> bytes:
        chunks = []
        size = 0
        while True:
            message: Message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _stream(self, receive: Receive) -> AsyncIterator[bytes]:
        size = 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return
