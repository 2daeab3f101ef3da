"""Synchronisation jobs (start, run in the service, cancel, schedule), quarantine, review decisions and the
reconciliation report. Functions taking a session only flush(); runs commit through their own sessions."""

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_directory.dependencies import geocoder_of, settings_of, sync_tasks_of
from fne_directory.places.models import Place
from fne_directory.places.service import Geocoder, get_place, withdraw_place
from fne_directory.places.service import record as place_record
from fne_directory.sync import manual, place_merges, sources
from fne_directory.sync.connectors.base import LIEU, Connector
from fne_directory.sync.engine import execute
from fne_directory.sync.exceptions import (
    AlreadyRunning,
    CandidateDecided,
    CandidateNotFound,
    JobFinished,
    JobNotFound,
    NotManual,
    NotMerged,
    RecordNotFound,
)
from fne_directory.sync.models import FieldProvenance, MatchCandidate, PlaceMerge, SourceRecord, SyncJob
from fne_directory.sync.publishing import create_from_records, refresh_place
from fne_directory.sync.run import ACTIVE, QUARANTINED, Run
from fne_directory.sync.schemas import (
    PUBLIC_STATUS,
    CandidateOut,
    Difference,
    FieldSource,
    JobOut,
    MergeOut,
    PlaceMergeOut,
    ProvenanceOut,
    ReconciliationEntry,
    RecordOut,
    SourceOut,
)
from fne_directory.sync.transactions import writing
from fne_directory.text import normalise_text
from fne_kernel.db import app_sessions, utcnow
from fne_kernel.identity import Principal
from fne_kernel.logging import get_logger

logger = get_logger("fne.directory.sync")
# A running job whose heartbeat is older than this belongs to a process that died: it no longer blocks.
STALE_AFTER = timedelta(minutes=10)
SCHEDULER_PERIOD_SECONDS = 60
# What the network compares between sources (the fields a person relies on to come or to call).
COMPARED_FIELDS = (
    "nom",
    "adresse",
    "code_postal",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "services",
    "publics_specifiquement_adresses",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
    "prise_rdv",
    "pivot",
)


# --- Jobs
# ----------------------------------------------------------------------------------------------------


async def start_job(session: AsyncSession, source: str, trigger: str, actor: str) -> SyncJob:
    """Records a running job; AlreadyRunning if the source has one (in any process)."""
    now = utcnow()
    await session.execute(
        update(SyncJob)
        .where(
            SyncJob.source == source, SyncJob.status == "running", SyncJob.heartbeat_at < now - STALE_AFTER
        )
        .values(status="interrupted", finished_at=now, message="Plus de signe de vie : processus arrêté ?")
    )
    job = SyncJob(
        source=source,
        trigger=trigger,
        actor=actor[:120],
        status="running",
        started_at=now,
        heartbeat_at=now,
        cancel_requested=False,
        complete_snapshot=False,
        counts={},
        errors=[],
    )
    try:
        async with session.begin_nested():
            session.add(job)
            await session.flush()
    except IntegrityError:
        running = await session.scalar(
            select(SyncJob).where(SyncJob.source == source, SyncJob.status == "running")
        )
        raise AlreadyRunning(
            f"La source {source} est déjà en cours de synchronisation",
            tache_id=running.id if running else None,
        ) from None
    return job


def run_for(
    sessions: async_sessionmaker[AsyncSession],
    settings: Any,
    job: SyncJob,
    connector: Connector,
    geocode: Geocoder | None,
) -> Run:
    return Run(sessions=sessions, settings=settings, job_id=job.id, connector=connector, geocode=geocode)


async def execute_run(
    sessions: async_sessionmaker[AsyncSession],
    settings: Any,
    job: SyncJob,
    connector: Connector,
    geocode: Geocoder | None = None,
) -> SyncJob:
    """Runs a started job in the foreground (command line, schedule)."""
    return await execute(run_for(sessions, settings, job, connector, geocode))


def launch(app: FastAPI, run: Run) -> None:
    """Runs the job in the service, after the request that started it has committed."""
    tasks = sync_tasks_of(app)
    task = asyncio.get_running_loop().create_task(execute(run))
    tasks[run.job_id] = task
    task.add_done_callback(lambda _: tasks.pop(run.job_id, None))


async def get_job(session: AsyncSession, job_id: str) -> SyncJob:
    job = await session.get(SyncJob, job_id)
    if job is None:
        raise JobNotFound(f"Aucune synchronisation {job_id}", tache_id=job_id)
    return job


