"""Long computations as jobs: the request that starts one stores the job and answers 202 at once; the work
runs in the service after that request committed, reporting its progress, and publishes its result in one
transaction with the job's success — a failure publishes nothing and records the problem on the job.

The work comes in two parts: reading and computing (network, CPU; progress reported as it goes, in short
transactions of their own), then storing, which returns the stored dataset version. Only the second part
writes, so that on SQLite the job holds the write lock only while it writes.

A job is cancelled (`POST /calculs/taches/{id}/annulation`) by marking it so: the work stops at its next step
and never publishes, because publishing first re-reads the job, locked, and publishes only a running one. A
job whose process stops (shutdown: marked at once; a crash: no heartbeat for STALE_AFTER) is `interrupted`
and publishes nothing; nothing resumes it: it is started again (docs/architecture.md, « Calculs longs »).
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_kernel.db import after_commit, app_sessions, utcnow, write_session
from fne_kernel.errors import DomainError, problem_body
from fne_kernel.logging import get_logger
from fne_observatory.dependencies import computation_tasks_of
from fne_observatory.imports.models import DatasetImport
from fne_observatory.imports.service import import_out
from fne_observatory.jobs.exceptions import ComputationRunning, JobFinished, JobNotFound
from fne_observatory.jobs.models import ComputationJob, JobStatus
from fne_observatory.jobs.schemas import JobOut, JobState

logger = get_logger("fne.observatory.jobs")
# A job whose heartbeat is older than this belongs to a process that stopped: it is shown as interrupted and
# no longer blocks another run of its kind. A living job beats every HEARTBEAT_SECONDS, progress or not.
STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_SECONDS = 60.0
ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
INTERRUPTED_MESSAGE = (
    "Plus de signe de vie : service arrêté pendant le calcul ? Rien n'a été publié. Relancez-le."
)
SHUTDOWN_MESSAGE = "Service arrêté pendant le calcul : rien n'a été publié. Relancez-le."
# The public API's word for each state (docs/architecture.md, § Naming); the database keeps the code's.
PUBLIC_STATUS: dict[JobStatus, JobState] = {
    JobStatus.QUEUED: "en_attente",
    JobStatus.RUNNING: "en_cours",
    JobStatus.SUCCEEDED: "reussie",
    JobStatus.FAILED: "echouee",
    JobStatus.INTERRUPTED: "interrompue",
    JobStatus.CANCELLED: "annulee",
}


@dataclass
class Published:
    """What a run published: its dataset versions (one per source for the roadmap), the sources left out."""

    imports: list[DatasetImport]
    skipped: dict[str, str] = field(default_factory=dict)


class Stopped(Exception):
    """The job no longer runs (cancelled, or declared interrupted): its work stops, publishing nothing."""


Progress = Callable[[float, str], Awaitable[None]]
_pause = asyncio.sleep  # between two heartbeats (the tests set their pace)
Store = Callable[[AsyncSession], Awaitable[DatasetImport | Published]]
Work = Callable[[Progress], Awaitable[Store]]


async def _interrupt_stale(session: AsyncSession, kind: str, now: datetime) -> None:
    """Jobs of `kind` left active by a stopped process are recorded as interrupted: if that process was only
    stalled, its work sees it and stops rather than publish beside a new run."""
    for job in await session.scalars(
        select(ComputationJob).where(
            ComputationJob.kind == kind,
            ComputationJob.status.in_(ACTIVE),
            ComputationJob.heartbeat_at < now - STALE_AFTER,
        )
    ):
        job.status, job.finished_at, job.message = JobStatus.INTERRUPTED, now, INTERRUPTED_MESSAGE


async def start_job(
    session: AsyncSession, kind: str, parameters: dict[str, Any], actor: str
) -> ComputationJob:
    """A queued job of `kind`; 409 while another one of the same kind is still alive."""
    now = utcnow()
    await _interrupt_stale(session, kind, now)
    alive = await session.scalar(
        select(ComputationJob.id)
        .where(
            ComputationJob.kind == kind,
            ComputationJob.status.in_(ACTIVE),
            ComputationJob.heartbeat_at >= now - STALE_AFTER,
        )
        .limit(1)
    )
    if alive is not None:
        raise ComputationRunning(
            f"Un calcul « {kind} » est déjà en cours : suivez-le à /calculs/taches/{alive}", tache_id=alive
        )
    job = ComputationJob(
        kind=kind,
        status=JobStatus.QUEUED,
        parameters=parameters,
        progress=0.0,
        message="En attente de démarrage",
        created_by=actor,
        created_at=now,
        heartbeat_at=now,
    )
    session.add(job)
    await session.flush()
    return job


def started(
    request: Request, session: AsyncSession, response: Response, job: ComputationJob, work: Work
) -> None:
    """Runs `work` once the request's transaction is committed; the answer says where to follow it."""
    app, sessions = request.app, app_sessions(request.app)
    after_commit(session, lambda: launch(app, sessions, job.id, work))
    response.headers["Location"] = f"/calculs/taches/{job.id}"


