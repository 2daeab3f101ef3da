"""The reverse proxy to the services: pooled aiohttp connections, streamed bodies, per-upstream timeouts.

aiohttp rather than httpx on this hot path: measured in bench/gateway.py (docs/benchmarks.md). JSON answers to
reads are gzip-compressed for browsers that accept it; which answers are not (BREACH) is in docs/security.md.
"""

import asyncio
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
from starlette.types import Message, Receive, Scope, Send
from yarl import URL

from fne_gateway.config import SERVICES, Settings
from fne_gateway.spa import accepted_encodings
from fne_kernel import tracing
from fne_kernel.identity import ANONYMOUS, IDENTITY_HEADER, IdentitySigner, Principal
from fne_kernel.logging import get_logger
from fne_kernel.middleware import send_problem

logger = get_logger("fne.gateway.proxy")

# Hop-by-hop headers (RFC 9110 §7.6.1), and credentials that stop at the gateway: services get a signed
# identity.
_DROPPED_REQUEST_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "cookie",
        "authorization",
        "x-api-key",
        IDENTITY_HEADER,
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-csrf-token",
        "traceparent",
        "tracestate",  # the gateway's own trace is passed on instead (fne_kernel.tracing)
    }
)
_DROPPED_RESPONSE_HEADERS = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"server",
        b"date",
        b"x-request-id",
    }
)
_METHODS_WITHOUT_BODY = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
# Bodies this small are read whole: one upstream write instead of a chunked stream.
_BUFFER_LIMIT = 256 * 1024
# Below this, gzip saves less than a round trip's worth and costs CPU; above the next, off the event loop.
_COMPRESS_MIN = 1024
_COMPRESS_INLINE_MAX = 64 * 1024
# Level 1 (nginx's default): on the first search page, 27 KB of JSON → 2.1 KB in 0.09 ms of CPU; level 9 saves
# 150 more bytes for 0.3 ms (docs/benchmarks.md, bench/webapp.py --compression-only).
_GZIP_LEVEL = 1
_READS = frozenset({"GET", "HEAD"})


def gzip_bytes(content: bytes) -> bytes:
    compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    return compressor.compress(content) + compressor.flush()