async def request_cancel(session: AsyncSession, job_id: str) -> SyncJob:
    """The run stops at its next batch; what it stored stays, nothing is withdrawn."""
    job = await get_job(session, job_id)
    if job.status != "running":
        status = PUBLIC_STATUS[job.status]
        raise JobFinished(f"Synchronisation terminée ({status})", tache_id=job_id, statut=status)
    if job.heartbeat_at < utcnow() - STALE_AFTER:
        job.status, job.finished_at, job.message = (
            "interrupted",
            utcnow(),
            "Plus de signe de vie : processus arrêté ?",
        )
    else:
        job.cancel_requested = True
    await session.flush()
    return job


async def list_jobs(
    session: AsyncSession, source: str | None, offset: int, limit: int
) -> tuple[list[SyncJob], int]:
    conditions = [SyncJob.source == source] if source else []
    total = await session.scalar(select(func.count()).select_from(SyncJob).where(*conditions)) or 0
    jobs = await session.scalars(
        select(SyncJob)
        .where(*conditions)
        .order_by(SyncJob.started_at.desc(), SyncJob.id)
        .offset(offset)
        .limit(limit)
    )
    return list(jobs), total


async def _last_job(session: AsyncSession, source: str) -> SyncJob | None:
    return await session.scalar(
        select(SyncJob).where(SyncJob.source == source).order_by(SyncJob.started_at.desc()).limit(1)
    )


def _next_run(settings: Any, name: str, last: SyncJob | None) -> datetime | None:
    minutes = sources.interval_minutes(settings, name)
    if not minutes or not sources.is_configured(settings, name):
        return None
    return utcnow() if last is None else last.started_at + timedelta(minutes=minutes)


async def list_sources(session: AsyncSession, settings: Any) -> list[SourceOut]:
    listed = []
    for name, platform in sources.PLATFORMS.items():
        last = await _last_job(session, name)
        listed.append(
            SourceOut(
                nom=name,
                libelle=platform.label,
                configuree=sources.is_configured(settings, name),
                intervalle_minutes=sources.interval_minutes(settings, name) or None,
                derniere_tache=JobOut.of(last) if last else None,
                prochaine_execution_le=_next_run(settings, name, last),
            )
        )
    file_sources = await session.scalars(
        select(SyncJob.source)
        .where(SyncJob.source.startswith(sources.FILE_PREFIX))
        .distinct()
        .order_by(SyncJob.source)
    )
    for name in file_sources:
        last = await _last_job(session, name)
        listed.append(
            SourceOut(
                nom=name,
                libelle=f"Fichier {name.removeprefix(sources.FILE_PREFIX)}",
                configuree=True,
                intervalle_minutes=None,
                derniere_tache=JobOut.of(last) if last else None,
                prochaine_execution_le=None,
            )
        )
    return listed


async def run_due(
    sessions: async_sessionmaker[AsyncSession],
    settings: Any,
    geocode: Geocoder | None,
    trigger: str = "schedule",
) -> list[SyncJob]:
    """Runs, one after the other, every configured source whose interval has elapsed since its last run."""
    finished = []
    for name in sources.configured(settings):
        async with writing(sessions) as session:
            next_run = _next_run(settings, name, await _last_job(session, name))
            if next_run is None or next_run > utcnow():
                continue
            connector = sources.connector_for(settings, name)
            try:
                job = await start_job(session, name, trigger, "planification")
            except AlreadyRunning:
                await connector.close()
                continue
        finished.append(await execute_run(sessions, settings, job, connector, geocode))
    return finished


async def run_due_periodically(app: FastAPI) -> None:
    """Background job of the service: the schedule, when the deployment has no CronJob doing it."""
    settings = settings_of(app)
    if not settings.sync_scheduler or not sources.configured(settings):
        return
    while True:
        try:
            await run_due(app_sessions(app), settings, geocoder_of(app))
        except Exception:  # a database hiccup must not end the schedule; the next pass retries
            logger.exception("scheduled synchronisation failed")
        await asyncio.sleep(SCHEDULER_PERIOD_SECONDS)


# --- Records and quarantine
# ----------------------------------------------------------------------------------


async def get_record(session: AsyncSession, record_id: int) -> SourceRecord:
    record = await session.get(SourceRecord, record_id)
    if record is None:
        raise RecordNotFound(f"Aucun enregistrement source {record_id}")
    return record