def launch(app: FastAPI, sessions: async_sessionmaker[AsyncSession], job_id: str, work: Work) -> None:
    tasks = computation_tasks_of(app)
    task = asyncio.get_running_loop().create_task(execute(sessions, job_id, work))
    tasks[job_id] = task
    task.add_done_callback(lambda _: tasks.pop(job_id, None))


async def _update(
    sessions: async_sessionmaker[AsyncSession], job_id: str, expected: str, **changes: Any
) -> None:
    """Changes the job if it is still `expected` (queued or running); otherwise its work stops."""
    async with write_session(sessions) as session:
        job = await session.get(ComputationJob, job_id, with_for_update=True, populate_existing=True)
        if job is None or job.status != expected:
            raise Stopped
        for name, value in changes.items():
            setattr(job, name, value)
        job.heartbeat_at = utcnow()
        await session.commit()


async def _beat(sessions: async_sessionmaker[AsyncSession], job_id: str, work: asyncio.Task[Any]) -> None:
    """The job's heartbeat while its work waits on a source; a job cancelled by another process (or declared
    interrupted) has its work stopped here."""
    while True:
        await _pause(HEARTBEAT_SECONDS)
        try:
            await _update(sessions, job_id, JobStatus.RUNNING.value)
        except Stopped:
            work.cancel()
            return


async def execute(sessions: async_sessionmaker[AsyncSession], job_id: str, work: Work) -> None:
    async def progress(share: float, message: str) -> None:
        await _update(
            sessions,
            job_id,
            JobStatus.RUNNING.value,
            progress=round(min(max(share, 0.0), 1.0), 3),
            message=message,
        )

    beat: asyncio.Task[None] | None = None
    try:
        await _update(
            sessions,
            job_id,
            JobStatus.QUEUED.value,
            status=JobStatus.RUNNING,
            started_at=utcnow(),
            message="Démarrage du calcul",
        )
        current = asyncio.current_task()
        assert current is not None
        beat = asyncio.get_running_loop().create_task(_beat(sessions, job_id, current))
        store = await work(progress)
        beat.cancel()
        async with write_session(sessions) as session:
            # Locked and read again: a cancellation committed before this point wins, one after finds the job
            # finished.
            job = await session.get(ComputationJob, job_id, with_for_update=True, populate_existing=True)
            if job is None or job.status != JobStatus.RUNNING:
                return
            stored = await store(session)
            published = stored if isinstance(stored, Published) else Published([stored])
            now = utcnow()
            job.status, job.progress, job.finished_at, job.heartbeat_at = JobStatus.SUCCEEDED, 1.0, now, now
            job.import_id = published.imports[0].id if published.imports else None
            job.outcome = {"imports": [item.id for item in published.imports], "skipped": published.skipped}
            job.message = "Calcul publié" if published.imports else "Calcul terminé : rien à publier"
            await session.commit()
    except Stopped:
        return
    except asyncio.CancelledError:
        if await _interrupted_by_shutdown(sessions, job_id):
            raise
        # Cancelled by a person (the job says so already): the task ends normally.
        current = asyncio.current_task()
        if current is not None:
            current.uncancel()
    except DomainError as exc:
        error = problem_body(exc.status, exc.code, exc.title, exc.detail, **exc.extensions)
        await _failed(sessions, job_id, error, exc.detail or exc.title)
    except Exception:
        logger.exception("computation failed", extra={"job_id": job_id})
        error = problem_body(
            500, "computation-error", "Le calcul a échoué", "Erreur inattendue : rien n'a été publié"
        )
        await _failed(sessions, job_id, error, error["detail"])
    finally:
        if beat is not None:
            beat.cancel()


