"""The places a new record of a run may be the same as, held in memory for the run.

Asking the database for every record costs a query each. Instead the active places are read once, as linkage
features with the origins that describe them (a source, or one of data·inclusion's producers), then before
each batch only those changed since. Candidates share a blocking key with the record and are of its commune
or within ±0.02° of latitude and ±0.03° of longitude, never a pair a coordinator rejected or split, the first
MAX_CANDIDATES by id that blocking keeps; the model (sync/linkage.py) then decides. A place already described
by the record's origin stays a candidate: the clustering (sync/clustering.py) only lets it in when the model
says the two are the same. The index only proposes: the places of an automatic merge are confirmed active
against the database first (`active_places`).
"""

import asyncio
import math
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.models import Place
from fne_directory.sync import linkage
from fne_directory.sync.models import MatchCandidate, SourceRecord
from fne_kernel.db import utcnow

LATITUDE_SPAN, LONGITUDE_SPAN = 0.02, 0.03
MAX_CANDIDATES = 200
DATA_INCLUSION = "data-inclusion"
# How often the places changed by others (coordinators, other sources' runs) are read again during a run. A
# look scans every place changed since the previous one, the run's own new places too (the query leaves them
# out only after finding them): looking before every batch would scan them over and over.
LOOK_AGAIN_AFTER = timedelta(seconds=30)
# Other processes stamp updated_at with their own clocks: each look goes back a little before the last one.
CLOCK_MARGIN = timedelta(minutes=1)
WITHDRAWN = "withdrawn"
PROFILE_COLUMNS = (
    Place.id,
    Place.status,
    Place.pivot,
    Place.code_insee,
    Place.commune,
    Place.latitude,
    Place.longitude,
    Place.geo_precision,
    Place.nom,
    Place.adresse,
    Place.telephone,
    Place.courriels,
)
READ_CHUNK = 1000
SMALL_KEY = 16  # places a key holds without their commune and cell

Cell = tuple[int, int]
Scope = str | Cell  # where a place is indexed: its commune's INSEE code, or its grid cell


def _cell(latitude: float, longitude: float) -> Cell:
    return math.floor(latitude / LATITUDE_SPAN), math.floor(longitude / LONGITUDE_SPAN)


def _exact_cell(place: linkage.Features) -> Cell | None:
    """The grid cell of a place whose position is exact (`exact_position` implies both coordinates)."""
    if place.exact_position and place.latitude is not None and place.longitude is not None:
        return _cell(place.latitude, place.longitude)
    return None


def origin_of(source: str, raw: dict[str, Any] | None) -> str:
    """Who listed the record: the source, or for data·inclusion (an aggregator) its producer."""
    producer = (raw or {}).get("source") if source == DATA_INCLUSION else None
    return f"{source}/{producer}" if isinstance(producer, str) and producer else source


def record_keys(source: str, source_id: str, raw: dict[str, Any] | None) -> tuple[set[str], Any]:
    """(data·inclusion ids the record holds, its duplicate hints)."""
    if source != DATA_INCLUSION:
        return set(), None
    return {source_id}, (raw or {}).get("doublons")


def producers_of(origins: Iterable[str]) -> set[str]:
    """data·inclusion's producers among these origins ("data-inclusion/dora" → "dora")."""
    prefix = f"{DATA_INCLUSION}/"
    return {origin.removeprefix(prefix) for origin in origins if origin.startswith(prefix)}