async def list_records(
    session: AsyncSession, status: str | None, source: str | None, offset: int, limit: int
) -> tuple[list[SourceRecord], int]:
    conditions = [SourceRecord.kind == LIEU]
    if status:
        conditions.append(SourceRecord.status == status)
    if source:
        conditions.append(SourceRecord.source == source)
    total = await session.scalar(select(func.count()).select_from(SourceRecord).where(*conditions)) or 0
    records = await session.scalars(
        select(SourceRecord)
        .where(*conditions)
        .order_by(SourceRecord.source, SourceRecord.id)
        .offset(offset)
        .limit(limit)
    )
    return list(records), total


# --- Review queue and merges
# ---------------------------------------------------------------------------------


async def list_candidates(
    session: AsyncSession, status: str, offset: int, limit: int
) -> tuple[list[CandidateOut], int]:
    total = (
        await session.scalar(
            select(func.count()).select_from(MatchCandidate).where(MatchCandidate.status == status)
        )
        or 0
    )
    rows = await session.execute(
        select(MatchCandidate, SourceRecord, Place)
        .join(SourceRecord, SourceRecord.id == MatchCandidate.record_id)
        .join(Place, Place.id == MatchCandidate.place_id)
        .where(MatchCandidate.status == status)
        .order_by(MatchCandidate.score.desc(), MatchCandidate.id)
        .offset(offset)
        .limit(limit)
    )
    found = list(rows)
    clusters: dict[str, list[RecordOut]] = {}
    if found:
        for member in await session.scalars(
            select(SourceRecord)
            .where(
                SourceRecord.place_id.in_({place.id for _, _, place in found}),
                SourceRecord.kind == LIEU,
                SourceRecord.status == "active",
            )
            .order_by(SourceRecord.id)
        ):
            if member.place_id is not None:  # always, as selected
                clusters.setdefault(member.place_id, []).append(RecordOut.model_validate(member))
    return [
        candidate_out(candidate, record, place, clusters.get(place.id, []))
        for candidate, record, place in found
    ], total


def candidate_out(
    candidate: MatchCandidate, record: SourceRecord, place: Place, cluster: list[RecordOut] | None = None
) -> CandidateOut:
    values = {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in place_record(place).items()
    }
    return CandidateOut(
        id=candidate.id,
        status=candidate.status,
        score=candidate.score,
        reasons=candidate.reasons,
        created_at=candidate.created_at,
        decided_at=candidate.decided_at,
        decided_by=candidate.decided_by,
        record=RecordOut.model_validate(record),
        record_values=record.normalised,
        place_id=place.id,
        place_values=values,
        cluster=cluster or [],
    )


async def _pending(session: AsyncSession, candidate_id: int) -> MatchCandidate:
    candidate = await session.get(MatchCandidate, candidate_id)
    if candidate is None:
        raise CandidateNotFound(f"Aucune proposition {candidate_id}")
    if candidate.status != "pending":
        raise CandidateDecided(f"Proposition déjà traitée ({candidate.status})")
    return candidate


def _decide(candidate: MatchCandidate, status: str, actor: Principal) -> None:
    candidate.status, candidate.decided_at = status, utcnow()
    candidate.decided_by = (actor.name or actor.subject)[:120]


async def confirm(
    session: AsyncSession, settings: Any, candidate_id: int, actor: Principal, geocode: Geocoder | None
) -> MatchCandidate:
    """Same place: the record joins the proposed place; the place it had on its own is withdrawn if
    emptied."""
    candidate = await _pending(session, candidate_id)
    record = await get_record(session, candidate.record_id)
    await get_place(session, candidate.place_id)
    _decide(candidate, "confirmed", actor)
    previous, record.place_id = record.place_id, candidate.place_id
    await session.execute(
        update(MatchCandidate)
        .where(
            MatchCandidate.record_id == record.id,
            MatchCandidate.status == "pending",
            MatchCandidate.id != candidate.id,
        )
        .values(status="rejected", decided_at=utcnow(), decided_by=candidate.decided_by)
    )
    await session.flush()
    await refresh_place(session, settings, candidate.place_id, record.source, geocode, actor=actor)
    if previous and previous != candidate.place_id:
        await _after_leaving(session, settings, previous, record.source, actor, geocode)
    await session.flush()
    return candidate


async def reject(session: AsyncSession, candidate_id: int, actor: Principal) -> MatchCandidate:
    """Different places: never proposed again."""
    candidate = await _pending(session, candidate_id)
    _decide(candidate, "rejected", actor)
    await session.flush()
    return candidate


async def _after_leaving(
    session: AsyncSession,
    settings: Any,
    place_id: str,
    source: str,
    actor: Principal,
    geocode: Geocoder | None,
) -> None:
    remaining = (
        await session.scalar(
            select(func.count()).select_from(SourceRecord).where(SourceRecord.place_id == place_id)
        )
        or 0
    )
    if remaining:
        await refresh_place(session, settings, place_id, source, geocode, actor=actor)
        return
    place = await get_place(session, place_id)
    await withdraw_place(session, place, actor)  # its content now lives in the merged place