async def _interrupted_by_shutdown(sessions: async_sessionmaker[AsyncSession], job_id: str) -> bool:
    """A job still active when its task is cancelled: the service is stopping, and it is interrupted."""
    async with write_session(sessions) as session:
        job = await session.get(ComputationJob, job_id, with_for_update=True, populate_existing=True)
        if job is None or job.status not in ACTIVE:
            return False
        now = utcnow()
        job.status, job.message, job.finished_at, job.heartbeat_at = (
            JobStatus.INTERRUPTED,
            SHUTDOWN_MESSAGE,
            now,
            now,
        )
        await session.commit()
        return True


async def _failed(
    sessions: async_sessionmaker[AsyncSession], job_id: str, error: dict[str, Any], message: str
) -> None:
    with contextlib.suppress(Stopped):  # cancelled meanwhile: it stays cancelled
        await _update(
            sessions,
            job_id,
            JobStatus.RUNNING.value,
            status=JobStatus.FAILED,
            error=error,
            message=f"Échec : {message} — rien n'a été publié",
            finished_at=utcnow(),
        )


async def cancel(
    session: AsyncSession, tasks: dict[str, asyncio.Task[None]], job_id: str, actor: str
) -> ComputationJob:
    """Marks a queued or running job cancelled; its work (in this process: at once) stops, publishing
    nothing. 409 for a job already finished, failed, interrupted or cancelled."""
    job = await session.get(ComputationJob, job_id, with_for_update=True, populate_existing=True)
    if job is None:
        raise JobNotFound(f"Aucun calcul {job_id}", tache_id=job_id)
    status = _status(job)
    if status not in ACTIVE:
        public = PUBLIC_STATUS[JobStatus(status)]
        raise JobFinished(f"Calcul déjà terminé ({public})", tache_id=job_id, statut=public)
    now = utcnow()
    job.status, job.finished_at, job.cancelled_by = JobStatus.CANCELLED, now, actor
    job.message = f"Annulé par {actor} : rien n'a été publié"
    await session.flush()

    def stop() -> None:
        if job_id in tasks:
            tasks[job_id].cancel()

    after_commit(session, stop)
    return job


async def stop_jobs_at_shutdown(app: FastAPI) -> None:
    """Started with the service: when it stops, its running jobs are stopped and marked interrupted."""
    try:
        await asyncio.Event().wait()
    finally:
        tasks = list(computation_tasks_of(app).values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=10)


def _status(job: ComputationJob) -> str:
    if job.status in ACTIVE and job.heartbeat_at < utcnow() - STALE_AFTER:
        return JobStatus.INTERRUPTED.value
    return job.status


async def job_out(session: AsyncSession, job: ComputationJob) -> JobOut:
    item = await session.get(DatasetImport, job.import_id) if job.import_id else None
    ids = (job.outcome or {}).get("imports", [])
    found = {
        row.id: row for row in await session.scalars(select(DatasetImport).where(DatasetImport.id.in_(ids)))
    }
    results = [found[identifier] for identifier in ids if identifier in found]
    status = _status(job)
    return JobOut(
        id=job.id,
        type=job.kind,
        statut=PUBLIC_STATUS[JobStatus(status)],
        avancement=job.progress,
        message=INTERRUPTED_MESSAGE if status != job.status else job.message,
        parametres=job.parameters,
        cree_par=job.created_by,
        cree_le=job.created_at,
        commence_le=job.started_at,
        signe_de_vie_le=job.heartbeat_at,
        termine_le=job.finished_at,
        import_id=job.import_id,
        resultat=import_out(item) if item is not None else None,
        resultats=[import_out(found) for found in results],
        ignorees=(job.outcome or {}).get("skipped", {}),
        annule_par=job.cancelled_by,
        erreur=job.error,
    )


async def get_job(session: AsyncSession, job_id: str) -> ComputationJob:
    job = await session.get(ComputationJob, job_id)
    if job is None:
        raise JobNotFound(f"Aucun calcul {job_id}", tache_id=job_id)
    return job


async def list_jobs(
    session: AsyncSession, kind: str | None, limit: int, offset: int
) -> tuple[list[ComputationJob], int]:
    conditions = [ComputationJob.kind == kind] if kind else []
    total = await session.scalar(select(func.count()).select_from(ComputationJob).where(*conditions)) or 0
    jobs = await session.scalars(
        select(ComputationJob)
        .where(*conditions)
        .order_by(ComputationJob.created_at.desc(), ComputationJob.id)
        .limit(limit)
        .offset(offset)
    )
    return list(jobs), total
