"""One synchronisation run: fetch → store source records → withdraw what a complete snapshot lacks → merge
changed records into places. Each step commits in small batches from its own sessions, so memory stays flat and
whatever was stored survives a failure; records wait (`needs_merge`) until a run merges them.
"""

import asyncio
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import and_, exists, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.places.models import Place
from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import (
    Geocoder, create_place, record as place_record, replace_place, resolve_commune, restore_place, withdraw_place,
)
from fne_directory.sync import matching
from fne_directory.sync.connectors.base import LIEU, SERVICE, Connector, FetchedRecord
from fne_directory.sync.exceptions import FetchFailed
from fne_directory.sync.merge import merged_input
from fne_directory.sync.models import FieldProvenance, MatchCandidate, SourceRecord, SyncJob
from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_errors
from fne_kernel.identity import Principal
from fne_kernel.logging import get_logger

logger = get_logger("fne.directory.sync")
MERGE_BATCH = 200
REQUIRED = frozenset({"nom", "adresse", "code_postal"})
PAIRED = {"latitude": ("latitude", "longitude"), "longitude": ("latitude", "longitude")}
# A complete snapshot that would withdraw more than this share of a source's records is not believed: an API
# answering with a filtered or emptied list must not empty the directory.
MAX_WITHDRAWN_SHARE = 0.5
MIN_RECORDS_FOR_GUARD = 10
MAX_ERRORS = 100
ACTIVE, QUARANTINED, WITHDRAWN, OUT_OF_SCOPE = "active", "quarantined", "withdrawn", "out_of_scope"


class Cancelled(Exception):
    pass


class Quarantine(Exception):
    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("invalid record")
        self.reasons = reasons


def sync_actor(source: str) -> Principal:
    return Principal(kind="sync", subject=f"sync:{source}"[:64], name=f"Synchronisation {source}")


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
    async with run.sessions() as session, session.begin():
        job = await session.get(SyncJob, run.job_id)
        assert job is not None
        job.status, job.message = status, message
        job.finished_at = job.heartbeat_at = utcnow()
        job.counts = dict(run.counts)
        job.errors = list(run.errors)
        job.complete_snapshot = bool(run.connector.report.snapshot_ids) and status == "succeeded"
    logger.info("sync run finished", extra={"source": run.source, "job_id": run.job_id, "status": status,
                                            "counts": dict(run.counts)})
    return job


async def _checkpoint(run: Run) -> None:
    """Proves the run is alive and stops it when someone asked for its cancellation."""
    async with run.sessions() as session, session.begin():
        job = await session.get(SyncJob, run.job_id)
        assert job is not None
        job.heartbeat_at = utcnow()
        job.counts = dict(run.counts)
        if job.cancel_requested:
            raise Cancelled()


# --- Fetching and storing ------------------------------------------------------------------------------------

async def _fetch(run: Run) -> bool:
    """Stores every batch the connector gives; False when the source could not be read to the end."""
    try:
        async for batch in run.connector.fetch():
            await _checkpoint(run)
            async with run.sessions() as session, session.begin():
                await _store(session, run, batch)
    except FetchFailed as exc:
        run.error("fetch", str(exc))
        return False
    await _checkpoint(run)
    return True


async def _store(session: AsyncSession, run: Run, batch: list[FetchedRecord]) -> None:
    now = utcnow()
    run.counts["fetched"] += len(batch)
    latest = {(record.kind, record.source_id): record for record in batch}  # a repeated id: the later copy
    volatile = getattr(run.connector, "volatile_fields", ())
    for kind in (LIEU, SERVICE):
        fetched = {source_id: record for (record_kind, source_id), record in latest.items() if record_kind == kind}
        if not fetched:
            continue
        stored = {row.source_id: row for row in await session.execute(
            select(SourceRecord.id, SourceRecord.source_id, SourceRecord.content_hash, SourceRecord.status,
                   SourceRecord.parent_id)
            .where(SourceRecord.source == run.source, SourceRecord.kind == kind,
                   SourceRecord.source_id.in_(list(fetched))))}
        new_rows, changed_rows, unchanged_ids, parents = [], [], [], set()
        for source_id, record in fetched.items():
            digest = content_hash(record.raw, volatile)
            row = stored.get(source_id)
            if row is not None and row.content_hash == digest and row.status != WITHDRAWN:
                unchanged_ids.append(row.id)
                continue
            values = {"raw": record.raw, "content_hash": digest, "parent_id": record.parent_id,
                      "last_seen_at": now, "changed_at": now, "last_job_id": run.job_id, "needs_merge": True,
                      "status": ACTIVE if row is None or row.status == WITHDRAWN else row.status,
                      "withdrawn_at": None}
            if row is None:
                new_rows.append({"source": run.source, "kind": kind, "source_id": source_id,
                                 "first_seen_at": now, **values})
            else:
                changed_rows.append({"id": row.id, **values})
                if row.parent_id:
                    parents.add(row.parent_id)  # a service moved away from its structure
            if record.parent_id:
                parents.add(record.parent_id)
        if new_rows:
            await session.execute(insert(SourceRecord), new_rows)
        if changed_rows:
            await session.execute(update(SourceRecord), changed_rows)
        if unchanged_ids:
            await session.execute(update(SourceRecord).where(SourceRecord.id.in_(unchanged_ids))
                                  .values(last_seen_at=now, last_job_id=run.job_id))
        if kind == SERVICE and parents:
            await _mark_parents(session, run.source, parents)
        run.counts["records_new"] += len(new_rows)
        run.counts["records_changed"] += len(changed_rows)
        run.counts["unchanged"] += len(unchanged_ids)