async def split(
    session: AsyncSession, settings: Any, record_id: int, actor: Principal, geocode: Geocoder | None
) -> SourceRecord:
    """Undoes a wrong merge: the record gets a place of its own again, and is never merged back there."""
    record = await get_record(session, record_id)
    if record.place_id is None:
        raise NotMerged("Cet enregistrement n'est rattaché à aucun lieu")
    others = (
        await session.scalar(
            select(func.count())
            .select_from(SourceRecord)
            .where(SourceRecord.place_id == record.place_id, SourceRecord.id != record.id)
        )
        or 0
    )
    if not others:
        raise NotMerged("Ce lieu ne vient que de cet enregistrement : rien à séparer")
    previous = record.place_id
    pair = await session.scalar(
        select(MatchCandidate).where(
            MatchCandidate.record_id == record.id, MatchCandidate.place_id == previous
        )
    )
    if pair is None:
        pair = MatchCandidate(
            record_id=record.id, place_id=previous, score=0.0, reasons={}, created_at=utcnow()
        )
        session.add(pair)
    _decide(pair, "split", actor)
    record.place_id = None
    await session.flush()
    if record.status == ACTIVE and record.normalised:
        [record.place_id] = await create_from_records(session, settings, [record], record.source, geocode)
    await refresh_place(session, settings, previous, record.source, geocode, actor=actor)
    await session.flush()
    return record


async def place_merges_out(session: AsyncSession, pairs: list[PlaceMerge]) -> list[PlaceMergeOut]:
    """The pairs of places with both sides' values and records (a merged pair's retired records are those it
    moved)."""
    ids = {place_id for pair in pairs for place_id in (pair.place_id, pair.other_id)}
    found = {place.id: place for place in await session.scalars(select(Place).where(Place.id.in_(ids)))}
    records: dict[str, list[SourceRecord]] = {}
    for record in await session.scalars(
        select(SourceRecord)
        .where(SourceRecord.place_id.in_(ids), SourceRecord.kind == LIEU)
        .order_by(SourceRecord.id)
    ):
        records.setdefault(record.place_id or "", []).append(record)

    def values(place_id: str) -> dict[str, Any] | None:
        place = found.get(place_id)
        if place is None:
            return None
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in place_record(place).items()
        }

    out = []
    for pair in pairs:
        kept, other = records.get(pair.place_id, []), records.get(pair.other_id, [])
        if pair.status == place_merges.MERGED:
            moved = set((pair.moved or {}).get("enregistrements", []))
            kept, other = [r for r in kept if r.id not in moved], [r for r in kept if r.id in moved]
        out.append(
            PlaceMergeOut(
                id=pair.id,
                status=pair.status,
                score=pair.score,
                reasons=pair.reasons,
                created_at=pair.created_at,
                decided_at=pair.decided_at,
                decided_by=pair.decided_by,
                split_at=pair.split_at,
                split_by=pair.split_by,
                place_id=pair.place_id,
                other_id=pair.other_id,
                place_values=values(pair.place_id),
                other_values=values(pair.other_id),
                place_records=[RecordOut.model_validate(record) for record in kept],
                other_records=[RecordOut.model_validate(record) for record in other],
            )
        )
    return out


async def provenance(session: AsyncSession, place_id: str) -> ProvenanceOut:
    await get_place(session, place_id)
    absorbed = await place_merges.merged_into(session, place_id)
    records = list(
        await session.scalars(
            select(SourceRecord)
            .where(SourceRecord.place_id == place_id)
            .order_by(SourceRecord.source, SourceRecord.id)
        )
    )
    by_id = {record.id: record for record in records}
    fields = []
    for row in await session.scalars(
        select(FieldProvenance).where(FieldProvenance.place_id == place_id).order_by(FieldProvenance.field)
    ):
        source_id = by_id[row.record_id].source_id if row.record_id in by_id else None
        fields.append(
            FieldSource(
                field=row.field,
                source=row.source,
                record_id=row.record_id,
                source_id=source_id,
                date_maj=row.date_maj,
                rule=row.rule,
                edited_by=row.edited_by,
                edited_at=row.edited_at,
            )
        )
    merges = [
        MergeOut(
            record_id=candidate.record_id,
            status=candidate.status,
            score=candidate.score,
            reasons=candidate.reasons,
            created_at=candidate.created_at,
        )
        for candidate in await session.scalars(
            select(MatchCandidate)
            .where(
                MatchCandidate.place_id.in_([place_id, *(pair.other_id for pair in absorbed)]),
                MatchCandidate.status.in_(("merged", "confirmed")),
                MatchCandidate.record_id.in_(list(by_id) or [0]),
            )
            .order_by(MatchCandidate.id)
        )
    ]
    return ProvenanceOut(
        place_id=place_id,
        fields=fields,
        records=[RecordOut.model_validate(record) for record in records],
        merges=merges,
        place_merges=await place_merges_out(session, absorbed),
    )


