"""One synchronisation run: fetch → store source records → withdraw what a complete snapshot lacks → merge
changed records into places. Each step commits in small batches from its own sessions, so memory stays flat
and whatever was stored survives a failure; records wait (`needs_merge`) until a run merges them.
"""

import asyncio
import hashlib
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import ARRAY, ColumnElement, any_, bindparam, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from fne_directory.places.models import Place
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import (
    Communes,
    Geocoder,
    create_places,
    insert_rows,
    replace_place,
    restore_place,
    withdraw_place,
)
from fne_directory.sync import linkage, repair
from fne_directory.sync.candidates import (
    CandidateIndex,
    active_places,
    origin_of,
    producers_of,
    record_keys,
    refused_pairs,
)
from fne_directory.sync.clustering import Incoming, Linker, cluster, place_of_group
from fne_directory.sync.connectors.base import LIEU, SERVICE, Connector, FetchedRecord
from fne_directory.sync.exceptions import FetchFailed
from fne_directory.sync.manual import MANUAL
from fne_directory.sync.merge import alone_input, merged_input
from fne_directory.sync.models import FieldProvenance, MatchCandidate, SourceRecord, SyncJob
from fne_directory.sync.transactions import writing
from fne_directory.territories.models import Commune
from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_errors
from fne_kernel.identity import Principal
from fne_kernel.logging import get_logger
from fne_kernel.metrics import SYNC_DURATION, SYNC_JOBS

logger = get_logger("fne.directory.sync")
MERGE_BATCH = 500
MERGE_CONCURRENCY = 2
REQUIRED = frozenset({"nom", "adresse", "code_postal"})
PAIRED = {"latitude": ("latitude", "longitude"), "longitude": ("latitude", "longitude")}
# A complete snapshot that would withdraw more than this share of a source's records is not believed: an API
# answering with a filtered or emptied list must not empty the directory.
MAX_WITHDRAWN_SHARE = 0.5
MIN_RECORDS_FOR_GUARD = 10
MAX_ERRORS = 100
# PostgreSQL plans the lookups of a page's records from the table's statistics. A first run multiplies the
# table's size long before autovacuum looks at it again, and with the statistics of a nearly empty table each
# lookup scans every record of the source (quadratic). So a run refreshes them whenever it has doubled the
# rows they describe, from this many new rows.
ANALYZE_FROM_ROWS = 1000
ANALYSED_COLUMNS = (
    "source, kind, source_id, parent_id, status, needs_merge, place_id"  # what the lookups filter on
)
ACTIVE, QUARANTINED, WITHDRAWN, OUT_OF_SCOPE = "active", "quarantined", "withdrawn", "out_of_scope"
# For bulk updates of records that no session holds: nothing to synchronise (by default SQLAlchemy would read
# the ids of the updated rows back to update the objects of the session).
UNLOADED = {"synchronize_session": False}
# The columns of a source record that merging decides.
MERGE_STATE = (
    "status",
    "normalised",
    "quarantine_reasons",
    "warnings",
    "date_maj",
    "place_id",
    "needs_merge",
)


class Cancelled(Exception):
    pass


class Quarantine(Exception):
    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("invalid record")
        self.reasons = reasons


def sync_actor(source: str) -> Principal:
    return Principal(kind="sync", subject=f"sync:{source}"[:64], name=f"Synchronisation {source}")


