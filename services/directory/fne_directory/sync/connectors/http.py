"""HTTP for connectors: timeouts, retries with exponential backoff on 5xx, timeouts and unreadable bodies,
and `Retry-After` honoured on 429 (and 503)."""

import asyncio
import random
from collections.abc import Mapping
from typing import Any

import httpx
import orjson

from fne_directory.sync.exceptions import FetchFailed
from fne_kernel.logging import get_logger

logger = get_logger("fne.directory.sync")
# A server asking to wait longer than this is treated as unavailable: the run ends partial and the next
# retries.
MAX_RETRY_AFTER_SECONDS = 120.0


class JsonClient:
    """GET → decoded JSON. A truncated or malformed body is retried like a 5xx: it is nearly always a
    connection cut short, and a second read usually succeeds."""

    def __init__(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.retries = retries
        self.backoff = backoff
        self._client = httpx.AsyncClient(
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
            headers={"User-Agent": "fne-savoie-annuaire", "Accept": "application/json", **(headers or {})},
        )

    async def get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        failure = ""
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2**attempt * (0.5 + random.random())
            try:
                response = await self._client.get(url, params=params)
            except httpx.TimeoutException:
                failure = "délai dépassé"
            except httpx.TransportError as exc:
                failure = f"connexion impossible ({type(exc).__name__})"
            else:
                if response.status_code in (429, 503) and "retry-after" in response.headers:
                    wait = _retry_after(response.headers["retry-after"])
                    failure = f"HTTP {response.status_code}, Retry-After {response.headers['retry-after']}"
                elif response.status_code >= 500 or response.status_code == 429:
                    failure = f"HTTP {response.status_code}"
                elif response.status_code >= 400:
                    # 401, 403, 404…: asking again will not change the answer.
                    raise FetchFailed(f"{_path(url)} : HTTP {response.status_code}")
                else:
                    try:
                        return orjson.loads(response.content)
                    except orjson.JSONDecodeError:
                        failure = "JSON illisible ou tronqué"
            if attempt < self.retries:
                logger.warning(
                    "source request retried",
                    extra={"path": _path(url), "reason": failure, "attempt": attempt + 1},
                )
                await asyncio.sleep(wait)
        raise FetchFailed(f"{_path(url)} : {failure} (après {self.retries + 1} essais)")

    async def close(self) -> None:
        await self._client.aclose()


def _retry_after(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:  # an HTTP date: rare from APIs; wait a reasonable while
        seconds = 5.0
    if seconds > MAX_RETRY_AFTER_SECONDS:
        raise FetchFailed(f"la source demande d'attendre {seconds:.0f} s")
    return max(seconds, 0.0)


def _path(url: str) -> str:
    """The URL without its query string (filters), but with a YesWiki route (`?api/forms/1/entries`)."""
    path, _, query = url.partition("?")
    return f"{path}?{query.split('&', 1)[0]}" if query.startswith("api/") else path