class CandidateIndex:
    """The candidate places of one run, by commune and by grid cell of the search box's size."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._profiles: dict[str, linkage.Features] = {}
        self._origins: dict[str, frozenset[str]] = {}
        self._origin_sets: dict[frozenset[str], frozenset[str]] = {}  # one object per combination (memory)
        # By blocking key: the places a record shares something with, found without reading every place of a
        # large commune. A key of one place holds its id, of a few a set, of more a set per commune and cell
        # (memory: most keys are one place's).
        self._keyed: dict[str, str | set[str] | dict[Scope, set[str]]] = {}
        self._fresh: set[str] = set()
        self._looked_at: datetime | None = None
        self._looking = asyncio.Lock()  # batches merged at once share the index: one look at a time

    async def refresh(self, session: AsyncSession) -> None:
        """Reads the places changed since the last look (every active place the first time), unless that look
        is recent."""
        async with self._looking:
            now = utcnow()
            if self._looked_at is not None and now - self._looked_at < LOOK_AGAIN_AFTER:
                return
            statement = select(*PROFILE_COLUMNS)
            if self._looked_at is None:
                statement = statement.where(Place.status == "active")
            else:
                statement = statement.where(Place.updated_at >= self._looked_at - CLOCK_MARGIN)
            # The places this run placed records in are in the index as it left them (not read and described
            # again at every look while the run goes on: a long run would do that for thousands of them).
            fresh = self._fresh
            rows = [
                row
                for row in await session.execute(statement)
                if row.id not in fresh or row.status != "active"
            ]
            for row in rows:
                self.discard(row.id)
            active = [row for row in rows if row.status == "active"]
            described = await place_descriptions(session, [row.id for row in active])
            for row in active:
                origins, keys, hints = described.get(row.id, (set(), set(), []))
                self._add(
                    row.id,
                    linkage.features(
                        # The columns of DESCRIPTION, by their names: a mapping by string.
                        cast(Mapping[str, Any], row._mapping),
                        hints=hints,
                        di_keys=keys,
                        producers=producers_of(origins),
                    ),
                    origins,
                )
            self._looked_at = now

    def add(self, place_id: str, place: linkage.Features, origins: AbstractSet[str]) -> None:
        """The place as the run's records leave it (not read again at the next look)."""
        self._fresh.add(place_id)
        self._add(place_id, place, origins)

    def _add(self, place_id: str, place: linkage.Features, origins: AbstractSet[str]) -> None:
        self.discard(place_id)
        self._profiles[place_id] = place
        kept = frozenset(origins)
        self._origins[place_id] = self._origin_sets.setdefault(kept, kept)
        for key in linkage.stored_keys(place):
            entry = self._keyed.get(key)
            if entry is None:
                self._keyed[key] = place_id
            elif isinstance(entry, str):
                self._keyed[key] = {entry, place_id}
            elif isinstance(entry, set):
                entry.add(place_id)
                if len(entry) > SMALL_KEY:
                    scoped: dict[Scope, set[str]] = {}
                    for member in entry:
                        for scope in _scopes(self._profiles[member]):
                            scoped.setdefault(scope, set()).add(member)
                    self._keyed[key] = scoped
            else:
                for scope in _scopes(place):
                    entry.setdefault(scope, set()).add(place_id)

    def place_ids(self) -> list[str]:
        return sorted(self._profiles)

    def origins(self, place_id: str) -> frozenset[str]:
        return self._origins.get(place_id, frozenset())

    def profile(self, place_id: str) -> linkage.Features | None:
        return self._profiles.get(place_id)

    def discard(self, place_id: str) -> None:
        """The place is no longer a candidate (withdrawn, or not mergeable after all)."""
        place = self._profiles.pop(place_id, None)
        self._origins.pop(place_id, None)
        if place is None:
            return
        for key in linkage.stored_keys(place):
            entry = self._keyed.get(key)
            if entry == place_id:
                del self._keyed[key]
            elif isinstance(entry, set):
                entry.discard(place_id)
            elif isinstance(entry, dict):
                for scope in _scopes(place):
                    entry.get(scope, set()).discard(place_id)

    def sharing(
        self, record: linkage.Features, refused: Iterable[str] = ()
    ) -> list[tuple[str, linkage.Features]]:
        """The places blocking keeps for a record (`linkage.blocked`), not refused, the first MAX_CANDIDATES
        by id: found by key in its commune and the cells around it."""
        scopes: list[Scope] = [record.code_insee] if record.code_insee else []
        cell = _exact_cell(record)
        if cell is not None:
            row, column = cell
            scopes += [(row + i, column + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
        found: set[str] = set()
        profiles = self._profiles
        for key in linkage.lookup_keys(record):
            entry = self._keyed.get(key)
            if entry is None:
                continue
            if isinstance(entry, dict):
                found.update(*(entry.get(scope, ()) for scope in scopes))
                continue
            # Most keys (a phone, a SIRET, an e-mail, a number in a street) are one or a few places', kept
            # without their scope: those outside the record's are left out here.
            for place_id in [entry] if isinstance(entry, str) else entry:
                place = profiles[place_id]
                if place.code_insee in scopes or _exact_cell(place) in scopes:
                    found.add(place_id)
        kept = sorted(
            place_id for place_id in found.difference(refused) if linkage.blocked(record, profiles[place_id])
        )[:MAX_CANDIDATES]
        return [(place_id, profiles[place_id]) for place_id in kept]


def _scopes(place: linkage.Features) -> list[Scope]:
    """Where a description is indexed: its commune, and its grid cell when its position is exact."""
    scopes: list[Scope] = [place.code_insee] if place.code_insee else []
    cell = _exact_cell(place)
    if cell is not None:
        scopes.append(cell)
    return scopes


async def place_descriptions(
    session: AsyncSession, place_ids: list[str]
) -> dict[str, tuple[set[str], set[str], list[Any]]]:
    """Per place, the origins of its active records, their data·inclusion ids and duplicate hints."""
    described: dict[str, tuple[set[str], set[str], list[Any]]] = {}
    for start in range(0, len(place_ids), READ_CHUNK):
        for place_id, source, source_id, producer, hints in await session.execute(
            select(
                SourceRecord.place_id,
                SourceRecord.source,
                SourceRecord.source_id,
                SourceRecord.raw["source"].as_string(),
                SourceRecord.raw["doublons"],
            ).where(
                SourceRecord.place_id.in_(place_ids[start : start + READ_CHUNK]),
                SourceRecord.kind == "lieu",
                SourceRecord.status == "active",
            )
        ):
            origins, keys, hinted = described.setdefault(place_id, (set(), set(), []))
            origins.add(origin_of(source, {"source": producer}))
            if source == DATA_INCLUSION:
                keys.add(source_id)
                hinted += hints if isinstance(hints, list) else []
    return described


async def refused_pairs(session: AsyncSession, record_ids: list[int]) -> dict[int, set[str]]:
    """Per record, the places a coordinator said it is not (rejected or split)."""
    refused: dict[int, set[str]] = {}
    if record_ids:
        for record_id, place_id in await session.execute(
            select(MatchCandidate.record_id, MatchCandidate.place_id).where(
                MatchCandidate.record_id.in_(record_ids), MatchCandidate.status.in_(("rejected", "split"))
            )
        ):
            refused.setdefault(record_id, set()).add(place_id)
    return refused


async def active_places(session: AsyncSession, place_ids: Iterable[str]) -> set[str]:
    """The database's word before an automatic merge: which of these places are still active (the index may
    be behind a coordinator's decision or another process)."""
    wanted = list(set(place_ids))
    if not wanted:
        return set()
    return set(await session.scalars(select(Place.id).where(Place.id.in_(wanted), Place.status == "active")))