async def _mark_parents(session: AsyncSession, source: str, parents: set[str]) -> None:
    await session.execute(update(SourceRecord).where(
        SourceRecord.source == source, SourceRecord.kind == LIEU, SourceRecord.source_id.in_(list(parents)))
        .values(needs_merge=True))


# --- Withdrawals ---------------------------------------------------------------------------------------------

async def _withdraw_missing(run: Run) -> None:
    """Records missing from a complete snapshot were withdrawn in their source: marked, never deleted."""
    for kind, present in run.connector.report.snapshot_ids.items():
        async with run.sessions() as session, session.begin():
            stored = (await session.execute(
                select(SourceRecord.id, SourceRecord.source_id, SourceRecord.parent_id)
                .where(SourceRecord.source == run.source, SourceRecord.kind == kind,
                       SourceRecord.status != WITHDRAWN))).all()
            missing = [row for row in stored if row.source_id not in present]
            if not missing:
                continue
            if len(stored) >= MIN_RECORDS_FOR_GUARD and len(missing) > MAX_WITHDRAWN_SHARE * len(stored):
                run.partial = True
                run.error("withdraw", f"{kind} : {len(missing)} enregistrements sur {len(stored)} absents de la "
                                      "source ; trop pour être cru, rien n'est retiré (vérifiez la source)")
                continue
            now = utcnow()
            for start in range(0, len(missing), 1000):
                chunk = missing[start:start + 1000]
                await session.execute(update(SourceRecord).where(SourceRecord.id.in_([row.id for row in chunk]))
                                      .values(status=WITHDRAWN, withdrawn_at=now, needs_merge=True))
            if kind == SERVICE:
                await _mark_parents(session, run.source, {row.parent_id for row in missing if row.parent_id})
            run.counts["withdrawn"] += len(missing)


# --- Merging records into places -----------------------------------------------------------------------------

async def _merge_pending(run: Run) -> None:
    # Quarantined records are read again at every run: a fix on this side (a mapping, a reference commune)
    # releases them without waiting for the source to change.
    async with run.sessions() as session, session.begin():
        await session.execute(update(SourceRecord).where(
            SourceRecord.source == run.source, SourceRecord.kind == LIEU, SourceRecord.status == QUARANTINED)
            .values(needs_merge=True))
    after = 0
    while True:
        async with run.sessions() as session:
            ids = list(await session.scalars(
                select(SourceRecord.id)
                .where(SourceRecord.source == run.source, SourceRecord.kind == LIEU,
                       SourceRecord.needs_merge.is_(True), SourceRecord.id > after)
                .order_by(SourceRecord.id).limit(MERGE_BATCH)))
        if not ids:
            return
        counts, errors = Counter(run.counts), len(run.errors)
        try:
            await _merge_batch(run, ids, isolated=False)
        except Exception:
            # One record broke the batch: start the batch again, each record in its own savepoint, so that
            # the others are merged and the broken one is reported.
            run.counts = counts
            del run.errors[errors:]
            await _merge_batch(run, ids, isolated=True)
        after = ids[-1]
        await _checkpoint(run)