async def release_manual(
    session: AsyncSession, settings: Any, place_id: str, name: str, actor: Principal, geocode: Geocoder | None
) -> ProvenanceOut:
    """The sources give this field (and its group) again, from now: the place is recomputed from them at once,
    the changes recorded as this person's. NotManual if nobody edited it."""
    await get_place(session, place_id)
    if not await manual.release(session, place_id, name):
        raise NotManual(f"Le champ {name} de ce lieu n'est pas une saisie manuelle")
    source = await session.scalar(
        select(SourceRecord.source)
        .where(SourceRecord.place_id == place_id, SourceRecord.kind == LIEU)
        .limit(1)
    )
    if source is not None:  # a place made by hand keeps its value: no source gives another
        await refresh_place(session, settings, place_id, source, geocode, actor=actor)
    await session.flush()
    return await provenance(session, place_id)


# --- Reconciliation
# ------------------------------------------------------------------------------------------


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return frozenset(normalise_text(str(item)) for item in value) or None
    if isinstance(value, str):
        return normalise_text(value) or None
    return value


def _manual_comparable(place: Place, name: str) -> bool:
    # Coordinates a person set are compared; coordinates the directory derived from a manual address are not.
    return name not in manual.POSITION or place.geo_precision == "exacte"


def reconcile(
    place: Place,
    records: list[SourceRecord],
    expected: list[str],
    manual_fields: frozenset[str] | set[str] = frozenset(),
) -> ReconciliationEntry | None:
    """What the sources of one place disagree on (with each other, or with what a person set by hand), and
    which expected sources do not list it."""
    listed: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.status in (ACTIVE, QUARANTINED) and record.normalised is not None:
            listed.setdefault(record.source, record.normalised)
        elif record.status == QUARANTINED:
            listed.setdefault(record.source, {})
    present = sorted(listed)
    missing = [name for name in expected if name not in listed]
    differences = []
    kept = {name for name in manual_fields if _manual_comparable(place, name)}
    current = place_record(place) if kept else {}
    for name in (*COMPARED_FIELDS, *sorted(kept - set(COMPARED_FIELDS))):
        values = {
            source: values.get(name)
            for source, values in listed.items()
            if values.get(name) not in (None, [])
        }
        if name in kept and values:  # a source giving nothing for a manual field does not disagree
            values = {manual.MANUAL: current.get(name), **values}
        if len({_comparable(value) for value in values.values()}) > 1:
            differences.append(Difference(field=name, values=values, manual=name in kept))
    if not missing and not differences:
        return None
    return ReconciliationEntry(
        place_id=place.id,
        nom=place.nom,
        commune=place.commune,
        present_in=present,
        missing_from=missing,
        differences=differences,
    )


async def reconciliation_entries(
    sessions: async_sessionmaker[AsyncSession], settings: Any, batch_size: int = 500
) -> AsyncIterator[ReconciliationEntry]:
    """Every active place listed by a source that some configured source misses or disagrees on, by place
    id."""
    expected = sources.configured(settings)
    after = ""
    while True:
        async with sessions() as session:
            places = list(
                await session.scalars(
                    select(Place)
                    .where(
                        Place.status == "active",
                        Place.id > after,
                        Place.id.in_(select(SourceRecord.place_id).where(SourceRecord.kind == LIEU)),
                    )
                    .order_by(Place.id)
                    .limit(batch_size)
                )
            )
            records: dict[str, list[SourceRecord]] = {}
            for record in await session.scalars(
                select(SourceRecord)
                .where(SourceRecord.place_id.in_([place.id for place in places]), SourceRecord.kind == LIEU)
                .order_by(SourceRecord.id)
            ):
                records.setdefault(record.place_id or "", []).append(record)
            edited = await manual.manual_fields(session, [place.id for place in places])
        for place in places:
            entry = reconcile(place, records.get(place.id, []), expected, edited.get(place.id, set()))
            if entry is not None:
                yield entry
        if len(places) < batch_size:
            return
        after = places[-1].id