def _among(session: AsyncSession, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(array)`: one parameter rather than one per value, which
    SQLAlchemy renders again at every execution (a page holds a thousand)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def content_hash(raw: dict[str, Any], volatile: Iterable[str] = ()) -> str:
    ignored = set(volatile)
    content = {name: value for name, value in raw.items() if name not in ignored}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


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


async def execute(run: Run) -> SyncJob:
    """Runs the job to its end and records how it ended; never raises for a source's failure."""
    status, message = "succeeded", None
    try:
        fetched_completely = await _fetch(run)
        if fetched_completely:
            await _withdraw_missing(run)
        await _merge_pending(run)
        report = run.connector.report
        run.counts["duplicates"] = report.duplicates
        for note in report.notes:
            run.error("fetch", note)
        if not fetched_completely and run.counts["fetched"] == 0:
            status, message = "failed", "Source illisible : rien n'a changé."
        elif not fetched_completely or run.partial or not report.expected <= set(report.snapshot_ids):
            status = "partial"
            message = "Lecture incomplète : les données reçues sont enregistrées, rien n'a été retiré."
    except Cancelled:
        status, message = "cancelled", "Annulée : les données reçues sont enregistrées, rien n'a été retiré."
    except asyncio.CancelledError:
        await _finish(run, "interrupted", "Service arrêté pendant la synchronisation.")
        raise
    except Exception:
        logger.exception("sync run failed", extra={"source": run.source, "job_id": run.job_id})
        run.error("internal", "erreur interne (voir les journaux du service)")
        status, message = "failed", "Erreur interne : rien n'a été retiré."
    finally:
        await run.connector.close()
    return await _finish(run, status, message)


async def _finish(run: Run, status: str, message: str | None) -> SyncJob:
    async with writing(run.sessions) as session:
        job = await session.get(SyncJob, run.job_id)
        assert job is not None
        job.status, job.message = status, message
        job.finished_at = job.heartbeat_at = utcnow()
        job.counts = dict(run.counts)
        job.errors = list(run.errors)
        job.complete_snapshot = bool(run.connector.report.snapshot_ids) and status == "succeeded"
        started_at = job.started_at
    SYNC_JOBS.labels(run.source, status).inc()
    if started_at is not None:
        SYNC_DURATION.labels(run.source).observe((utcnow() - started_at).total_seconds())
    logger.info(
        "sync run finished",
        extra={"source": run.source, "job_id": run.job_id, "status": status, "counts": dict(run.counts)},
    )
    return job


async def _checkpoint(run: Run) -> None:
    """Proves the run is alive and stops it when someone asked for its cancellation."""
    async with writing(run.sessions) as session:
        job = await session.get(SyncJob, run.job_id)
        assert job is not None
        job.heartbeat_at = utcnow()
        job.counts = dict(run.counts)
        if job.cancel_requested:
            raise Cancelled()


# --- Fetching and storing
# ------------------------------------------------------------------------------------


async def _fetch(run: Run) -> bool:
    """Stores every batch the connector gives; False when the source could not be read to the end."""
    try:
        async for batch in _read_ahead(run.connector.fetch()):
            await _checkpoint(run)
            async with writing(run.sessions) as session:
                await _store(session, run, batch)
    except FetchFailed as exc:
        run.error("fetch", str(exc))
        return False
    await _checkpoint(run)
    return True


async def _read_ahead(batches: AsyncIterator[list[FetchedRecord]]) -> AsyncIterator[list[FetchedRecord]]:
    """The batches, the next one being fetched while the caller stores the current one (the source's latency
    and the database's overlap)."""

    async def following() -> list[FetchedRecord] | None:
        return await anext(batches, None)

    upcoming = asyncio.ensure_future(following())
    try:
        while (batch := await upcoming) is not None:
            upcoming = asyncio.ensure_future(following())
            yield batch
    finally:
        if not upcoming.done():
            upcoming.cancel()
        # Whatever the fetch was doing when the caller stopped (a cancelled run) is dropped with it.
        await asyncio.gather(upcoming, return_exceptions=True)


async def _store(session: AsyncSession, run: Run, batch: list[FetchedRecord]) -> None:
    postgresql = (await session.connection()).dialect.name == "postgresql"
    if postgresql and run.analysed_rows is None:
        run.analysed_rows = max(
            0,
            int(
                await session.scalar(
                    text(
                        f"SELECT reltuples FROM pg_class WHERE oid = '{SourceRecord.__tablename__}'::regclass"
                    )
                )
                or 0
            ),
        )
    now = utcnow()
    run.counts["fetched"] += len(batch)
    latest = {(record.kind, record.source_id): record for record in batch}  # a repeated id: the later copy
    volatile = getattr(run.connector, "volatile_fields", ())
    for kind in (LIEU, SERVICE):
        fetched = {
            source_id: record for (record_kind, source_id), record in latest.items() if record_kind == kind
        }
        if not fetched:
            continue
        stored = {
            row.source_id: row
            for row in await session.execute(
                select(
                    SourceRecord.id,
                    SourceRecord.source_id,
                    SourceRecord.content_hash,
                    SourceRecord.status,
                    SourceRecord.parent_id,
                ).where(
                    SourceRecord.source == run.source,
                    SourceRecord.kind == kind,
                    _among(session, SourceRecord.source_id, fetched),
                )
            )
        }
        new_rows, changed_rows, unchanged_ids, parents = [], [], [], set()
        for source_id, record in fetched.items():
            digest = content_hash(record.raw, volatile)
            row = stored.get(source_id)
            if row is not None and row.content_hash == digest and row.status != WITHDRAWN:
                unchanged_ids.append(row.id)
                continue
            values = {
                "raw": record.raw,
                "content_hash": digest,
                "parent_id": record.parent_id,
                "last_seen_at": now,
                "changed_at": now,
                "last_job_id": run.job_id,
                "needs_merge": True,
                "status": ACTIVE if row is None or row.status == WITHDRAWN else row.status,
                "withdrawn_at": None,
            }
            if row is None:
                new_rows.append(
                    {
                        "source": run.source,
                        "kind": kind,
                        "source_id": source_id,
                        "first_seen_at": now,
                        **values,
                    }
                )
            else:
                changed_rows.append({"id": row.id, **values})
                if row.parent_id:
                    parents.add(row.parent_id)  # a service moved away from its structure
            if record.parent_id:
                parents.add(record.parent_id)
        await insert_rows(session, SourceRecord, new_rows)
        if changed_rows:
            await session.execute(update(SourceRecord), changed_rows)
        if unchanged_ids:
            await session.execute(
                update(SourceRecord)
                .where(_among(session, SourceRecord.id, unchanged_ids))
                .values(last_seen_at=now, last_job_id=run.job_id),
                execution_options=UNLOADED,
            )
        if kind == SERVICE and parents:
            await _mark_parents(session, run.source, parents)
        run.counts["records_new"] += len(new_rows)
        run.counts["records_changed"] += len(changed_rows)
        run.counts["unchanged"] += len(unchanged_ids)
        run.unanalysed_rows += len(new_rows)
    if postgresql and run.unanalysed_rows >= max(ANALYZE_FROM_ROWS, run.analysed_rows or 0):
        await session.execute(text(f"ANALYZE {SourceRecord.__tablename__} ({ANALYSED_COLUMNS})"))
        run.analysed_rows = (run.analysed_rows or 0) + run.unanalysed_rows
        run.unanalysed_rows = 0


async def _mark_parents(session: AsyncSession, source: str, parents: set[str]) -> None:
    # Only the structures not marked yet: in a first run every one is (new), and rewriting each of them once
    # per page of services that names it would write the records table over and over.
    await session.execute(
        update(SourceRecord)
        .where(
            SourceRecord.source == source,
            SourceRecord.kind == LIEU,
            SourceRecord.needs_merge.is_(False),
            _among(session, SourceRecord.source_id, parents),
        )
        .values(needs_merge=True),
        execution_options=UNLOADED,
    )


# --- Withdrawals
# ---------------------------------------------------------------------------------------------


async def _withdraw_missing(run: Run) -> None:
    """Records missing from a complete snapshot were withdrawn in their source: marked, never deleted."""
    for kind, present in run.connector.report.snapshot_ids.items():
        async with writing(run.sessions) as session:
            stored = (
                await session.execute(
                    select(SourceRecord.id, SourceRecord.source_id, SourceRecord.parent_id).where(
                        SourceRecord.source == run.source,
                        SourceRecord.kind == kind,
                        SourceRecord.status != WITHDRAWN,
                    )
                )
            ).all()
            missing = [row for row in stored if row.source_id not in present]
            if not missing:
                continue
            if len(stored) >= MIN_RECORDS_FOR_GUARD and len(missing) > MAX_WITHDRAWN_SHARE * len(stored):
                run.partial = True
                run.error(
                    "withdraw",
                    f"{kind} : {len(missing)} enregistrements sur {len(stored)} absents de la "
                    "source ; trop pour être cru, rien n'est retiré (vérifiez la source)",
                )
                continue
            now = utcnow()
            for start in range(0, len(missing), 1000):
                chunk = missing[start : start + 1000]
                await session.execute(
                    update(SourceRecord)
                    .where(_among(session, SourceRecord.id, [row.id for row in chunk]))
                    .values(status=WITHDRAWN, withdrawn_at=now, needs_merge=True),
                    execution_options=UNLOADED,
                )
            if kind == SERVICE:
                await _mark_parents(session, run.source, {row.parent_id for row in missing if row.parent_id})
            run.counts["withdrawn"] += len(missing)


# --- Merging records into places
# -----------------------------------------------------------------------------


async def _merge_pending(run: Run) -> None:
    # Quarantined records are read again at every run: a fix on this side (a mapping, a reference commune)
    # releases them without waiting for the source to change.
    async with writing(run.sessions) as session:
        await session.execute(
            update(SourceRecord)
            .where(
                SourceRecord.source == run.source,
                SourceRecord.kind == LIEU,
                SourceRecord.status == QUARANTINED,
            )
            .values(needs_merge=True),
            execution_options=UNLOADED,
        )
    # While a batch waits for the database, the next one's records are checked and matched: with a pool of
    # PostgreSQL connections, MERGE_CONCURRENCY batches are merged at once, each in its own transaction
    # (SQLite has one writer at a time, and sessions sharing one connection cannot overlap).
    bind = run.sessions.kw.get("bind")
    concurrency = (
        MERGE_CONCURRENCY if isinstance(bind, AsyncEngine) and bind.dialect.name == "postgresql" else 1
    )
    merging: deque[asyncio.Task[Counter[str]]] = deque()
    after = 0
    try:
        while True:
            async with run.sessions() as session:
                ids = list(
                    await session.scalars(
                        select(SourceRecord.id)
                        .where(
                            SourceRecord.source == run.source,
                            SourceRecord.kind == LIEU,
                            SourceRecord.needs_merge.is_(True),
                            SourceRecord.id > after,
                        )
                        .order_by(SourceRecord.id)
                        .limit(MERGE_BATCH)
                    )
                )
            if ids:
                merging.append(asyncio.create_task(_merge_ids(run, ids)))
                after = ids[-1]
            if merging and (len(merging) >= concurrency or not ids):
                run.counts.update(await merging.popleft())  # in order: the counts and the checkpoint follow
                await _checkpoint(run)
            elif not ids:
                return
    finally:
        for task in merging:
            task.cancel()  # a cancelled run: its batch is rolled back, its records wait for the next run
        await asyncio.gather(*merging, return_exceptions=True)


async def _merge_ids(run: Run, ids: list[int]) -> Counter[str]:
    try:
        return await _merge_batch(run, ids, isolated=False)
    except Exception:
        # One record broke the batch: start the batch again, each record in its own savepoint, so that
        # the others are merged and the broken one is reported.
        return await _merge_batch(run, ids, isolated=True)


async def _merge_batch(run: Run, ids: list[int], isolated: bool) -> Counter[str]:
    """Merges one batch in one transaction; what it counted once committed."""
    async with writing(run.sessions) as session:
        records = list(
            await session.scalars(
                select(SourceRecord).where(_among(session, SourceRecord.id, ids)).order_by(SourceRecord.id)
            )
        )
        services = await _services_of(session, run.source, [record.source_id for record in records])
        if not isolated:
            return await _merge_records(session, run, records, services)
        counts: Counter[str] = Counter()
        for record in records:
            source_id = record.source_id  # read now: a rolled-back savepoint expires what it changed
            try:
                async with session.begin_nested():
                    counts.update(await _merge_records(session, run, [record], services))
            except Exception:
                session.expire(record)  # its state as merging left it in memory was rolled back
                logger.exception("sync merge failed", extra={"source": run.source, "record": source_id})
                run.error("merge", "erreur interne en fusionnant cet enregistrement", source_id=source_id)
                # left to merge (needs_merge stays set): the next run tries again
        return counts


async def _services_of(
    session: AsyncSession, source: str, parents: list[str]
) -> dict[str, list[dict[str, Any]]]:
    services: dict[str, list[dict[str, Any]]] = {}
    for parent_id, raw in await session.execute(
        select(SourceRecord.parent_id, SourceRecord.raw)
        .where(
            SourceRecord.source == source,
            SourceRecord.kind == SERVICE,
            _among(session, SourceRecord.parent_id, parents),
            SourceRecord.status != WITHDRAWN,
        )
        .order_by(SourceRecord.id)
    ):
        services.setdefault(parent_id, []).append(raw)
    return services


def valid_input(values: dict[str, Any]) -> tuple[PlaceInput, list[dict[str, Any]]]:
    """The record as a valid place, and warnings for the optional values left out because they were invalid.

    Invalid required fields (name, address, postal code) quarantine the record instead; so does an unknown
    commune, found once the batch's communes are read (`Communes.resolve`).
    """
    data = {
        name: value for name, value in values.items() if value is not None and value != [] and value != ""
    }
    warnings: list[dict[str, Any]] = repair.swapped_coordinates(data)
    while True:
        try:
            return PlaceInput.model_validate(data), warnings
        except ValidationError as exc:
            errors = exc.errors()
            fields = {str(error["loc"][0]) for error in errors if error.get("loc")}
            if fields & REQUIRED or not fields or not fields & set(data):
                raise Quarantine(field_errors(errors, location="body")) from None
            warnings += [
                {**entry, "action": "valeur ignorée"} for entry in field_errors(errors, location="body")
            ]
            for name in fields:
                for dropped in PAIRED.get(name, (name,)):
                    data.pop(dropped, None)


def _quarantine(record: SourceRecord, reasons: list[dict[str, Any]], counts: Counter[str]) -> None:
    # The place keeps what it had: a source publishing a broken version must not break the directory.
    _set(record, status=QUARANTINED, quarantine_reasons=reasons)
    counts["quarantined"] += 1


def _set(record: SourceRecord, **values: Any) -> None:
    """Changes what merging decides about a record, written by `_save`: the unit of work would send one UPDATE
    per record (asyncpg does not report the rows an executemany matched, so SQLAlchemy will not batch
    them)."""
    for name, value in values.items():
        set_committed_value(record, name, value)


# PostgreSQL: the merge state of a batch's records in one statement from one array per column (rather than one
# UPDATE per record), the JSON columns as text serialised by orjson.
SAVE_MERGE_STATE = text(f"""
    UPDATE {SourceRecord.__tablename__} AS r SET status = f.status, normalised = CAST(f.normalised AS json),
        quarantine_reasons = CAST(f.quarantine_reasons AS json), warnings = CAST(f.warnings AS json),
        date_maj = f.date_maj, place_id = f.place_id, needs_merge = f.needs_merge
    FROM unnest(CAST(:id AS integer[]), CAST(:status AS varchar[]), CAST(:normalised AS text[]),
                CAST(:quarantine_reasons AS text[]), CAST(:warnings AS text[]), CAST(:date_maj AS date[]),
                CAST(:place_id AS varchar[]), CAST(:needs_merge AS boolean[]))
        AS f(id, status, normalised, quarantine_reasons, warnings, date_maj, place_id, needs_merge)
    WHERE r.id = f.id""")
JSON_STATE = frozenset({"normalised", "quarantine_reasons", "warnings"})


async def _save(session: AsyncSession, records: list[SourceRecord]) -> None:
    if not records:
        return
    if session.get_bind().dialect.name != "postgresql":
        await session.execute(
            update(SourceRecord),
            [
                {"id": record.id, **{name: getattr(record, name) for name in MERGE_STATE}}
                for record in records
            ],
        )
        return
    columns: dict[str, list[Any]] = {"id": [record.id for record in records]}
    for name in MERGE_STATE:
        values = [getattr(record, name) for record in records]
        # As the JSON type writes None: the JSON null.
        columns[name] = [orjson.dumps(value).decode() for value in values] if name in JSON_STATE else values
    await session.execute(SAVE_MERGE_STATE, columns)


async def _merge_records(
    session: AsyncSession, run: Run, records: list[SourceRecord], services: dict[str, list[dict[str, Any]]]
) -> Counter[str]:
    """Brings the records' places up to date: each record is checked, then the places of known records are
    recomputed, and new records are matched to a place or given one (all created together)."""
    counts: Counter[str] = Counter()
    stale: list[str] = []  # places to recompute from their records
    valid = []
    for record in records:
        _set(record, needs_merge=False)
        if record.status == WITHDRAWN:
            stale += [record.place_id] if record.place_id else []
            continue
        parent_services = services.get(record.source_id, [])
        if not run.connector.in_scope(record.raw, parent_services):
            _set(record, status=OUT_OF_SCOPE, normalised=None, quarantine_reasons=None)
            counts["out_of_scope"] += 1
            stale += [record.place_id] if record.place_id else []
            continue
        try:
            valid.append((record, *valid_input(run.connector.normalise(record.raw, parent_services))))
        except Quarantine as quarantine:
            _quarantine(record, quarantine.reasons, counts)
    await run.communes.load(session, [place_input for _, place_input, _ in valid])
    new = []
    for record, place_input, warnings in valid:
        try:
            commune = run.communes.resolve(place_input)
        except InvalidInput as exc:
            named = repair.named_commune(run.communes, place_input)
            if named is None:
                _quarantine(record, exc.extensions["errors"], counts)
                continue
            warnings = [
                *warnings,
                repair.warning(
                    "commune",
                    f"« {place_input.commune} » : {named.nom} ({named.code}) parmi les communes du code "
                    f"postal {place_input.code_postal}",
                ),
            ]
            place_input, commune = place_input.model_copy(update={"code_insee": named.code}), named
        if (outside := repair.outside(commune, run.settings.sync_departement)) is not None:
            _set(record, status=OUT_OF_SCOPE, normalised=None, quarantine_reasons=None, warnings=[outside])
            counts["out_of_scope"] += 1
            stale += [record.place_id] if record.place_id else []
            continue
        if (far := repair.far_position(place_input, commune)) is not None:
            warnings = [*warnings, *far]
            place_input = place_input.model_copy(update={"latitude": None, "longitude": None})
        _set(
            record,
            status=ACTIVE,
            quarantine_reasons=None,
            warnings=warnings or None,
            normalised=place_input.model_dump(mode="json"),
            date_maj=place_input.date_maj or run.connector.date_maj(record.raw),
        )
        if record.place_id:
            stale.append(record.place_id)
        else:
            new.append((record, commune, place_input))
    placed = {record.id for record in records if record.place_id}
    await _save(
        session, [record for record in records if record.id in placed]
    )  # their places are read from them
    for place_id in dict.fromkeys(stale):
        await _refresh(session, run, place_id, counts)
    if new:
        await _place_new_records(session, run, new, counts)
    await _save(session, [record for record in records if record.id not in placed])
    return counts


async def _refresh(session: AsyncSession, run: Run, place_id: str, counts: Counter[str]) -> None:
    place = await refresh_place(
        session, run.settings, place_id, run.source, run.geocode, counts, run.communes
    )
    if place is not None and place.status != "active":
        run.candidates.discard(place_id)


def _features(record: SourceRecord, commune: Commune) -> linkage.Features:
    normalised = record.normalised or {}
    keys, hints = record_keys(record.source, record.source_id, record.raw)
    return linkage.features(
        {
            **normalised,
            "code_insee": commune.code,
            "commune": commune.nom,
            "geo_precision": "exacte" if normalised.get("latitude") is not None else "commune",
        },
        key=record.source_id,
        hints=hints,
        di_keys=keys,
        producers=producers_of([origin_of(record.source, record.raw)]),
    )


async def _place_new_records(
    session: AsyncSession, run: Run, new: list[tuple[SourceRecord, Commune, PlaceInput]], counts: Counter[str]
) -> None:
    """The batch's new records grouped with each other and with the places they surely are
    (sync/clustering.py); each group joins its place or becomes a new one (a visible duplicate can be merged
    later; a wrong merge hides a place), with the doubtful pairs sent to review."""
    async with run.placing:
        await run.candidates.refresh(session)
        refused = await refused_pairs(session, [record.id for record, _, _ in new])
        incoming = [
            Incoming(
                _features(record, commune),
                origin_of(record.source, record.raw),
                refused.get(record.id, set()),
            )
            for record, commune, _ in new
        ]
        outcome = cluster(incoming, run.candidates, run.linker)
        counts["pairs_compared"] += outcome.pairs
        joined = [place for group in outcome.groups if (place := place_of_group(group))]
        still = await active_places(session, joined)
        leaders: list[int] = []
        followers: dict[int, str | int] = {}  # record → its place, or the leader whose place it joins
        for group in outcome.groups:
            place_id = place_of_group(group)
            indexes = sorted(node[1] for node in group if node[0] == "r")
            if place_id is not None and place_id not in still:
                run.candidates.discard(place_id)
                place_id = None
            if place_id is None:
                leaders.append(indexes[0])
                followers |= {i: indexes[0] for i in indexes[1:]}
            else:
                followers |= {i: place_id for i in indexes}
        places = await create_from_records(
            session,
            run.settings,
            [new[i][0] for i in leaders],
            run.source,
            run.geocode,
            run.communes,
            [new[i][2] for i in leaders],
        )
        created = {i: place.id for i, place in zip(leaders, places, strict=True)}
        for i, place_id in created.items():
            _set(new[i][0], place_id=place_id)
        counts["created"] += len(places)
        now = utcnow()
        merged_rows, touched = [], {}
        for i, target in followers.items():
            place_id = created[target] if isinstance(target, int) else target
            record = new[i][0]
            _set(record, place_id=place_id)
            touched[place_id] = True
            reasons = {
                **outcome.explanations.get(i, {}),
                "grappe": sorted(new[j][0].id for j, other in followers.items() if other == target)
                + ([new[target][0].id] if isinstance(target, int) else []),
            }
            merged_rows.append(
                {
                    "record_id": record.id,
                    "place_id": place_id,
                    "score": reasons.get("probabilite", 1.0),
                    "reasons": reasons,
                    "status": "merged",
                    "created_at": now,
                }
            )
        await _save(session, [new[i][0] for i in followers])
        await insert_rows(session, MatchCandidate, merged_rows)
        counts["merged"] += len(merged_rows)
        for place_id in touched:
            await _refresh(session, run, place_id, counts)
        # The index as the batch left it: the new places, and who describes each place now.
        for group in outcome.groups:
            indexes = [node[1] for node in group if node[0] == "r"]
            place_id = new[indexes[0]][0].place_id
            if place_id is None:
                continue
            features = run.candidates.profile(place_id) or incoming[min(indexes)].features
            keys = set(features.di_keys).union(*(incoming[i].features.di_keys for i in indexes))
            hinted = set(features.hinted).union(*(incoming[i].features.hinted for i in indexes))
            producers = set(features.producers).union(*(incoming[i].features.producers for i in indexes))
            run.candidates.add(
                place_id,
                replace(
                    features,
                    di_keys=frozenset(keys),
                    hinted=frozenset(hinted),
                    producers=frozenset(producers),
                ),
                run.candidates.origins(place_id) | {incoming[i].origin for i in indexes},
            )
        reviews = []
        for i, other, reasons, probability in outcome.reviews:
            place_id = other[1] if other[0] == "p" else new[other[1]][0].place_id
            if place_id and place_id != new[i][0].place_id:
                reviews.append(
                    {
                        "record_id": new[i][0].id,
                        "place_id": place_id,
                        "score": round(probability, 4),
                        "reasons": reasons,
                        "status": "pending",
                        "created_at": now,
                    }
                )
        counts["for_review"] += len(reviews)
        await insert_rows(session, MatchCandidate, reviews)
        await session.flush()


async def create_from_records(
    session: AsyncSession,
    settings: Any,
    records: list[SourceRecord],
    source: str,
    geocode: Geocoder | None,
    communes: Communes | None = None,
    validated: list[PlaceInput] | None = None,
) -> list[Place]:
    """A new place for each record, with the provenance of its fields; `validated`: the records' inputs as
    validated when the run read them (not validated again)."""
    if not records:
        return []
    if validated is None:
        merged = [
            merged_input([record], settings.sync_precedence, settings.sync_source_priority)
            for record in records
        ]
    else:
        merged = [
            alone_input(record, place_input) for record, place_input in zip(records, validated, strict=True)
        ]
    places = await create_places(
        session, [place_input for place_input, _ in merged], sync_actor(source), geocode, communes
    )
    await _write_provenance(
        session,
        [(place.id, provenance) for place, (_, provenance) in zip(places, merged, strict=False)],
        settings.sync_precedence,
        new=True,
    )
    return places


async def refresh_place(
    session: AsyncSession,
    settings: Any,
    place_id: str,
    source: str,
    geocode: Geocoder | None,
    counts: Counter[str] | None = None,
    communes: Communes | None = None,
    actor: Principal | None = None,
) -> Place | None:
    """Recomputes a place from its active records, its manual fields kept; withdraws it when none is left (no
    source lists it). The changes are the source's, or `actor`'s when a person's decision triggered them."""
    counts = counts if counts is not None else Counter()
    actor = actor or sync_actor(source)
    # Locked: two batches of a run, or a run and a coordinator's decision, may recompute one place at once.
    place = await session.get(Place, place_id, with_for_update=True)
    if place is None:
        return None
    records = list(
        await session.scalars(
            select(SourceRecord).where(SourceRecord.place_id == place_id, SourceRecord.kind == LIEU)
        )
    )
    contributing = [record for record in records if record.status == ACTIVE and record.normalised]
    if not contributing:
        # Quarantined records keep the place as it was; only when every source withdrew it does it go.
        if (
            records
            and all(record.status in (WITHDRAWN, OUT_OF_SCOPE) for record in records)
            and place.status == "active"
        ):
            await withdraw_place(session, place, actor)
            counts["places_withdrawn"] += 1
        return place
    origins = (
        await session.execute(
            select(FieldProvenance.field, FieldProvenance.source).where(FieldProvenance.place_id == place_id)
        )
    ).all()
    manual = {name for name, origin in origins if origin == MANUAL}
    place_input, provenance = merged_input(
        contributing,
        settings.sync_precedence,
        settings.sync_source_priority,
        place,
        {name for name, _ in origins} - manual,
        manual,
    )
    version = place.version
    if place.status == "withdrawn":
        await restore_place(session, place, actor)
        counts["restored"] += 1
    await replace_place(session, place, place_input, actor, geocode, communes)
    if place.version != version:
        counts["updated"] += 1
    await _write_provenance(session, [(place.id, provenance)], settings.sync_precedence)
    return place


async def _write_provenance(
    session: AsyncSession,
    provenances: list[tuple[str, dict[str, SourceRecord]]],
    rule: str,
    new: bool = False,
) -> None:
    """Rewrites which record gave each field of these places (`new`: places without any yet); manual fields
    keep their provenance (the merge gives them none)."""
    if not new:
        await session.execute(
            delete(FieldProvenance).where(
                FieldProvenance.place_id.in_([place_id for place_id, _ in provenances]),
                FieldProvenance.source != MANUAL,
            )
        )
    origins = {
        record: {"record_id": record.id, "source": record.source, "date_maj": record.date_maj}
        for _, provenance in provenances
        for record in provenance.values()
    }
    await insert_rows(
        session,
        FieldProvenance,
        [
            {"place_id": place_id, "field": name, **origins[record], "rule": rule}
            for place_id, provenance in provenances
            for name, record in provenance.items()
        ],
    )
