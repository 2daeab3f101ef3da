"""The directory's version — the time of its latest change — and how long what is computed from it stays
exact.

What is computed from the directory (an export, facet counts) is kept under the version it was computed from:
a change gives the directory a new version, and so what was kept is no longer asked for. The version can miss
a change for a while: a write stamped at t1 that commits after another one stamped t2 > t1 leaves the latest
time at t2. Such a write was under way at t2, so it has committed by t2 + `settle_seconds` (no write takes
longer): something computed at least that long after the directory's latest change is exact until the
directory changes; something computed sooner is exact only until then.
"""

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sqlalchemy import ScalarSelect, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.permanences.models import Permanence
from fne_directory.places.models import Place

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def latest_change() -> ScalarSelect[datetime | None]:
    """The directory's version, as a subquery (creations, edits and withdrawals all set `updated_at`, of
    places and of the permanences they host, which searches filter on and exports publish)."""
    changes = union_all(
        select(func.max(Place.updated_at).label("at")), select(func.max(Permanence.updated_at).label("at"))
    ).subquery()
    return select(func.max(changes.c.at)).scalar_subquery()


async def directory_version(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    async with sessions() as session:
        return await session.scalar(select(latest_change()))


def exact_until(version: datetime | None, settle_seconds: float) -> float:
    """Until when (monotonic clock) something computed now from the directory as of `version` is exact."""
    if version is None:  # an empty directory: any write gives it a version
        return math.inf
    unsettled = settle_seconds - (datetime.now(UTC) - version).total_seconds()
    return time.monotonic() + unsettled if unsettled > 0 else math.inf


class Kept(Generic[K, V]):
    """Values computed from the directory, each kept until it may no longer be exact (`exact_until`), the
    least recently used going first once their total weight passes `max_weight`."""

    def __init__(self, max_weight: int, weight: Callable[[V], int] = lambda _value: 1) -> None:
        self.max_weight, self.weight = max_weight, weight
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._total = 0

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.monotonic() > entry[0]:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: K, value: V, expires_at: float) -> None:
        self._drop(key)
        self._entries[key] = (expires_at, value)
        self._total += self.weight(value)
        while self._total > self.max_weight:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: K) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._total -= self.weight(entry[1])
