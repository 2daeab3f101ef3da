"""Rendered exports, kept while the directory does not change.

The same exports are asked for again and again — a commune's embedded map loads its territory's GeoJSON on
every visit, partner platforms harvest the same files — and the directory changes a few times a day. A
rendered export is kept under a tag naming what it holds: the request (path and query), the directory's
version (its latest change) and the day (freshness filters and file names depend on it). A later request
with the same tag gets the kept bytes, or 304 when it presents the tag (If-None-Match).

Two writers committing out of order can leave the latest change's time unchanged: each entry is also kept
for a limited time (`max_age`), which bounds how late such a change can be seen. Exports that depend on the
time of day ("open now / open at") are not kept. Requests for an export being rendered wait for it
(`rendered`) rather than render it again, as a commune's visitors would all do right after a change. Exports are kept compressed (gzip: JSON and CSV shrink
tenfold), sent as they are to clients that accept gzip and decompressed for the others. Memory is bounded by
`max_bytes` of compressed exports; an export larger than an eighth of it is streamed without being kept, so the
full directory's files never sit in memory.
"""

import asyncio
import hashlib
import time
import zlib
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.places.models import Place


class ExportCache:
    def __init__(self, max_bytes: int, max_age: float) -> None:
        self.max_bytes, self.max_entry_bytes, self.max_age = max_bytes, max_bytes // 8, max_age
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._rendering: dict[str, asyncio.Event] = {}

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @staticmethod
    def tag(request_target: str, version: datetime | None, day: date) -> str:
        """The strong entity tag of an export: what was asked, of which directory, on which day."""
        named = f"{request_target}|{version.isoformat() if version else '-'}|{day.isoformat()}"
        return '"' + hashlib.sha256(named.encode()).hexdigest()[:32] + '"'

    def get(self, tag: str) -> bytes | None:
        """The kept export, gzip-compressed (`gzip.decompress` gives it back)."""
        entry = self._entries.get(tag)
        if entry is None:
            return None
        stored_at, compressed = entry
        if time.monotonic() - stored_at > self.max_age:
            self._drop(tag)
            return None
        self._entries.move_to_end(tag)
        return compressed

    async def rendered(self, tag: str, timeout: float) -> bytes | None:
        """The export, once another request rendering it has kept it (None if none is, or it was not kept)."""
        rendering = self._rendering.get(tag)
        if rendering is not None:
            try:
                await asyncio.wait_for(rendering.wait(), timeout)
            except TimeoutError:
                return None
        return self.get(tag)

    async def recording(self, tag: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        """Passes the chunks on as they come, compressing them on the way, and keeps the export once it is
        complete and small enough."""
        rendering = self._rendering.setdefault(tag, asyncio.Event())
        try:
            async for chunk in self._compressing(tag, chunks):
                yield chunk
        finally:
            rendering.set()
            if self._rendering.get(tag) is rendering:
                del self._rendering[tag]

    async def _compressing(self, tag: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        compressor = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # level 1, gzip framing
        parts: list[bytes] | None = []
        size = 0
        async for chunk in chunks:
            if parts is not None:
                part = compressor.compress(chunk)
                size += len(part)
                if size <= self.max_entry_bytes:
                    parts.append(part)
                else:
                    parts = None
            yield chunk
        if parts is not None:
            parts.append(compressor.flush())
            compressed = b"".join(parts)
            if len(compressed) <= self.max_entry_bytes:
                self._put(tag, compressed)

    def _put(self, tag: str, compressed: bytes) -> None:
        self._drop(tag)
        self._entries[tag] = (time.monotonic(), compressed)
        self._size += len(compressed)
        while self._size > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, tag: str) -> None:
        entry = self._entries.pop(tag, None)
        if entry is not None:
            self._size -= len(entry[1])


async def directory_version(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    """The time of the directory's latest change (creations, edits and withdrawals all set it)."""
    async with sessions() as session:
        return await session.scalar(select(func.max(Place.updated_at)))
