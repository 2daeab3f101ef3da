"""Long computations as jobs: the request that starts one stores the job and answers 202 at once; the work
runs in the service after that request committed, reporting its progress, and publishes its result in one
transaction with the job's success — a failure publishes nothing and records the problem on the job.

The work comes in two parts: reading and computing (network, CPU; progress reported as it goes, in short
transactions of their own), then storing, which returns the stored dataset version. Only the second part
writes, so that on SQLite the job holds the write lock only while it writes.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from fastapi import FastAPI, Request, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_kernel.db import after_commit, utcnow, write_session
from fne_kernel.errors import DomainError, problem_body
from fne_kernel.logging import get_logger
from fne_observatory.computations.exceptions import ComputationRunning, JobNotFound
from fne_observatory.computations.models import ComputationJob, JobStatus
from fne_observatory.computations.schemas import JobOut
from fne_observatory.imports.models import DatasetImport
from fne_observatory.imports.service import import_out

logger = get_logger("fne.observatory.computations")
# A job whose heartbeat is older than this belongs to a process that stopped: it is shown as interrupted and
# no longer blocks another run of its kind.
STALE_AFTER = timedelta(minutes=10)
ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)

Progress = Callable[[float, str], Awaitable[None]]
Store = Callable[[AsyncSession], Awaitable[DatasetImport]]
Work = Callable[[Progress], Awaitable[Store]]


async def start_job(
    session: AsyncSession, kind: str, parameters: dict[str, Any], actor: str
) -> ComputationJob:
    """A queued job of `kind`; 409 while another one of the same kind is still alive."""
    now = utcnow()
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
            f"Un calcul « {kind} » est déjà en cours : suivez-le à /calculs/taches/{alive}", job_id=alive
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
    app, sessions = request.app, request.app.state.sessions
    after_commit(session, lambda: launch(app, sessions, job.id, work))
    response.headers["Location"] = f"/calculs/taches/{job.id}"


def launch(app: FastAPI, sessions: async_sessionmaker[AsyncSession], job_id: str, work: Work) -> None:
    tasks: dict[str, asyncio.Task[None]] = app.state.computation_tasks
    task = asyncio.get_running_loop().create_task(execute(sessions, job_id, work))
    tasks[job_id] = task
    task.add_done_callback(lambda _: tasks.pop(job_id, None))


async def _update(sessions: async_sessionmaker[AsyncSession], job_id: str, **changes: Any) -> None:
    async with write_session(sessions) as session:
        job = await session.get(ComputationJob, job_id)
        if job is None:
            return
        for name, value in changes.items():
            setattr(job, name, value)
        job.heartbeat_at = utcnow()
        await session.commit()


async def execute(sessions: async_sessionmaker[AsyncSession], job_id: str, work: Work) -> None:
    async def progress(share: float, message: str) -> None:
        await _update(sessions, job_id, progress=round(min(max(share, 0.0), 1.0), 3), message=message)

    try:
        await _update(
            sessions, job_id, status=JobStatus.RUNNING, started_at=utcnow(), message="Démarrage du calcul"
        )
        store = await work(progress)
        async with write_session(sessions) as session:
            item = await store(session)
            job = await session.get(ComputationJob, job_id)
            if job is None:
                return
            now = utcnow()
            job.status, job.progress, job.import_id = JobStatus.SUCCEEDED, 1.0, item.id
            job.message, job.finished_at, job.heartbeat_at = "Calcul publié", now, now
            await session.commit()
    except DomainError as exc:
        error = problem_body(exc.status, exc.code, exc.title, exc.detail, **exc.extensions)
        await _failed(sessions, job_id, error, exc.detail or exc.title)
    except Exception:
        logger.exception("computation failed", extra={"job_id": job_id})
        error = problem_body(
            500, "computation-error", "Le calcul a échoué", "Erreur inattendue : rien n'a été publié"
        )
        await _failed(sessions, job_id, error, error["detail"])


async def _failed(
    sessions: async_sessionmaker[AsyncSession], job_id: str, error: dict[str, Any], message: str
) -> None:
    await _update(
        sessions,
        job_id,
        status=JobStatus.FAILED,
        error=error,
        message=f"Échec : {message} — rien n'a été publié",
        finished_at=utcnow(),
    )


def _status(job: ComputationJob) -> str:
    if job.status in ACTIVE and job.heartbeat_at < utcnow() - STALE_AFTER:
        return JobStatus.INTERRUPTED.value
    return job.status


async def job_out(session: AsyncSession, job: ComputationJob) -> JobOut:
    item = await session.get(DatasetImport, job.import_id) if job.import_id else None
    status = _status(job)
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=status,
        progress=job.progress,
        message="Plus de signe de vie : service arrêté pendant le calcul ? Relancez-le."
        if status == JobStatus.INTERRUPTED and job.status != status
        else job.message,
        parameters=job.parameters,
        actor=job.created_by,
        created_at=job.created_at,
        started_at=job.started_at,
        heartbeat_at=job.heartbeat_at,
        finished_at=job.finished_at,
        import_id=job.import_id,
        result=import_out(item) if item is not None else None,
        error=job.error,
    )


async def get_job(session: AsyncSession, job_id: str) -> ComputationJob:
    job = await session.get(ComputationJob, job_id)
    if job is None:
        raise JobNotFound(f"Aucun calcul {job_id}", job_id=job_id)
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
