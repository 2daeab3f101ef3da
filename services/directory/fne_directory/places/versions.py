"""The directory's version — the time of its latest change — and how long what is computed from it stays exact.

What is computed from the directory (an export, facet counts) is kept under the version it was computed from: a
change gives the directory a new version, and so what was kept is no longer asked for. The version can miss a
change for a while: a write stamped at t1 that commits after another one stamped t2 > t1 leaves the latest time at
t2. Such a write was under way at t2, so it has committed by t2 + `settle_seconds` (no write takes longer):
something computed at least that long after the directory's latest change is exact until the directory changes;
something computed sooner is exact only until then.
"""

import math
import time
from datetime import UTC, datetime

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.places.models import Place


def latest_change() -> ScalarSelect[datetime | None]:
    """The directory's version, as a subquery (creations, edits and withdrawals all set `updated_at`)."""
    return select(func.max(Place.updated_at)).scalar_subquery()


async def directory_version(sessions: async_sessionmaker[AsyncSession]) -> datetime | None:
    async with sessions() as session:
        return await session.scalar(select(latest_change()))


def exact_until(version: datetime | None, settle_seconds: float) -> float:
    """Until when (monotonic clock) something computed now from the directory as of `version` is exact."""
    if version is None:  # an empty directory: any write gives it a version
        return math.inf
    unsettled = settle_seconds - (datetime.now(UTC) - version).total_seconds()
    return time.monotonic() + unsettled if unsettled > 0 else math.inf
