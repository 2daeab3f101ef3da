"""What one synchronisation run holds (its source, counts, errors, the candidate places and the model it
learns) and what its steps share: record statuses, the checkpoint that proves it alive and honours a
cancellation. The steps: storing.py (fetch, store, withdraw), merging.py (records into places), placing.py
(new records clustered), publishing.py (places and their provenance); engine.py runs them in order.
"""

import asyncio
import gc
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, any_, bindparam
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.places.service import (
    Communes,
    Geocoder,
)
from fne_directory.sync.candidates import (
    CandidateIndex,
)
from fne_directory.sync.clustering import Linker
from fne_directory.sync.connectors.base import Connector
from fne_directory.sync.models import SyncJob
from fne_directory.sync.transactions import writing
from fne_kernel.db import utcnow
from fne_kernel.identity import Principal
from fne_kernel.logging import get_logger

logger = get_logger("fne.directory.sync")


MAX_ERRORS = 100
# Checkpoints (a page stored, a batch merged) between two collections of the young garbage.
COLLECT_EVERY = 4


ACTIVE, QUARANTINED, WITHDRAWN, OUT_OF_SCOPE = "active", "quarantined", "withdrawn", "out_of_scope"
# For bulk updates of records that no session holds: nothing to synchronise (by default SQLAlchemy would read
# the ids of the updated rows back to update the objects of the session).
UNLOADED = {"synchronize_session": False}


class Cancelled(Exception):
    pass


def sync_actor(source: str) -> Principal:
    return Principal(kind="sync", subject=f"sync:{source}"[:64], name=f"Synchronisation {source}")


def among(session: AsyncSession, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(array)`: one parameter rather than one per value, which
    SQLAlchemy renders again at every execution (a page holds a thousand)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


@dataclass
class Run:
    sessions: async_sessionmaker[AsyncSession]
    settings: Any
    job_id: str
    connector: Connector
    geocode: Geocoder | None = None
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)
    partial: bool = False
    # Read once per run: the reference communes, and the places the source's new records may be.
    communes: Communes = field(default_factory=Communes)
    candidates: CandidateIndex = field(init=False)
    # Records the table's statistics describe, and records added since (PostgreSQL).
    analysed_rows: int | None = None
    unanalysed_rows: int = 0
    linker: Linker = field(init=False)
    # New records are placed one batch at a time: a batch sees the places the previous one created.
    placing: asyncio.Lock = field(default_factory=asyncio.Lock)
    checkpoints: int = 0

    def __post_init__(self) -> None:
        self.candidates = CandidateIndex(self.connector.source)
        self.linker = Linker(
            self.settings.sync_merge_precision,
            self.settings.sync_auto_merge_score,
            self.settings.sync_review_score,
        )

    @property
    def source(self) -> str:
        return self.connector.source

    @property
    def actor(self) -> Principal:
        return sync_actor(self.source)

    def error(self, stage: str, message: str, **details: Any) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"at": utcnow().isoformat(), "stage": stage, "message": message, **details})


async def checkpoint(run: Run) -> None:
    """Proves the run is alive and stops it when someone asked for its cancellation. Every few batches, the
    garbage of the last ones is collected while it is young: a run collects its oldest generation rarely
    (engine.RUN_GC_THRESHOLD), and cycles left there would hold their batches' memory until the run ends."""
    run.checkpoints += 1
    if run.checkpoints % COLLECT_EVERY == 0:
        gc.collect(1)
    async with writing(run.sessions) as session:
        job = await session.get(SyncJob, run.job_id)
        assert job is not None
        job.heartbeat_at = utcnow()
        job.counts = dict(run.counts)
        if job.cancel_requested:
            raise Cancelled()
