"""Rendered exports, kept while the directory does not change.

The same exports are asked for again and again — a commune's embedded map loads its territory's GeoJSON on
every visit, partner platforms harvest the same files — and the directory changes a few times a day. A
rendered export is kept under a tag naming what it holds: the request (path and query), the directory's
version (places/versions.py: exact until the directory changes once its latest change has settled) and the day
(freshness filters and file names depend on it). A later request with the same tag gets the kept bytes, or 304
when it presents the tag (If-None-Match).

Exports that depend on the time of day ("open now / open at") are not kept. Requests for an export being
rendered wait for it (`rendered`) rather than render it again, as a commune's visitors would all do right
after a change. Exports are kept compressed (gzip: JSON and CSV shrink tenfold), sent as they are to clients
that accept gzip and decompressed for the others. Memory is bounded by `max_bytes` of compressed exports, the
least recently used going first; an export larger than an eighth of it is streamed without being kept, so the
full directory's files never sit in memory.
"""

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import date, datetime

from isal import isal_zlib

from fne_directory.places.versions import Kept, exact_until


class ExportCache:
    def __init__(self, max_bytes: int, settle_seconds: float) -> None:
        self.max_bytes, self.max_entry_bytes, self.settle_seconds = max_bytes, max_bytes // 8, settle_seconds
        self._kept: Kept[str, bytes] = Kept(max_bytes, weight=len)
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
        return self._kept.get(tag)

    async def rendered(self, tag: str, timeout: float) -> bytes | None:
        """The export, once another request rendering it has kept it (None if none is, or it was not kept)."""
        rendering = self._rendering.get(tag)
        if rendering is not None:
            try:
                await asyncio.wait_for(rendering.wait(), timeout)
            except TimeoutError:
                return None
        return self.get(tag)

    async def recording(
        self, tag: str, version: datetime | None, chunks: AsyncIterator[bytes]
    ) -> AsyncIterator[bytes]:
        """Passes the chunks of the export of the directory as of `version` on as they come, compressing them
        on the way, and keeps the export once it is complete and small enough."""
        rendering = self._rendering.setdefault(tag, asyncio.Event())
        expires_at = exact_until(version, self.settle_seconds)
        try:
            async for chunk in self._compressing(tag, expires_at, chunks):
                yield chunk
        finally:
            rendering.set()
            if self._rendering.get(tag) is rendering:
                del self._rendering[tag]

    async def _compressing(
        self, tag: str, expires_at: float, chunks: AsyncIterator[bytes]
    ) -> AsyncIterator[bytes]:
        # Level 1 with gzip framing, by ISA-L: 4 times faster than zlib's, and no larger.
        compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS)
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
                self._kept.put(tag, compressed, expires_at)