async def _merge_batch(run: Run, ids: list[int], isolated: bool) -> None:
    async with run.sessions() as session, session.begin():
        records = list(await session.scalars(select(SourceRecord).where(SourceRecord.id.in_(ids))
                                             .order_by(SourceRecord.id)))
        services = await _services_of(session, run.source, [record.source_id for record in records])
        for record in records:
            if not isolated:
                await _merge_record(session, run, record, services.get(record.source_id, []))
            else:
                try:
                    async with session.begin_nested():
                        await _merge_record(session, run, record, services.get(record.source_id, []))
                except Exception:
                    logger.exception("sync merge failed", extra={"source": run.source, "record": record.source_id})
                    run.error("merge", "erreur interne en fusionnant cet enregistrement",
                              source_id=record.source_id)
                    continue  # left to merge: the next run tries again
            record.needs_merge = False


async def _services_of(session: AsyncSession, source: str, parents: list[str]) -> dict[str, list[dict[str, Any]]]:
    services: dict[str, list[dict[str, Any]]] = {}
    for parent_id, raw in await session.execute(
            select(SourceRecord.parent_id, SourceRecord.raw)
            .where(SourceRecord.source == source, SourceRecord.kind == SERVICE,
                   SourceRecord.parent_id.in_(parents), SourceRecord.status != WITHDRAWN)
            .order_by(SourceRecord.id)):
        services.setdefault(parent_id, []).append(raw)
    return services


async def validated(session: AsyncSession, values: dict[str, Any]) -> tuple[PlaceInput, list[dict[str, Any]]]:
    """The record as a valid place, and warnings for the optional values left out because they were invalid.

    Invalid required fields (name, address, postal code) or an unknown commune quarantine the record instead.
    """
    data = {name: value for name, value in values.items() if value is not None and value != [] and value != ""}
    warnings: list[dict[str, Any]] = []
    while True:
        try:
            place = PlaceInput.model_validate(data)
            break
        except ValidationError as exc:
            errors = exc.errors()
            fields = {str(error["loc"][0]) for error in errors if error.get("loc")}
            if fields & REQUIRED or not fields or not fields & set(data):
                raise Quarantine(field_errors(errors, location="body")) from None
            warnings += [{**entry, "action": "valeur ignorée"} for entry in field_errors(errors, location="body")]
            for name in fields:
                for dropped in PAIRED.get(name, (name,)):
                    data.pop(dropped, None)
    try:
        await resolve_commune(session, place)
    except InvalidInput as exc:
        raise Quarantine(exc.extensions["errors"]) from None
    return place, warnings


async def _merge_record(session: AsyncSession, run: Run, record: SourceRecord,
                        services: list[dict[str, Any]]) -> None:
    if record.status == WITHDRAWN:
        if record.place_id:
            await refresh_place(session, run.settings, record.place_id, run.source, run.geocode, run.counts)
        return
    if not run.connector.in_scope(record.raw, services):
        record.status, record.normalised, record.quarantine_reasons = OUT_OF_SCOPE, None, None
        run.counts["out_of_scope"] += 1
        if record.place_id:
            await refresh_place(session, run.settings, record.place_id, run.source, run.geocode, run.counts)
        return
    try:
        place_input, warnings = await validated(session, run.connector.normalise(record.raw, services))
    except Quarantine as quarantine:
        # The place keeps what it had: a source publishing a broken version must not break the directory.
        record.status, record.quarantine_reasons = QUARANTINED, quarantine.reasons
        run.counts["quarantined"] += 1
        return
    record.status, record.quarantine_reasons, record.warnings = ACTIVE, None, warnings or None
    record.normalised = place_input.model_dump(mode="json")
    record.date_maj = place_input.date_maj or run.connector.date_maj(record.raw)
    if record.place_id:
        await refresh_place(session, run.settings, record.place_id, run.source, run.geocode, run.counts)
        return
    await _place_new_record(session, run, record, place_input)


async def _place_new_record(session: AsyncSession, run: Run, record: SourceRecord, place_input: PlaceInput) -> None:
    commune = await resolve_commune(session, place_input)
    view = {**place_input.model_dump(), "code_insee": commune.code,
            "geo_precision": "exacte" if place_input.latitude is not None else "commune"}
    scored = sorted(((matching.compare(view, place_record(place)), place)
                     for place in await candidates(session, record, view)),
                    key=lambda pair: pair[0].score, reverse=True)
    settings = run.settings
    decisions = [matching.decide(match, settings.sync_auto_merge_score, settings.sync_review_score)
                 for match, _ in scored[:2]]
    if decisions and decisions[0] == "merge" and decisions[1:] != ["merge"]:
        match, place = scored[0]
        record.place_id = place.id
        session.add(MatchCandidate(record_id=record.id, place_id=place.id, score=match.score,
                                   reasons=match.reasons, status="merged", created_at=utcnow()))
        await session.flush()
        run.counts["merged"] += 1
        await refresh_place(session, settings, place.id, run.source, run.geocode, run.counts)
        return
    # Not sure enough: a place of its own (a visible duplicate can be merged later; a wrong merge hides a place).
    place = await create_from_records(session, settings, [record], run.source, run.geocode)
    run.counts["created"] += 1
    for decision, (match, candidate) in zip(decisions, scored):
        if decision != "distinct":
            session.add(MatchCandidate(record_id=record.id, place_id=candidate.id, score=match.score,
                                       reasons=match.reasons, status="pending", created_at=utcnow()))
            run.counts["for_review"] += 1
    record.place_id = place.id
    await session.flush()


