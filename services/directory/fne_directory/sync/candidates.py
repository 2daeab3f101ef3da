"""The places a new record of a run may be the same as, held in memory for the run.

Asking the database for every record costs a query each. Instead the active places that the run's source does
not describe are read once, as matching profiles, then before each batch only those changed since. The rules
are those of the query this replaces: same commune or within ±0.02° of latitude and ±0.03° of longitude, never a
place the source already describes (it lists them separately), never a pair a coordinator rejected or split, the
first 50 by id. The index only proposes: an automatic merge is confirmed against the database first
(`still_mergeable`), so a stale entry can at worst miss a duplicate, never merge a wrong one.
"""

import asyncio
import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Exists, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place
from fne_directory.sync import matching
from fne_directory.sync.models import MatchCandidate, SourceRecord
from fne_kernel.db import utcnow

LATITUDE_SPAN, LONGITUDE_SPAN = 0.02, 0.03
MAX_CANDIDATES = 50
# How often the places changed by others (coordinators, other sources' runs) are read again during a run. A look
# scans every place changed since the previous one, the run's own new places too (the query leaves them out only
# after finding them): looking before every batch would scan them over and over.
LOOK_AGAIN_AFTER = timedelta(seconds=30)
# Other processes stamp updated_at with their own clocks: each look goes back a little before the last one.
CLOCK_MARGIN = timedelta(minutes=1)
WITHDRAWN = "withdrawn"
PROFILE_COLUMNS = (Place.id, Place.status, Place.pivot, Place.code_insee, Place.latitude, Place.longitude,
                   Place.geo_precision, Place.nom, Place.adresse, Place.telephone, Place.courriels)

Cell = tuple[int, int]


def _cell(latitude: float, longitude: float) -> Cell:
    return math.floor(latitude / LATITUDE_SPAN), math.floor(longitude / LONGITUDE_SPAN)


def _described_by(source: str, place_id: Any, record_id: int | None = None) -> Exists:
    """A record of `source` (other than `record_id`) describes the place."""
    condition = exists().where(SourceRecord.place_id == place_id, SourceRecord.source == source,
                               SourceRecord.status != WITHDRAWN)
    return condition.where(SourceRecord.id != record_id) if record_id is not None else condition


class CandidateIndex:
    """The candidate places of one run's source, by commune and by grid cell of the search box's size."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._profiles: dict[str, matching.Profile] = {}
        self._by_commune: dict[str, set[str]] = {}
        self._by_cell: dict[Cell, set[str]] = {}
        self._looked_at: datetime | None = None
        self._looking = asyncio.Lock()  # batches merged at once share the index: one look at a time
        # Places this run's records joined: never candidates again, even before the database says so.
        self._claimed: set[str] = set()

    async def refresh(self, session: AsyncSession) -> None:
        """Reads the places changed since the last look (every active place the first time), unless that look
        is recent."""
        async with self._looking:
            now = utcnow()
            if self._looked_at is not None and now - self._looked_at < LOOK_AGAIN_AFTER:
                return
            statement = select(*PROFILE_COLUMNS).where(~_described_by(self.source, Place.id))
            if self._looked_at is None:
                statement = statement.where(Place.status == "active")
            else:
                statement = statement.where(Place.updated_at >= self._looked_at - CLOCK_MARGIN)
            for row in await session.execute(statement):
                self.discard(row.id)
                if row.status == "active" and row.id not in self._claimed:
                    self._add(row.id, matching.profile(row._mapping))
            self._looked_at = now

    def _add(self, place_id: str, place: matching.Profile) -> None:
        self._profiles[place_id] = place
        if place.code_insee:
            self._by_commune.setdefault(place.code_insee, set()).add(place_id)
        if place.latitude is not None and place.longitude is not None:
            self._by_cell.setdefault(_cell(place.latitude, place.longitude), set()).add(place_id)

    def claim(self, place_id: str) -> bool:
        """A record of the run joins the place (the source describes it from now on); False if one did already."""
        if place_id in self._claimed:
            return False
        self._claimed.add(place_id)
        self.discard(place_id)
        return True

    def discard(self, place_id: str) -> None:
        """The place is no longer a candidate (withdrawn, or not mergeable after all)."""
        place = self._profiles.pop(place_id, None)
        if place is None:
            return
        if place.code_insee:
            self._by_commune[place.code_insee].discard(place_id)
        if place.latitude is not None and place.longitude is not None:
            self._by_cell[_cell(place.latitude, place.longitude)].discard(place_id)

    def near(self, record: matching.Profile, refused: Iterable[str] = ()) -> list[tuple[str, matching.Profile]]:
        """The candidates of a record: same commune or close, not refused, the first MAX_CANDIDATES by id."""
        found = set(self._by_commune.get(record.code_insee or "", ()))
        if record.latitude is not None and record.longitude is not None:
            row, column = _cell(record.latitude, record.longitude)
            for cell in ((row + i, column + j) for i in (-1, 0, 1) for j in (-1, 0, 1)):
                for place_id in self._by_cell.get(cell, ()):
                    latitude, longitude = self._profiles[place_id].latitude, self._profiles[place_id].longitude
                    if latitude is not None and longitude is not None \
                            and abs(latitude - record.latitude) <= LATITUDE_SPAN \
                            and abs(longitude - record.longitude) <= LONGITUDE_SPAN:
                        found.add(place_id)
        chosen = sorted(found.difference(refused))[:MAX_CANDIDATES]
        return [(place_id, self._profiles[place_id]) for place_id in chosen]


async def refused_pairs(session: AsyncSession, record_ids: list[int]) -> dict[int, set[str]]:
    """Per record, the places a coordinator said it is not (rejected or split)."""
    refused: dict[int, set[str]] = {}
    if record_ids:
        for record_id, place_id in await session.execute(
                select(MatchCandidate.record_id, MatchCandidate.place_id)
                .where(MatchCandidate.record_id.in_(record_ids), MatchCandidate.status.in_(("rejected", "split")))):
            refused.setdefault(record_id, set()).add(place_id)
    return refused


async def still_mergeable(session: AsyncSession, place_id: str, source: str, record_id: int) -> bool:
    """The database's word before an automatic merge: the place is active and no other record of the source
    describes it (the index may be behind a coordinator's decision or another process)."""
    return bool(await session.scalar(select(Place.id).where(
        Place.id == place_id, Place.status == "active", ~_described_by(source, Place.id, record_id))))
