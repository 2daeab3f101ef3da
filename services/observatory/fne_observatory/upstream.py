"""Reaching the platform's other services and outside systems over HTTP: timeouts, retries, clear failures."""

import asyncio
import codecs
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx

from fne_kernel.errors import DomainError
from fne_kernel.logging import get_logger

logger = get_logger("fne.observatory.upstream")
T = TypeVar("T")
RETRY_DELAY_SECONDS = 0.5


class UpstreamUnavailable(DomainError):
    status, code, title = 502, "upstream-unavailable", "Service distant indisponible"


async def with_retries(name: str, attempts: int, call: Callable[[], Awaitable[T]]) -> T:
    """Runs `call`, again after a transport error or a 5xx, up to `attempts` times; then a 502 naming
    `name`."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            retryable = not isinstance(exc, httpx.HTTPStatusError) or exc.response.status_code >= 500
            logger.warning(
                "upstream call failed",
                extra={"upstream": name, "attempt": attempt, "error": type(exc).__name__},
            )
            if not retryable or attempt == attempts:
                status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
                raise UpstreamUnavailable(
                    f"{name} : {type(exc).__name__}", upstream=name, upstream_status=status
                ) from exc
            await asyncio.sleep(RETRY_DELAY_SECONDS * attempt)
    raise AssertionError("unreachable")


async def json_array_items(chunks: AsyncIterator[bytes]) -> AsyncIterator[Any]:
    """The items of a JSON array read as it streams in: memory holds one chunk and one item, not the body.
    Whatever the whitespace between items (one per line, or none)."""
    decoder = json.JSONDecoder()
    text_decoder = codecs.getincrementaldecoder("utf-8")()
    buffer, started = "", False
    async for chunk in chunks:
        buffer += text_decoder.decode(chunk)
        position = 0
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if not started:
                if position == len(buffer):
                    break
                if buffer[position] != "[":
                    raise ValueError("un tableau JSON était attendu")
                started, position = True, position + 1
                continue
            if position < len(buffer) and buffer[position] == "]":
                return
            try:
                item, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError:
                break  # an item cut by the chunk boundary: wait for the rest
            if end == len(buffer):
                break  # a number cut short would still decode: an item counts once something follows it
            yield item
            position = end
        buffer = buffer[position:]
    raise ValueError("tableau JSON incomplet")