async def candidates(session: AsyncSession, record: SourceRecord, view: dict[str, Any]) -> list[Place]:
    """Active places near the record (same commune, or within a few kilometres), that no record of the same
    source describes already, and that no coordinator separated from this record."""
    nearby = [Place.code_insee == view["code_insee"]]
    if view.get("latitude") is not None and view.get("longitude") is not None:
        nearby.append(and_(Place.latitude.between(view["latitude"] - 0.02, view["latitude"] + 0.02),
                           Place.longitude.between(view["longitude"] - 0.03, view["longitude"] + 0.03)))
    same_source = exists().where(SourceRecord.place_id == Place.id, SourceRecord.source == record.source,
                                 SourceRecord.status != WITHDRAWN, SourceRecord.id != record.id)
    refused = exists().where(MatchCandidate.place_id == Place.id, MatchCandidate.record_id == record.id,
                             MatchCandidate.status.in_(("rejected", "split")))
    return list(await session.scalars(
        select(Place).where(Place.status == "active", or_(*nearby), ~same_source, ~refused)
        .order_by(Place.id).limit(50)))


async def create_from_records(session: AsyncSession, settings: Any, records: list[SourceRecord], source: str,
                              geocode: Geocoder | None) -> Place:
    place_input, provenance = merged_input(records, settings.sync_precedence, settings.sync_source_priority)
    place = await create_place(session, place_input, sync_actor(source), geocode)
    await _write_provenance(session, place.id, provenance, settings.sync_precedence, new=True)
    return place


async def refresh_place(session: AsyncSession, settings: Any, place_id: str, source: str,
                        geocode: Geocoder | None, counts: Counter[str] | None = None) -> Place | None:
    """Recomputes a place from its active records; withdraws it when none is left (no source lists it)."""
    counts = counts if counts is not None else Counter()
    place = await session.get(Place, place_id)
    if place is None:
        return None
    records = list(await session.scalars(
        select(SourceRecord).where(SourceRecord.place_id == place_id, SourceRecord.kind == LIEU)))
    contributing = [record for record in records if record.status == ACTIVE and record.normalised]
    if not contributing:
        # Quarantined records keep the place as it was; only when every source withdrew it does it go.
        if records and all(record.status in (WITHDRAWN, OUT_OF_SCOPE) for record in records) \
                and place.status == "active":
            await withdraw_place(session, place, sync_actor(source))
            counts["places_withdrawn"] += 1
        return place
    sourced = set(await session.scalars(select(FieldProvenance.field).where(FieldProvenance.place_id == place_id)))
    place_input, provenance = merged_input(contributing, settings.sync_precedence, settings.sync_source_priority,
                                           place, sourced)
    version = place.version
    if place.status == "withdrawn":
        await restore_place(session, place, sync_actor(source))
        counts["restored"] += 1
    await replace_place(session, place, place_input, sync_actor(source), geocode)
    if place.version != version:
        counts["updated"] += 1
    await _write_provenance(session, place.id, provenance, settings.sync_precedence)
    return place


async def _write_provenance(session: AsyncSession, place_id: str, provenance: dict[str, SourceRecord],
                            rule: str, new: bool = False) -> None:
    existing = {} if new else {row.field: row for row in await session.scalars(
        select(FieldProvenance).where(FieldProvenance.place_id == place_id))}
    for name, source_record in provenance.items():
        row = existing.pop(name, None)
        if row is None:
            session.add(FieldProvenance(place_id=place_id, field=name, record_id=source_record.id,
                                        source=source_record.source, date_maj=source_record.date_maj, rule=rule))
        else:
            row.record_id, row.source, row.date_maj, row.rule = (source_record.id, source_record.source,
                                                                 source_record.date_maj, rule)
    for row in existing.values():
        await session.delete(row)
    await session.flush()
