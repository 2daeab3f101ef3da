"""One synchronisation run: fetch → store source records → withdraw what a complete snapshot lacks → merge
changed records into places. Each step commits in small batches from its own sessions, so memory stays flat
and whatever was stored survives a failure; records wait (`needs_merge`) until a run merges them.
"""

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from fne_directory.sync.merging import merge_pending
from fne_directory.sync.models import SyncJob
from fne_directory.sync.run import (
    Cancelled,
    Run,
    logger,
)
from fne_directory.sync.storing import fetch, withdraw_missing
from fne_directory.sync.transactions import writing
from fne_kernel.db import utcnow
from fne_kernel.metrics import SYNC_DURATION, SYNC_JOBS

# A run allocates millions of objects and keeps many until it ends (its records' states, the candidate index,
# the reference communes): with the collector's default thresholds (a collection every 700 allocations, a full
# one every 100 of those) the whole heap is walked again and again, a third of a first run's CPU. During runs
# the youngest generation is collected every RUN_GC_THRESHOLD allocations instead.
RUN_GC_THRESHOLD = 50_000
_thresholds_before: tuple[int, ...] = ()  # the collector's thresholds before the process's runs began
_running = 0


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _thresholds_before, _running
    if _running == 0:
        _thresholds_before = gc.get_threshold()
        gc.set_threshold(max(_thresholds_before[0], RUN_GC_THRESHOLD), *_thresholds_before[1:])
    _running += 1
    try:
        yield
    finally:
        _running -= 1
        if _running == 0:
            gc.set_threshold(*_thresholds_before)


async def execute(run: Run) -> SyncJob:
    """Runs the job to its end and records how it ended; never raises for a source's failure."""
    with fewer_collections():
        return await _execute(run)


async def _execute(run: Run) -> SyncJob:
    status, message = "succeeded", None
    try:
        fetched_completely = await fetch(run)
        if fetched_completely:
            await withdraw_missing(run)
        await merge_pending(run)
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