def _is_json(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or (essence.startswith("application/") and essence.endswith("+json"))


def compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    """A JSON answer the gateway may compress: not already encoded, no cookie set, no strong ETag (the
    directory's ETags guard writes with If-Match, which compares them byte for byte), not `no-store` (how a
    service marks an answer that carries a secret: never compressed, see docs/security.md)."""
    found = dict(headers)
    if not _is_json(found.get(b"content-type", b"").decode("latin-1")):
        return False
    if b"content-encoding" in found or b"set-cookie" in found:
        return False
    etag = found.get(b"etag")
    if etag is not None and not etag.startswith(b"W/"):
        return False
    return b"no-store" not in found.get(b"cache-control", b"").lower()


def service_path(raw_path: str) -> str:
    """The raw path past /api/<service>, however the service's name was spelt (`/api/%64irectory/…`: routing
    goes by the decoded path, so the name was found; its encoded length may differ)."""
    rest = raw_path.split("/", 3)[3:]
    return "/" + rest[0] if rest else "/"


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class _Failure:
    status: int
    code: str
    title: str
    detail: str
    service: str | None = None
    retry_after: int | None = None


def _too_large(limit: int) -> _Failure:
    return _Failure(413, "payload-too-large", "Corps de requête trop volumineux", f"Limite : {limit} octets")


class _LimitedStream:
    """The client's body streamed to the service; remembers when it overflowed, since aiohttp wraps the
    error."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.exceeded = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size = 0
        while True:
            message = await self.receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                self.exceeded = True
                raise _TooLarge
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return


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
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=settings.connect_timeout, sock_read=settings.upstream_timeout(name)
            ),
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
                connector=connector,
                auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding"),
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
        # The raw path, so that percent-encoded characters (%2F in an id…) reach the service as sent.
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        url = upstream.base_url + service_path(raw_path)
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        headers = self._request_headers(scope, principal, state)

        method = scope["method"]
        gzip_accepted = method in _READS and "gzip" in accepted_encodings(scope)
        body: bytes | _LimitedStream | None = None
        if method not in _METHODS_WITHOUT_BODY or any(
            name in (b"content-length", b"transfer-encoding") for name, _ in scope["headers"]
        ):
            try:
                body = await self._request_body(scope, receive)
            except _TooLarge:
                await self._send_failure(send, _too_large(self.max_body_bytes))
                return

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._forward(
                method, URL(url, encoded=True), headers, body, upstream, tracking_send, gzip_accepted
            )
        except Exception as exc:
            failure = self._failure(exc, body, upstream)
            if failure is None:
                raise
            # Once the response has started, the status is sent: the client sees a truncated body instead.
            if not started:
                await self._send_failure(send, failure)

    async def _forward(
        self,
        method: str,
        url: URL,
        headers: dict[str, str],
        body: bytes | _LimitedStream | None,
        upstream: Upstream,
        send: Send,
        gzip_accepted: bool = False,
    ) -> None:
        async with self.pool.session.request(
            method, url, headers=headers, data=body, allow_redirects=False, timeout=upstream.timeout
        ) as response:
            response_headers: list[tuple[bytes, bytes]] = [
                (name.lower(), value)
                for name, value in response.raw_headers
                if name.lower() not in _DROPPED_RESPONSE_HEADERS
            ]
            start = {"type": "http.response.start", "status": response.status, "headers": response_headers}
            length = response.content_length
            if length is not None and length <= _BUFFER_LIMIT:
                content = await response.read()
                if method in _READS and compressible(response_headers):
                    response_headers.append((b"vary", b"Accept-Encoding"))
                    if gzip_accepted and len(content) >= _COMPRESS_MIN:
                        content = await self._gzip(content)
                        start["headers"] = [
                            *(item for item in response_headers if item[0] != b"content-length"),
                            (b"content-encoding", b"gzip"),
                            (b"content-length", str(len(content)).encode()),
                        ]
                await send(start)
                await send({"type": "http.response.body", "body": content})
                return
            await send(start)
            async for chunk in response.content.iter_any():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})

    @staticmethod
    async def _gzip(content: bytes) -> bytes:
        if len(content) <= _COMPRESS_INLINE_MAX:
            return gzip_bytes(content)
        return await asyncio.to_thread(gzip_bytes, content)

    def _failure(
        self, exc: Exception, body: bytes | _LimitedStream | None, upstream: Upstream
    ) -> "_Failure | None":
        if isinstance(exc, _TooLarge) or (isinstance(body, _LimitedStream) and body.exceeded):
            return _too_large(self.max_body_bytes)
        if isinstance(exc, (TimeoutError, aiohttp.ServerTimeoutError)):
            logger.warning("upstream timeout", extra={"upstream": upstream.name})
            return _Failure(
                504,
                "upstream-timeout",
                "Service trop lent",
                f"{_function(upstream.name)} n'a pas répondu à temps. Réessayez.",
                upstream.name,
            )
        if isinstance(exc, aiohttp.ClientConnectorError):
            logger.warning("upstream unreachable", extra={"upstream": upstream.name})
            return _Failure(
                503,
                "upstream-unavailable",
                "Service indisponible",
                f"{_function(upstream.name)} est momentanément indisponible. Réessayez dans "
                "quelques instants.",
                upstream.name,
                retry_after=5,
            )
        if isinstance(exc, aiohttp.ClientError):
            logger.warning("upstream error", extra={"upstream": upstream.name, "error": type(exc).__name__})
            return _Failure(
                502,
                "upstream-error",
                "Réponse invalide du service",
                f"{_function(upstream.name)} a interrompu sa réponse. Réessayez.",
                upstream.name,
            )
        return None

    @staticmethod
    async def _send_failure(send: Send, failure: "_Failure") -> None:
        extensions = {"service": failure.service} if failure.service else {}
        headers = [(b"retry-after", str(failure.retry_after).encode())] if failure.retry_after else []
        await send_problem(
            send, failure.status, failure.code, failure.title, failure.detail, headers=headers, **extensions
        )

    def _request_headers(self, scope: Scope, principal: Principal, state: dict) -> dict[str, str]:
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
        tracing.inject(headers)
        return headers

    async def _request_body(self, scope: Scope, receive: Receive) -> bytes | _LimitedStream:
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_body_bytes:
                raise _TooLarge
            if int(declared) <= _BUFFER_LIMIT:
                return await self._read_all(receive)
        return _LimitedStream(receive, self.max_body_bytes)

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


# What a person calls each service: messages name the function that is unavailable, not a component.
_FUNCTIONS = {
    "directory": "L'annuaire des lieux",
    "observatory": "L'observatoire",
    "surveys": "Le service des questionnaires",
    "network": "Le service du réseau (personnes, formations, agenda)",
}


def _function(upstream: str) -> str:
    return _FUNCTIONS.get(upstream, "Ce service")
